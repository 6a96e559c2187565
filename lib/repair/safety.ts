// PURE: the safety rules auto-repair obeys on top of the gates every action passes. None can be
// switched off by a policy. A rule either waits ("defer": the repair goes on once it clears),
// leaves the node to a person ("skip"), or lowers an act-mode policy to a proposal ("propose").
// The first rule that holds the repair back is the decision's reason; all are reported.
import type { TNodeHealth } from "@/lib/health";
import { toMs } from "@/lib/health/time";
import type { TPolicy } from "@/lib/policies/schema";
import { exclusionOf } from "@/lib/remediation/gates";
import { describeWindow, openWindow } from "./windows";

export const RULES = [
  "paused",
  "storm-breaker",
  "excluded",
  "flapping",
  "other-tool",
  "connection",
  "window",
  "budget",
  "concurrency",
  "rate-limit",
  "partition",
] as const;
export type TRule = (typeof RULES)[number];

export type TRuleCheck = { rule: TRule; passed: boolean; effect: "defer" | "skip" | "propose"; message: string };

export type TSafetySettings = {
  /** The storm breaker trips when more than this share of all nodes went unhealthy… */
  breakerShare: number;
  /** …within this window. */
  breakerWindowMs: number;
  /** The label that names a node's failure domain (zone or rack). */
  failureDomainLabel: string;
};

export const DEFAULT_SAFETY_SETTINGS: TSafetySettings = {
  breakerShare: 0.3,
  breakerWindowMs: 5 * 60_000,
  failureDomainLabel: "topology.kubernetes.io/zone",
};

export type TControlState = {
  paused: boolean;
  pausedReason: string | null;
  pausedBy: string | null;
  breakerTrippedAt: Date | null;
  breakerReason: string | null;
};

export type TSafetyInput = {
  policy: TPolicy;
  node: TNodeHealth;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Every node of the cluster, with its labels. */
  nodes: readonly { health: TNodeHealth; labels: Record<string, string> }[];
  /** The policy's selected nodes (control plane excluded unless it says so). */
  selected: readonly TNodeHealth[];
  control: TControlState;
  /** Why the watch connection is not to be trusted now, or null when it is. */
  connectionProblem: string | null;
  /** The hold a person must clear (flapping), or null. */
  hold: { kind: string; reason: string } | null;
  /** Another tool repairing this node (medik8s, Cluster API), or null. */
  otherTool: string | null;
  /** This policy's repairs: those climbing their ladder now (this one excluded), and those that acted in the last hour. */
  acting: number;
  actedLastHour: number;
  /** Whether this repair already took a step (limits count it once, when it starts acting). */
  started: boolean;
  settings: TSafetySettings;
  now: Date;
};

export const isHealthy = (n: TNodeHealth) => n.state === "Ready";
const pct = (part: number, whole: number) => (whole ? Math.round((part / whole) * 100) : 100);

/** When a node went unhealthy: its Ready transition, else (Ready but late) its last Lease renewal. */
const unhealthySince = (n: TNodeHealth) => toMs(n.notReadySince ?? n.heartbeat.leaseRenewTime);

/** Whether the storm breaker must trip now: too many nodes went unhealthy within its window. */
export function stormVerdict(nodes: readonly TNodeHealth[], settings: TSafetySettings, now: Date): { trip: boolean; message: string } {
  const recent = nodes.filter((n) => {
    if (isHealthy(n)) return false;
    const since = unhealthySince(n);
    return since !== null && now.getTime() - since <= settings.breakerWindowMs;
  });
  const share = nodes.length ? recent.length / nodes.length : 0;
  const windowMin = Math.round(settings.breakerWindowMs / 60_000);
  const limit = Math.round(settings.breakerShare * 100);
  const names = recent.map((n) => n.name);
  return {
    trip: share > settings.breakerShare,
    message: `${recent.length} of ${nodes.length} nodes (${pct(recent.length, nodes.length)} %) went unhealthy within ${windowMin} min (limit ${limit} %)${names.length ? `: ${names.slice(0, 10).join(", ")}${names.length > 10 ? ", …" : ""}` : ""}`,
  };
}

/** The node's failure domain is wholly unhealthy (and has more than this one node): a partition, not a death. */
function partitionOf(input: TSafetyInput): string | null {
  const key = input.settings.failureDomainLabel;
  const domain = input.labels[key];
  if (!domain) return null;
  const members = input.nodes.filter((n) => n.labels[key] === domain);
  if (members.length < 2 || members.some((n) => isHealthy(n.health))) return null;
  return `all ${members.length} nodes of ${key}=${domain} are unhealthy: that looks like a partition of the domain, not a dead node`;
}

export function evaluateSafety(input: TSafetyInput): TRuleCheck[] {
  const { policy, control } = input;
  const checks: TRuleCheck[] = [];
  const check = (rule: TRule, passed: boolean, effect: TRuleCheck["effect"], message: string) =>
    checks.push({ rule, passed, effect, message });

  check(
    "paused",
    !control.paused,
    "defer",
    control.paused
      ? `auto-repair is paused${control.pausedBy ? ` by ${control.pausedBy}` : ""}: ${control.pausedReason ?? "no reason given"}`
      : "auto-repair is not paused",
  );
  check(
    "storm-breaker",
    control.breakerTrippedAt === null,
    "defer",
    control.breakerTrippedAt
      ? `the storm breaker tripped at ${control.breakerTrippedAt.toISOString()} (${control.breakerReason ?? "too many nodes unhealthy"}): a person must reset it`
      : "the storm breaker is closed",
  );
  const excluded = exclusionOf(input.labels, input.annotations);
  check(
    "excluded",
    excluded === null,
    "skip",
    excluded ? `the node is excluded from remediation (${excluded})` : "the node is not excluded",
  );
  check(
    "flapping",
    input.hold === null,
    "skip",
    input.hold ? `the node is held (${input.hold.kind}): ${input.hold.reason}; a person must clear it` : "the node is not flapping",
  );
  check(
    "other-tool",
    input.otherTool === null,
    "skip",
    input.otherTool ? `another tool is repairing the node: ${input.otherTool}` : "no other tool is repairing the node",
  );
  check("connection", input.connectionProblem === null, "defer", input.connectionProblem ?? "the connection to the API server is stable");
  const window = openWindow(policy.maintenanceWindows, input.now);
  check(
    "window",
    window !== null,
    "defer",
    window === true
      ? "the policy has no maintenance windows: always open"
      : window
        ? `in the maintenance window ${describeWindow(window)}`
        : `outside the policy's maintenance windows (${policy.maintenanceWindows.map(describeWindow).join("; ")})`,
  );
  const healthy = input.selected.filter(isHealthy).length;
  const healthyPct = pct(healthy, input.selected.length);
  check(
    "budget",
    input.selected.length > 0 && (healthy / input.selected.length) * 100 >= policy.minHealthyPercent,
    "defer",
    `${healthy} of ${input.selected.length} selected nodes healthy (${healthyPct} %; the policy needs at least ${policy.minHealthyPercent} %)`,
  );
  if (!input.started) {
    check(
      "concurrency",
      input.acting < policy.maxConcurrent,
      "defer",
      `${input.acting} repair(s) of this policy under way (at most ${policy.maxConcurrent} at once)`,
    );
    check(
      "rate-limit",
      input.actedLastHour < policy.maxRepairsPerHour,
      "defer",
      `${input.actedLastHour} node(s) repaired by this policy in the last hour (at most ${policy.maxRepairsPerHour})`,
    );
  }
  const partition = partitionOf(input);
  check("partition", partition === null, "propose", partition ?? "the node's failure domain is not wholly unhealthy");
  return checks;
}

export type TSafetyVerdict =
  | { verdict: "go"; proposeOnly: TRuleCheck | null; checks: TRuleCheck[] }
  | { verdict: "defer" | "skip"; blocking: TRuleCheck; checks: TRuleCheck[] };

/** The first rule that holds the repair back decides; a failed "propose" rule only lowers act to propose. */
export function safetyVerdict(checks: TRuleCheck[]): TSafetyVerdict {
  const blocking = checks.find((c) => !c.passed && c.effect !== "propose");
  if (blocking) return { verdict: blocking.effect as "defer" | "skip", blocking, checks };
  return { verdict: "go", proposeOnly: checks.find((c) => !c.passed) ?? null, checks };
}
