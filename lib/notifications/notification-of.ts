// An IncidentEvent row as the notification every format is made from: its stable id, the
// incident's link and nodes. Read at send time (the nodes are the incident's at that moment).
import type { TDb } from "@/lib/db";
import { ZIncidentEventType } from "@/lib/incidents/types";
import type { TNotification } from "./types";

const MAX_NODES = 50;

/** `incident-event-<id>`: the IncidentEvent's primary key, the same on every retry and after restarts. */
export const notificationId = (eventId: number) => `incident-event-${eventId}`;

export const incidentLink = (baseUrl: string | null | undefined, incidentId: number) =>
  baseUrl ? `${baseUrl.replace(/\/+$/, "")}/incidents/${incidentId}` : null;

export async function loadNotification(db: TDb, eventId: number, baseUrl: string | null | undefined): Promise<TNotification | null> {
  const event = await db.incidentEvent.findUnique({ where: { id: eventId } });
  if (!event) return null;
  const nodes = await db.incidentNode.findMany({
    where: { incidentId: event.incidentId },
    select: { node: true },
    orderBy: { node: "asc" },
    take: MAX_NODES,
  });
  return {
    id: notificationId(event.id),
    type: ZIncidentEventType.parse(event.type),
    at: event.at,
    cluster: event.cluster,
    incidentId: event.incidentId,
    link: incidentLink(baseUrl, event.incidentId),
    nodes: nodes.map((n) => n.node),
    payload: JSON.parse(event.payload) as Record<string, unknown>,
  };
}
