// PagerDuty Events API v2: "trigger" when an incident opens (severity warning: a late heartbeat)
// and again when a node is confirmed dead (critical; the same dedup_key, so PagerDuty adds it to
// the same alert), "resolve" when it closes, so the page resolves itself. Actions and recovered
// workloads are not paging events: they are skipped (null). Pure.
import { summarize } from "./summary";
import type { TNotification, TOutgoing } from "./types";

/** One PagerDuty alert per incident: derived from the cluster and the incident id. */
export const pagerDutyDedupKey = (cluster: string, incidentId: number | string) =>
  `node-rescue/${cluster.slice(0, 200)}/incident-${incidentId}`;

export function toPagerDutyEvent(n: TNotification, routingKey: string) {
  const action = n.type === "incident.closed" ? "resolve" : n.type === "incident.opened" || n.type === "node.dead" ? "trigger" : null;
  if (!action && n.type !== "test") return null;
  const dedup_key = n.type === "test" ? `node-rescue/${n.cluster.slice(0, 200)}/test-${n.id}` : pagerDutyDedupKey(n.cluster, n.incidentId);
  const base = { routing_key: routingKey, dedup_key };
  if (action === "resolve") return { ...base, event_action: "resolve" as const };
  return {
    ...base,
    event_action: "trigger" as const,
    payload: {
      summary: summarize(n).slice(0, 1024),
      source: n.nodes.length ? n.nodes.slice(0, 5).join(", ") : `node-rescue/${n.cluster}`,
      severity: n.type === "node.dead" ? ("critical" as const) : n.type === "test" ? ("info" as const) : ("warning" as const),
      timestamp: n.at.toISOString(),
      component: "kubernetes-node",
      group: n.cluster,
      class: n.type,
      custom_details: { incidentId: n.incidentId, nodes: n.nodes, event: n.payload, notificationId: n.id },
    },
    client: "node-rescue",
    ...(n.link ? { client_url: n.link, links: [{ href: n.link, text: `node-rescue incident #${n.incidentId}` }] } : {}),
  };
}

export function formatPagerDuty(n: TNotification, target: { url: string; secret: string | null }): TOutgoing | null {
  const event = toPagerDutyEvent(n, target.secret ?? "");
  if (!event) return null;
  return { url: target.url, headers: { "Content-Type": "application/json" }, body: JSON.stringify(event) };
}
