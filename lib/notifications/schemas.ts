// What the notifications API accepts: zod schemas with messages that say which field is wrong.
import { z } from "zod";
import { INCIDENT_EVENT_TYPES } from "@/lib/incidents/types";

const ZHttpUrl = (field: string) =>
  z
    .string({ error: `${field}: a URL is required` })
    .trim()
    .max(2_000, `${field}: at most 2000 characters`)
    .refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), `${field}: must be an http:// or https:// URL`);

const ZName = z
  .string({ error: "name: a name is required" })
  .trim()
  .min(1, "name: a name is required")
  .max(100, "name: at most 100 characters");

const ZEvents = z
  .array(z.enum(INCIDENT_EVENT_TYPES, { error: `events: each one of ${INCIDENT_EVENT_TYPES.join(", ")}` }), {
    error: "events: a list of event types",
  })
  .min(1, "events: choose at least one event (or leave it out for all)")
  .transform((e) => [...new Set(e)]);

const ZSigningSecret = z.string().min(16, "secret: at least 16 characters").max(500, "secret: at most 500 characters");
const ZRoutingKey = z
  .string({ error: "routingKey: the integration's routing key is required" })
  .trim()
  .min(1, "routingKey: the integration's routing key is required")
  .max(200, "routingKey: at most 200 characters");

const common = { name: ZName, enabled: z.boolean({ error: "enabled: true or false" }).optional(), events: ZEvents.optional() };

export const ZCreateEndpoint = z.discriminatedUnion(
  "format",
  [
    z.strictObject({ format: z.literal("cloudevents"), ...common, url: ZHttpUrl("url"), secret: ZSigningSecret.optional() }),
    z.strictObject({ format: z.literal("slack"), ...common, url: ZHttpUrl("url") }),
    z.strictObject({ format: z.literal("pagerduty"), ...common, routingKey: ZRoutingKey, url: ZHttpUrl("url").optional() }),
  ],
  { error: "format: one of cloudevents, slack, pagerduty" },
);
export type TCreateEndpoint = z.infer<typeof ZCreateEndpoint>;

/**
 * A change: every field optional; a secret left out keeps the stored one (`secret: null` removes a
 * webhook's signing secret). The format cannot change (create another endpoint).
 */
export const ZUpdateEndpoint = z.strictObject({
  name: ZName.optional(),
  enabled: z.boolean({ error: "enabled: true or false" }).optional(),
  events: ZEvents.optional(),
  url: ZHttpUrl("url").optional(),
  secret: ZSigningSecret.nullable().optional(),
  routingKey: ZRoutingKey.optional(),
});
export type TUpdateEndpoint = z.infer<typeof ZUpdateEndpoint>;

export const ZEndpointId = z.coerce
  .number({ error: "id: an endpoint id (a positive integer)" })
  .int("id: an endpoint id (a positive integer)")
  .positive("id: an endpoint id (a positive integer)");
