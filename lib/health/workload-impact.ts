import type { V1DaemonSet, V1Deployment, V1Pod, V1ReplicaSet, V1StatefulSet } from "@kubernetes/client-node";
import type { TNodeHealth } from "./evaluate-node";
import { isPodReady } from "./evaluate-pod";
import { findByNsName } from "./index-by-name";
import { isMirrorPod, resolveOwner } from "./resolve-owner";

export const SERVICE_IMPACTS = ["none", "degraded", "down"] as const;
export type TServiceImpact = (typeof SERVICE_IMPACTS)[number];

export type TWorkloadObjects = {
  deployments?: readonly V1Deployment[];
  statefulSets?: readonly V1StatefulSet[];
  replicaSets?: readonly V1ReplicaSet[];
  daemonSets?: readonly V1DaemonSet[];
};

export type TWorkloadImpact = {
  /** Deployment, StatefulSet, ReplicaSet, DaemonSet, Job, ... or "Pod" for a bare pod. */
  kind: string;
  namespace: string;
  name: string;
  /** spec.replicas (DaemonSet: status.desiredNumberScheduled); null when the object is unknown. */
  desiredReplicas: number | null;
  /** The controller's own status.readyReplicas, which may still count pods on a late node. */
  statusReadyReplicas: number | null;
  /** Pods Ready, not terminating, on a node whose state is Ready: what really serves. */
  readyElsewhere: number;
  /** Pods of this workload on unhealthy nodes ("namespace/name" is implied: names only). */
  podsOnUnhealthyNodes: string[];
  unhealthyNodes: string[];
  serviceImpact: TServiceImpact;
};

type TReplicas = { desired: number | null; ready: number | null };

/** Desired and ready replicas from the workload object; nulls when it is not in the cache. */
function replicasOf(options: { kind: string; namespace: string; name: string; workloads: TWorkloadObjects }): TReplicas {
  const { kind, namespace, name, workloads } = options;
  if (kind === "Pod") return { desired: 1, ready: null };
  if (kind === "DaemonSet") {
    const status = findByNsName(workloads.daemonSets, namespace, name)?.status;
    return { desired: status?.desiredNumberScheduled ?? null, ready: status?.numberReady ?? null };
  }

  const lists: Record<string, readonly (V1Deployment | V1StatefulSet | V1ReplicaSet)[] | undefined> = {
    Deployment: workloads.deployments,
    StatefulSet: workloads.statefulSets,
    ReplicaSet: workloads.replicaSets,
  };
  const workload = findByNsName(lists[kind], namespace, name);
  if (!workload) return { desired: null, ready: null };
  return { desired: workload.spec?.replicas ?? 1, ready: workload.status?.readyReplicas ?? 0 };
}

/**
 * The impact on service: "none" when at least the desired number of replicas is Ready on healthy
 * nodes (or none is desired), "down" when no replica is, "degraded" in between. An unknown
 * desired count with some Ready replicas is "degraded": one replica at least sits on a dead node.
 */
export function serviceImpactOf(options: { desired: number | null; readyElsewhere: number }): TServiceImpact {
  const { desired, readyElsewhere } = options;
  if (desired === 0) return "none";
  if (readyElsewhere === 0) return "down";
  if (desired !== null && readyElsewhere >= desired) return "none";
  return "degraded";
}

/**
 * Every workload with a pod on a node whose state is not Ready (HeartbeatLate counts: its pods are
 * in doubt). Finished pods and static pods are left out: the first serve nothing, the second
 * belong to the node itself. Sorted by namespace, kind, name.
 */
export type TWorkloadKey = { key: string; kind: string; namespace: string; name: string };

export function evaluateWorkloadImpact(options: {
  nodes: readonly TNodeHealth[];
  pods: readonly V1Pod[];
  workloads: TWorkloadObjects;
  /**
   * Each pod's workload, remembered by a caller that evaluates again and again: valid while the
   * pod object and the workloads are the same (the caller starts a new map when workloads change).
   */
  workloadOfPod?: WeakMap<V1Pod, TWorkloadKey>;
}): TWorkloadImpact[] {
  const states = new Map(options.nodes.map((n) => [n.name, n.state]));
  const onUnhealthyNode = (p: V1Pod) => {
    const state = states.get(p.spec?.nodeName ?? "");
    return state !== undefined && state !== "Ready";
  };
  const counted = (p: V1Pod) => {
    const phase = p.status?.phase;
    return phase !== "Succeeded" && phase !== "Failed" && !isMirrorPod(p);
  };
  const keyOf = (pod: V1Pod): TWorkloadKey => {
    const kept = options.workloadOfPod?.get(pod);
    if (kept) return kept;
    const owner = resolveOwner({ pod, owners: options.workloads });
    const namespace = pod.metadata?.namespace ?? "";
    const kind = owner?.kind ?? "Pod";
    const name = owner?.name ?? pod.metadata?.name ?? "";
    const key = { key: `${namespace}\u0000${kind}\u0000${name}`, kind, namespace, name };
    options.workloadOfPod?.set(pod, key);
    return key;
  };

  // Pass 1, the workloads hit: only pods on unhealthy nodes (a healthy cluster costs one lookup per pod).
  const groups = new Map<string, { kind: string; namespace: string; name: string; pods: V1Pod[] }>();
  for (const pod of options.pods) {
    if (!onUnhealthyNode(pod) || !counted(pod)) continue;
    const { key, kind, namespace, name } = keyOf(pod);
    const group = groups.get(key) ?? { kind, namespace, name, pods: [] };
    group.pods.push(pod);
    groups.set(key, group);
  }
  if (groups.size === 0) return [];
  // Pass 2, their other pods: where they may still be serving.
  const namespaces = new Set([...groups.values()].map((g) => g.namespace));
  for (const pod of options.pods) {
    if (onUnhealthyNode(pod) || !counted(pod) || !namespaces.has(pod.metadata?.namespace ?? "")) continue;
    groups.get(keyOf(pod).key)?.pods.push(pod);
  }

  const impacts: TWorkloadImpact[] = [];
  for (const { kind, namespace, name, pods } of groups.values()) {
    const unhealthy = pods.filter((p) => {
      const nodeName = p.spec?.nodeName;
      return nodeName !== undefined && states.has(nodeName) && states.get(nodeName) !== "Ready";
    });
    if (unhealthy.length === 0) continue;

    const readyElsewhere = pods.filter(
      (p) => states.get(p.spec?.nodeName ?? "") === "Ready" && !p.metadata?.deletionTimestamp && isPodReady(p),
    ).length;
    const { desired, ready } = replicasOf({ kind, namespace, name, workloads: options.workloads });
    impacts.push({
      kind,
      namespace,
      name,
      desiredReplicas: desired,
      statusReadyReplicas: ready,
      readyElsewhere,
      podsOnUnhealthyNodes: unhealthy.map((p) => p.metadata?.name ?? "").sort(),
      unhealthyNodes: [...new Set(unhealthy.map((p) => p.spec?.nodeName ?? ""))].sort(),
      serviceImpact: serviceImpactOf({ desired, readyElsewhere }),
    });
  }
  return impacts.sort((a, b) => compare(a.namespace, b.namespace) || compare(a.kind, b.kind) || compare(a.name, b.name));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
