// The vocabulary of notifications: formats, the events an endpoint may subscribe to, and the
// notification a formatter turns into one HTTP request. Pure: no I/O here.
import { z } from "zod";
import { INCIDENT_EVENT_TYPES, type TIncidentEventType } from "@/lib/incidents/types";

export const NOTIFICATION_FORMATS = ["cloudevents", "slack", "pagerduty"] as const;
export type TNotificationFormat = (typeof NOTIFICATION_FORMATS)[number];
export const ZNotificationFormat = z.enum(NOTIFICATION_FORMATS);

/** Every endpoint receives these unless it chooses fewer. */
export const DEFAULT_EVENTS: readonly TIncidentEventType[] = INCIDENT_EVENT_TYPES;

export const DELIVERY_STATUSES = ["pending", "delivered", "failed", "skipped"] as const;
export type TDeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export const PAGERDUTY_DEFAULT_URL = "https://events.pagerduty.com/v2/enqueue";

/** A synthetic event sent by "send test"; never stored as an IncidentEvent. */
export const TEST_EVENT_TYPE = "test";
export type TNotificationType = TIncidentEventType | typeof TEST_EVENT_TYPE;

/** What every formatter is given: one event of one incident, with what a reader needs to act. */
export type TNotification = {
  /** Stable across retries and restarts: receivers dedupe on it. */
  id: string;
  type: TNotificationType;
  at: Date;
  cluster: string;
  incidentId: number;
  /** `<NODE_RESCUE_BASE_URL>/incidents/<id>`, or null when the base URL is not configured. */
  link: string | null;
  nodes: string[];
  payload: Record<string, unknown>;
};

/** The endpoint as a formatter needs it (secrets included: formatting runs on the server only). */
export type TEndpointTarget = { format: TNotificationFormat; url: string; secret: string | null };

/** One HTTP request to make, or null when the format has nothing to say about the event. */
export type TOutgoing = { url: string; headers: Record<string, string>; body: string };
