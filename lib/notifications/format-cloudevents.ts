// The generic webhook: a CloudEvents 1.0 event in structured mode (one JSON document, Content-Type
// application/cloudevents+json). `id` is stable per event, so a receiver dedupes redeliveries.
// With a signing secret, `X-Node-Rescue-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of
// "<t>.<body>">` lets the receiver check who sent it and when. Pure but for the HMAC.
import { createHmac } from "node:crypto";
import type { TNotification, TOutgoing } from "./types";

export const CLOUDEVENTS_CONTENT_TYPE = "application/cloudevents+json";
export const SIGNATURE_HEADER = "X-Node-Rescue-Signature";
export const TYPE_PREFIX = "dev.node-rescue.";

export const cloudEventSource = (cluster: string) => `urn:node-rescue:cluster:${encodeURIComponent(cluster)}`;

export function toCloudEvent(n: TNotification) {
  return {
    specversion: "1.0",
    id: n.id,
    source: cloudEventSource(n.cluster),
    type: `${TYPE_PREFIX}${n.type}`,
    time: n.at.toISOString(),
    subject: `incidents/${n.incidentId}`,
    datacontenttype: "application/json",
    data: { cluster: n.cluster, incidentId: n.incidentId, link: n.link, nodes: n.nodes, event: n.payload },
  };
}

/** `t=…,v1=…` for `body` signed at `now` with `secret`. */
export function signature(secret: string, body: string, now: Date): string {
  const t = Math.floor(now.getTime() / 1000);
  const v1 = createHmac("sha256", secret).update(`${t}.${body}`).digest("hex");
  return `t=${t},v1=${v1}`;
}

export function formatCloudEvent(n: TNotification, target: { url: string; secret: string | null }, now: Date): TOutgoing {
  const body = JSON.stringify(toCloudEvent(n));
  const headers: Record<string, string> = { "Content-Type": CLOUDEVENTS_CONTENT_TYPE };
  if (target.secret) headers[SIGNATURE_HEADER] = signature(target.secret, body, now);
  return { url: target.url, headers, body };
}
