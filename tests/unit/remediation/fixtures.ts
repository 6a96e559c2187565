// Small factories for the remediation tests. V1 objects come from the health fixtures; TNodeHealth
// is built directly here when a test only cares about a few fields (state, roles, taints, cordon).
import type { V1LabelSelector, V1Node, V1Pod, V1PodDisruptionBudget, V1Taint } from "@kubernetes/client-node";
import type { TNodeHealth, TNodeState, TTaint } from "@/lib/health";
import { DEFAULT_GATE_SETTINGS, type TGateInput } from "@/lib/remediation/gates";
import { outOfServiceRelease } from "@/lib/remediation/out-of-service";
import type { TPlanInput } from "@/lib/remediation/plan";
import { ago, MINUTE, makeNode, makePod, NOW } from "../health/fixtures";

export { ago, iso, MINUTE, makeNode, makePod, NOW, ownerRef, SECOND } from "../health/fixtures";

const HEALTH_OF: Record<TNodeState, TNodeHealth["health"]> = {
  Ready: "Ready",
  HeartbeatLate: "Ready",
  NotReady: "NotReady",
  Unknown: "Unknown",
  Deleted: "Unknown",
};

/** A TNodeHealth with sensible defaults: a Ready worker. `deadForMs` sets notReadySince. */
export function health(
  options: {
    name?: string;
    state?: TNodeState;
    deadForMs?: number | null;
    roles?: string[];
    cordoned?: boolean;
    taints?: Array<Partial<TTaint> & { key: string; effect: string }>;
  } = {},
): TNodeHealth {
  const state = options.state ?? "Ready";
  const dead = state === "NotReady" || state === "Unknown";
  const deadForMs = options.deadForMs === undefined ? (dead ? 10 * MINUTE : null) : options.deadForMs;
  return {
    name: options.name ?? "worker-1",
    uid: `uid-${options.name ?? "worker-1"}`,
    createdAt: "2025-01-01T00:00:00.000Z",
    health: HEALTH_OF[state],
    state,
    readySince: dead ? null : ago(60 * MINUTE).toISOString(),
    notReadySince: deadForMs === null ? null : ago(deadForMs).toISOString(),
    readyReason: null,
    readyMessage: null,
    heartbeat: {
      leaseRenewTime: null,
      ageMs: null,
      leaseDurationSeconds: 40,
      lateAfterMs: 20_000,
      late: state === "HeartbeatLate",
      warmingUp: false,
    },
    cordoned: options.cordoned ?? false,
    taints: (options.taints ?? []).map((t) => ({ value: null, timeAdded: null, ...t })),
    problems: [],
    roles: options.roles ?? [],
    kubeletVersion: "v1.33.2",
    internalIP: null,
    evaluatedAt: NOW.toISOString(),
  };
}

/** n Ready workers named ready-1..ready-n. */
export const readyWorkers = (n: number) => Array.from({ length: n }, (_, i) => health({ name: `ready-${i + 1}` }));

export function gateInput(overrides: Partial<TGateInput> = {}): TGateInput {
  const node = overrides.node ?? health({ state: "Unknown", deadForMs: 10 * MINUTE });
  return {
    action: "node.delete",
    node,
    labels: {},
    annotations: {},
    nodes: [node, ...readyWorkers(4)],
    connected: true,
    reconnects: [],
    serverVersion: "v1.28.3",
    terminatingPods: 0,
    restorableBackup: false,
    outOfService: outOfServiceRelease({ node, pods: [], volumeAttachments: [] }),
    settings: DEFAULT_GATE_SETTINGS,
    now: NOW,
    ...overrides,
  };
}

/** A Node object with allocatable resources (for the capacity estimate). */
export function nodeWithAllocatable(
  name: string,
  allocatable: { cpu?: string; memory?: string; pods?: string },
  extra: { taints?: V1Taint[]; labels?: Record<string, string>; annotations?: Record<string, string> } = {},
): V1Node {
  const node = makeNode({ name, taints: extra.taints, labels: extra.labels });
  return {
    ...node,
    metadata: { ...node.metadata, annotations: extra.annotations },
    status: {
      ...node.status,
      allocatable: Object.fromEntries(Object.entries(allocatable).filter(([, v]) => v !== undefined)) as Record<string, string>,
    },
  };
}

/** A pod with resource requests on one container each (cpu/memory strings), or none. */
export function podWithRequests(
  options: Parameters<typeof makePod>[0] & { requests?: Array<{ cpu?: string; memory?: string }>; labels?: Record<string, string> },
): V1Pod {
  const pod = makePod(options);
  const containers = (options.requests ?? [{}]).map((r, i) => ({
    name: `c${i}`,
    image: "nginx",
    resources:
      r.cpu || r.memory
        ? { requests: Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) as Record<string, string> }
        : undefined,
  }));
  return {
    ...pod,
    metadata: { ...pod.metadata, labels: options.labels },
    spec: { ...pod.spec, containers },
  };
}

export function makePdb(options: {
  name: string;
  namespace?: string;
  matchLabels?: Record<string, string>;
  selector?: V1LabelSelector;
  disruptionsAllowed?: number;
}): V1PodDisruptionBudget {
  return {
    metadata: { name: options.name, namespace: options.namespace ?? "shop" },
    spec: { selector: options.selector ?? (options.matchLabels ? { matchLabels: options.matchLabels } : undefined), maxUnavailable: 1 },
    ...(options.disruptionsAllowed === undefined
      ? {}
      : { status: { disruptionsAllowed: options.disruptionsAllowed, currentHealthy: 3, desiredHealthy: 2, expectedPods: 3 } }),
  };
}

export function planInput(overrides: Partial<TPlanInput> = {}): TPlanInput {
  return {
    action: "node.drain",
    node: health({ name: "worker-1" }),
    pods: [],
    allPods: [],
    nodes: [],
    nodeObjects: new Map(),
    owners: {},
    pvcs: [],
    pvs: [],
    volumeAttachments: [],
    pdbs: [],
    backup: null,
    evictionVersion: null,
    ...overrides,
  };
}

/** Terminating: a pod whose delete was requested `ms` ago. */
export const terminatingPod = (name: string, extra: Parameters<typeof makePod>[0] = {}) =>
  makePod({ name, deletedAgoMs: MINUTE, ...extra });
