// PURE: whether a node meets one of a policy's criteria, since when, and for how long. A
// criterion is met once its condition has had one of its statuses for forSeconds; the
// Heartbeat pseudo-condition is "Stale" once neither the node Lease nor the Ready condition's
// heartbeat was renewed for forSeconds.
import type { V1Node } from "@kubernetes/client-node";
import type { TNodeHealth } from "@/lib/health";
import { toMs } from "@/lib/health/time";
import { HEARTBEAT_CONDITION } from "@/lib/policies/defaults";
import type { TCriterion, TPolicy } from "@/lib/policies/schema";

export type TCriterionMatch = {
  criterion: TCriterion;
  /** The status it has (e.g. "Unknown", "Stale"). */
  status: string;
  /** Since when it has had it (ISO). */
  since: string;
  /** now − since. */
  forMs: number;
};

export type TQualification =
  /** A criterion has held for its forSeconds: the node is to be repaired. */
  | { met: true; match: TCriterionMatch }
  /** A criterion holds but not for long enough yet: `dueAt` is when the first one will be met. */
  | { met: false; pending: TCriterionMatch; dueAt: string }
  /** No criterion holds. */
  | null;

/** The time the node's heartbeat was last seen: its Lease renewal, else the Ready condition's heartbeat. */
function lastHeartbeat(node: TNodeHealth, object: V1Node | undefined): number | null {
  const ready = object?.status?.conditions?.find((c) => c.type === "Ready");
  return toMs(node.heartbeat.leaseRenewTime) ?? toMs(ready?.lastHeartbeatTime);
}

/** Which status of `criterion` the node has now, and since when (null: none of them). */
export function criterionState(
  criterion: TCriterion,
  node: TNodeHealth,
  object: V1Node | undefined,
  now: Date,
): { status: string; since: number } | null {
  if (criterion.type === HEARTBEAT_CONDITION) {
    const last = lastHeartbeat(node, object);
    if (last === null || node.heartbeat.warmingUp) return null;
    // Stale once it is late (two missed renewals), counted from the last renewal: the
    // criterion's forSeconds is the silence itself.
    const late = now.getTime() - last > node.heartbeat.lateAfterMs;
    return late && criterion.status.includes("Stale") ? { status: "Stale", since: last } : null;
  }
  const condition = object?.status?.conditions?.find((c) => c.type === criterion.type);
  // A node without a Ready condition is Unknown (as the health evaluation says); other missing
  // conditions say nothing.
  const status = condition?.status ?? (criterion.type === "Ready" ? "Unknown" : null);
  if (!status || !(criterion.status as readonly string[]).includes(status)) return null;
  const since = toMs(condition?.lastTransitionTime) ?? toMs(node.createdAt);
  return since === null ? null : { status, since };
}

/** The criterion met longest ago, else the one closest to being met, else null. */
export function qualify(policy: Pick<TPolicy, "criteria">, node: TNodeHealth, object: V1Node | undefined, now: Date): TQualification {
  let met: TCriterionMatch | null = null;
  let pending: { match: TCriterionMatch; dueAt: number } | null = null;
  for (const criterion of policy.criteria) {
    const state = criterionState(criterion, node, object, now);
    if (!state) continue;
    const forMs = Math.max(0, now.getTime() - state.since);
    const match = { criterion, status: state.status, since: new Date(state.since).toISOString(), forMs };
    const dueAt = state.since + criterion.forSeconds * 1000;
    if (dueAt <= now.getTime()) {
      if (!met || match.forMs - criterion.forSeconds * 1000 > met.forMs - met.criterion.forSeconds * 1000) met = match;
    } else if (!pending || dueAt < pending.dueAt) {
      pending = { match, dueAt };
    }
  }
  if (met) return { met: true, match: met };
  if (pending) return { met: false, pending: pending.match, dueAt: new Date(pending.dueAt).toISOString() };
  return null;
}

/** "Ready=Unknown for 75 s (policy: ≥ 60 s)". */
export const describeMatch = (m: TCriterionMatch) =>
  `${m.criterion.type}=${m.status} for ${Math.round(m.forMs / 1000)} s (policy: ≥ ${m.criterion.forSeconds} s)`;
