// The node views of a monitor snapshot, as plain JSON objects: a node's row and the incident lists
// (the most urgent stuck pods, the impacted workloads) that /api/nodes and /api/overview share,
// the head every live view starts with, and one node with its conditions and pods for
// /api/nodes/<name>. Durations are given as of the snapshot's health time. /api/nodes sends these
// as bytes assembled by ./serialize-nodes-view.ts; ./overview.ts pages them for the overview.
import type { V1Pod } from "@kubernetes/client-node";
import { isPodReady, stuckPodAt, type TNodeHealth, type TStuckPod } from "@/lib/health";
import type { TSnapshot } from "@/lib/monitor/snapshot";
import type { TOutOfServiceStatus } from "@/lib/remediation/out-of-service-status";

export type TNodeRow = Pick<
  TNodeHealth,
  | "name"
  | "health"
  | "state"
  | "roles"
  | "kubeletVersion"
  | "createdAt"
  | "internalIP"
  | "cordoned"
  | "readySince"
  | "notReadySince"
  | "readyReason"
> & {
  /** Without ageMs: a verdict is carried over while nothing changes, so the age would be stale; age = healthAt − leaseRenewTime. */
  heartbeat: Omit<TNodeHealth["heartbeat"], "ageMs">;
  taints: TNodeHealth["taints"];
  problems: number;
  pods: number;
  stuckPods: number;
};

export function viewConnection(s: TSnapshot) {
  const c = s.connection;
  return {
    status: c.status,
    since: c.since.toISOString(),
    ...(c.status === "connected" ? { serverVersion: c.serverVersion } : {}),
    ...(c.status === "reconnecting" ? { error: c.error } : {}),
  };
}

export function stuckCountByNode(stuck: readonly TStuckPod[]) {
  const counts = new Map<string, number>();
  for (const p of stuck) counts.set(p.nodeName, (counts.get(p.nodeName) ?? 0) + 1);
  return counts;
}

export function viewNodeRow(n: TNodeHealth, pods: number, stuck: number): TNodeRow {
  return {
    name: n.name,
    health: n.health,
    state: n.state,
    roles: n.roles,
    kubeletVersion: n.kubeletVersion,
    createdAt: n.createdAt,
    internalIP: n.internalIP,
    cordoned: n.cordoned,
    readySince: n.readySince,
    notReadySince: n.notReadySince,
    readyReason: n.readyReason,
    heartbeat: {
      leaseRenewTime: n.heartbeat.leaseRenewTime,
      leaseDurationSeconds: n.heartbeat.leaseDurationSeconds,
      lateAfterMs: n.heartbeat.lateAfterMs,
      late: n.heartbeat.late,
      warmingUp: n.heartbeat.warmingUp,
    },
    taints: n.taints,
    problems: n.problems.length,
    pods,
    stuckPods: stuck,
  };
}

export const LIST_LIMIT = 200;

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const urgency = (a: TStuckPod, b: TStuckPod) =>
  Number(b.needsAction) - Number(a.needsAction) || byText(a.namespace, b.namespace) || byText(a.name, b.name);

/**
 * The `limit` most urgent: those that need an operator first, then by namespace and name. A storm
 * strands tens of thousands of pods; keeping the best `limit` in order costs one comparison for
 * most of them instead of sorting them all.
 */
export function mostUrgentStuckPods(pods: readonly TStuckPod[], limit = LIST_LIMIT): TStuckPod[] {
  const top: TStuckPod[] = [];
  for (const p of pods) {
    if (top.length === limit && urgency(p, top[limit - 1] as TStuckPod) >= 0) continue;
    let lo = 0;
    let hi = top.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (urgency(top[mid] as TStuckPod, p) <= 0) lo = mid + 1;
      else hi = mid;
    }
    top.splice(lo, 0, p);
    if (top.length > limit) top.pop();
  }
  return top;
}

/** A stuck pod's durations as of the snapshot (a verdict carried over keeps the time it was judged at). */
const atHealthTime = (p: TStuckPod, s: TSnapshot) => (s.healthAt ? stuckPodAt(p, new Date(s.healthAt)) : p);

/** What the overview lists below the nodes, shared by /api/nodes and the UI's /api/overview. */
export function viewIncident(s: TSnapshot) {
  const health = s.health;
  const impacted = (health?.workloads ?? []).filter((w) => w.serviceImpact !== "none");
  return {
    // A storm can strand tens of thousands of pods: the overview gets the most urgent ones and
    // the totals (per node, every stuck pod is on /api/nodes/<name>).
    stuckPods: mostUrgentStuckPods(health?.stuckPods ?? []).map((p) => atHealthTime(p, s)),
    stuckPodsTotal: health?.stuckPods.length ?? 0,
    workloads: impacted.slice(0, LIST_LIMIT),
    workloadsTotal: impacted.length,
  };
}

/** GET /api/nodes as an object: the summary, every node (sorted by name) and the stuck pods (sent as serializeNodesView's bytes). */
export function viewNodes(s: TSnapshot) {
  const health = s.health;
  const stuck = stuckCountByNode(health?.stuckPods ?? []);
  const nodes = (health?.nodes ?? []).map((n) => viewNodeRow(n, s.podsByNode.get(n.name)?.length ?? 0, stuck.get(n.name) ?? 0));
  return { ...viewNodesHead(s), nodes };
}

/** What every live view starts with: which cluster, the connection, which snapshot, the summary. */
export function viewSnapshotHead(s: TSnapshot) {
  return {
    cluster: s.cluster,
    connection: viewConnection(s),
    version: s.version,
    generatedAt: s.generatedAt,
    healthAt: s.healthAt,
    summary: s.health?.summary ?? null,
  };
}

/** GET /api/nodes without its node rows: the snapshot head and the incident lists. */
export function viewNodesHead(s: TSnapshot) {
  return { ...viewSnapshotHead(s), ...viewIncident(s) };
}

export type TNodesView = ReturnType<typeof viewNodes>;

export type TPodRow = {
  namespace: string;
  name: string;
  phase: string | null;
  ready: boolean;
  owner: { kind: string; name: string } | null;
  terminatingSince: string | null;
  /** Present for pods stuck on this (unhealthy) node: owner, volumes, eviction countdown. */
  stuck: TStuckPod | null;
};

function viewPod(pod: V1Pod, stuck: TStuckPod | undefined): TPodRow {
  const owner = pod.metadata?.ownerReferences?.find((o) => o.controller) ?? pod.metadata?.ownerReferences?.[0];
  return {
    namespace: pod.metadata?.namespace ?? "",
    name: pod.metadata?.name ?? "",
    phase: pod.status?.phase ?? null,
    ready: isPodReady(pod),
    owner: stuck?.owner ? { kind: stuck.owner.kind, name: stuck.owner.name } : owner ? { kind: owner.kind, name: owner.name } : null,
    // deletionTimestamp is when the grace period ends; the delete was requested that much earlier.
    terminatingSince: pod.metadata?.deletionTimestamp
      ? new Date(new Date(pod.metadata.deletionTimestamp).getTime() - (pod.metadata.deletionGracePeriodSeconds ?? 0) * 1000).toISOString()
      : null,
    stuck: stuck ?? null,
  };
}

/** The Lease's age when the snapshot's health was computed (a carried-over verdict keeps an older ageMs). */
function heartbeatAgeMs(node: TNodeHealth, healthAt: string | null): number | null {
  const renewed = node.heartbeat.leaseRenewTime;
  if (!renewed || !healthAt) return node.heartbeat.ageMs;
  return Math.max(0, Date.parse(healthAt) - Date.parse(renewed));
}

/** GET /api/nodes/<name>: the node's verdict, its conditions and every pod bound to it. */
export function viewNode(s: TSnapshot, name: string) {
  const node = s.health?.nodes.find((n) => n.name === name);
  if (!node) return null;
  const stuck = new Map(
    (s.health?.stuckPods ?? []).filter((p) => p.nodeName === name).map((p) => [`${p.namespace}/${p.name}`, atHealthTime(p, s)]),
  );
  const pods = (s.podsByNode.get(name) ?? [])
    .map((p) => viewPod(p, stuck.get(`${p.metadata?.namespace}/${p.metadata?.name}`)))
    .sort((a, b) => Number(!!b.stuck) - Number(!!a.stuck) || a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  const raw = s.nodeObjects.get(name);
  const conditions = (raw?.status?.conditions ?? []).map((c) => ({
    type: c.type,
    status: c.status,
    reason: c.reason ?? null,
    message: c.message ?? null,
    lastHeartbeatTime: c.lastHeartbeatTime ? new Date(c.lastHeartbeatTime).toISOString() : null,
    lastTransitionTime: c.lastTransitionTime ? new Date(c.lastTransitionTime).toISOString() : null,
  }));
  return {
    cluster: s.cluster,
    connection: viewConnection(s),
    version: s.version,
    generatedAt: s.generatedAt,
    node: {
      ...node,
      heartbeat: { ...node.heartbeat, ageMs: heartbeatAgeMs(node, s.healthAt) },
      conditions,
      pods: pods.length,
      stuckPods: stuck.size,
    },
    pods,
  };
}
/** The node route adds the restore offer and the out-of-service status (database + cache) to the snapshot view. */
export type TNodeView = NonNullable<ReturnType<typeof viewNode>> & {
  restore?: { available: boolean; takenAt: string; actionId: string } | null;
  outOfService?: TOutOfServiceStatus | null;
};
