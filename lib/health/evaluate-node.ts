import type { V1Lease, V1Node, V1NodeCondition } from "@kubernetes/client-node";
import { evaluateHeartbeat, type THeartbeat } from "./evaluate-heartbeat";
import type { THealth, TNodeState } from "./states";
import { toIso } from "./time";

export type TTaint = {
  key: string;
  value: string | null;
  effect: string;
  /** Set by the API for NoExecute taints only; the eviction countdown starts here. */
  timeAdded: string | null;
};

export type TNodeProblem = {
  type: string;
  /** "pressure": a standard kubelet condition; "detector": anything else (node-problem-detector). */
  kind: "pressure" | "detector";
  reason: string | null;
  message: string | null;
  since: string | null;
};

export type TNodeHealth = {
  name: string;
  uid: string | null;
  createdAt: string | null;
  /** The Ready condition: Ready / NotReady / Unknown (Unknown also when it is missing). */
  health: THealth;
  state: TNodeState;
  /** The Ready condition's lastTransitionTime, in whichever field matches `health`. */
  readySince: string | null;
  notReadySince: string | null;
  readyReason: string | null;
  readyMessage: string | null;
  heartbeat: THeartbeat;
  cordoned: boolean;
  taints: TTaint[];
  problems: TNodeProblem[];
  roles: string[];
  kubeletVersion: string | null;
  internalIP: string | null;
  evaluatedAt: string;
};

/** Conditions the kubelet itself sets; True on any but Ready is a problem. */
const PRESSURE_CONDITIONS = new Set(["MemoryPressure", "DiskPressure", "PIDPressure", "NetworkUnavailable"]);
const ROLE_LABEL_PREFIX = "node-role.kubernetes.io/";
const LEGACY_ROLE_LABEL = "kubernetes.io/role";

export function healthOfCondition(condition: V1NodeCondition | undefined): THealth {
  if (condition?.status === "True") return "Ready";
  if (condition?.status === "False") return "NotReady";
  return "Unknown";
}

export function rolesOf(labels: Record<string, string> | undefined): string[] {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(labels ?? {})) {
    if (key.startsWith(ROLE_LABEL_PREFIX) && key.length > ROLE_LABEL_PREFIX.length) {
      roles.add(key.slice(ROLE_LABEL_PREFIX.length));
    }
    if (key === LEGACY_ROLE_LABEL && value) roles.add(value);
  }
  return [...roles].sort();
}

function problemsOf(conditions: V1NodeCondition[]): TNodeProblem[] {
  return conditions
    .filter((c) => c.type !== "Ready" && c.status === "True")
    .map((c) => ({
      type: c.type,
      kind: PRESSURE_CONDITIONS.has(c.type) ? ("pressure" as const) : ("detector" as const),
      reason: c.reason ?? null,
      message: c.message ?? null,
      since: toIso(c.lastTransitionTime),
    }));
}

/** One node's verdict from its object, its Lease (kube-node-lease/<name>) and the time. */
export function evaluateNode(options: {
  node: V1Node;
  lease: V1Lease | null | undefined;
  now: Date;
  /** Overrides the lease-derived heartbeat-late threshold (see lateThresholdMs). */
  lateAfterMs?: number;
  renewIntervalMs?: number;
  /** When the cache (re)connected; holds back "late" right after (see evaluateHeartbeat). */
  observedSince?: Date | null;
}): TNodeHealth {
  const { node, lease, now } = options;
  const conditions = node.status?.conditions ?? [];
  const ready = conditions.find((c) => c.type === "Ready");
  const health = healthOfCondition(ready);
  const heartbeat = evaluateHeartbeat({
    lease,
    now,
    lateAfterMs: options.lateAfterMs,
    renewIntervalMs: options.renewIntervalMs,
    observedSince: options.observedSince,
  });
  const state: TNodeState = health === "Ready" && heartbeat.late ? "HeartbeatLate" : health;
  const since = toIso(ready?.lastTransitionTime);

  return {
    name: node.metadata?.name ?? "",
    uid: node.metadata?.uid ?? null,
    createdAt: toIso(node.metadata?.creationTimestamp),
    health,
    state,
    readySince: health === "Ready" ? since : null,
    notReadySince: health === "Ready" ? null : since,
    readyReason: ready?.reason ?? null,
    readyMessage: ready?.message ?? null,
    heartbeat,
    cordoned: node.spec?.unschedulable === true,
    taints: (node.spec?.taints ?? []).map((t) => ({
      key: t.key,
      value: t.value ?? null,
      effect: t.effect,
      timeAdded: toIso(t.timeAdded),
    })),
    problems: problemsOf(conditions),
    roles: rolesOf(node.metadata?.labels),
    kubeletVersion: node.status?.nodeInfo?.kubeletVersion || null,
    internalIP: node.status?.addresses?.find((a) => a.type === "InternalIP")?.address ?? null,
    evaluatedAt: now.toISOString(),
  };
}
