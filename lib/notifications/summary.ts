// One sentence per event for people (Slack's text, PagerDuty's summary), from the event's own
// payload. Pure.
import type { TNotification } from "./types";

const str = (v: unknown, fallback = "?") => (typeof v === "string" && v !== "" ? v : fallback);
const list = (names: readonly string[], max = 5) =>
  names.length <= max ? names.join(", ") : `${names.slice(0, max).join(", ")} and ${names.length - max} more`;

export function summarize(n: TNotification): string {
  const p = n.payload;
  const where = `[${n.cluster}] incident #${n.incidentId}`;
  switch (n.type) {
    case "incident.opened":
      return `${where} opened: ${str(p.node)} is ${str(p.state)}${p.reason ? ` (${str(p.reason)})` : ""}`;
    case "node.dead": {
      const nodes = Array.isArray(p.nodes) ? p.nodes.map((x) => str(x)) : n.nodes;
      return `${where}: ${list(nodes)} confirmed dead (NotReady/Unknown)`;
    }
    case "repair.proposed": {
      const steps = Array.isArray(p.steps) ? p.steps.map((x) => str(x)).join(" → ") : "?";
      return `${where}: policy ${str(p.policy)} proposes ${steps} on ${str(p.node)}; approve or reject it on the node page`;
    }
    case "action.taken": {
      const actor = (p.actor ?? {}) as Record<string, unknown>;
      return `${where}: ${str(p.action)} on ${str(p.node)} ${str(p.outcome)} (by ${str(actor.name)}${actor.role ? `, ${str(actor.role)}` : ""})`;
    }
    case "workload.recovered": {
      // One event per evaluation lists the workloads whole again (at most 50; `count` is all of them).
      const workloads = Array.isArray(p.workloads) ? (p.workloads as Record<string, unknown>[]) : [];
      const names = workloads.slice(0, 5).map((w) => `${str(w.kind)} ${str(w.namespace)}/${str(w.name)}`);
      const count = typeof p.count === "number" ? p.count : workloads.length;
      const rest = count - names.length;
      return `${where}: ${names.join(", ")}${rest > 0 ? ` and ${rest} more` : ""} whole again`;
    }
    case "incident.closed":
      return `${where} closed: every node Ready or gone, every affected workload whole`;
    case "test":
      return `[${n.cluster}] test notification from node-rescue`;
  }
}

/** Extra lines a person may want under the sentence (reason, message), each short. */
export function details(n: TNotification): string[] {
  const p = n.payload;
  const out: string[] = [];
  if (n.type === "repair.proposed") {
    if (typeof p.cause === "string" && p.cause) out.push(`Cause: ${p.cause}`);
    if (typeof p.message === "string" && p.message) out.push(`Why a proposal: ${p.message}`);
  }
  if (n.type === "action.taken") {
    if (typeof p.reason === "string" && p.reason) out.push(`Reason: ${p.reason}`);
    if (typeof p.message === "string" && p.message) out.push(p.message);
  }
  if (n.nodes.length) out.push(`Nodes: ${list(n.nodes, 10)}`);
  return out.map((l) => (l.length > 500 ? `${l.slice(0, 499)}…` : l));
}
