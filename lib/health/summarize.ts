import type { V1Pod } from "@kubernetes/client-node";
import type { TNodeHealth } from "./evaluate-node";
import type { TStuckPod } from "./evaluate-pod";
import { NODE_STATES, type TNodeState } from "./states";
import type { TWorkloadImpact } from "./workload-impact";

/**
 * Whether a pod is stuck on its node. A pod is stuck when it is bound (spec.nodeName) to
 * - a NotReady or Unknown node, whatever the pod's own state: nothing confirms it runs; or
 * - a HeartbeatLate node and it is Terminating: the silent kubelet is not finishing the delete.
 * Pods that already finished (Succeeded/Failed) and are not Terminating are not stuck: nothing runs.
 * Pods whose node is not in `nodes` are left to the pod garbage collector and not reported.
 */
export function isStuckPod(options: { pod: V1Pod; node: TNodeHealth | undefined }): boolean {
  const { pod, node } = options;
  if (!node || node.state === "Ready" || node.state === "Deleted") return false;
  const terminating = pod.metadata?.deletionTimestamp != null;
  const phase = pod.status?.phase;
  if (!terminating && (phase === "Succeeded" || phase === "Failed")) return false;
  if (node.state === "HeartbeatLate") return terminating;
  return true;
}

/** The stuck pods of the cluster with their node, in the order of `pods`. */
export function findStuckPods(options: { nodes: readonly TNodeHealth[]; pods: readonly V1Pod[] }): { pod: V1Pod; node: TNodeHealth }[] {
  const byName = new Map(options.nodes.map((n) => [n.name, n]));
  return options.pods.flatMap((pod) => {
    const node = byName.get(pod.spec?.nodeName ?? "");
    return node && isStuckPod({ pod, node }) ? [{ pod, node }] : [];
  });
}

export type TClusterSummary = {
  evaluatedAt: string;
  /** Since when the cache has watched without interruption; null when the caller did not say. */
  observedSince: string | null;
  nodes: {
    total: number;
    /** Every state is present; Deleted is always 0 here (the recorder owns it). */
    byState: Record<TNodeState, number>;
    cordoned: number;
    withProblems: number;
  };
  stuckPods: number;
  needsAction: number;
  workloads: { affected: number; down: number; degraded: number };
};

export function summarizeCluster(options: {
  nodes: readonly TNodeHealth[];
  stuckPods: readonly TStuckPod[];
  workloads: readonly TWorkloadImpact[];
  now: Date;
  observedSince?: Date | null;
}): TClusterSummary {
  const { nodes, stuckPods, workloads } = options;
  const byState = Object.fromEntries(NODE_STATES.map((s) => [s, 0])) as Record<TNodeState, number>;
  for (const node of nodes) byState[node.state] += 1;

  return {
    evaluatedAt: options.now.toISOString(),
    observedSince: options.observedSince?.toISOString() ?? null,
    nodes: {
      total: nodes.length,
      byState,
      cordoned: nodes.filter((n) => n.cordoned).length,
      withProblems: nodes.filter((n) => n.problems.length > 0).length,
    },
    stuckPods: stuckPods.length,
    needsAction: stuckPods.filter((p) => p.needsAction).length,
    workloads: {
      affected: workloads.length,
      down: workloads.filter((w) => w.serviceImpact === "down").length,
      degraded: workloads.filter((w) => w.serviceImpact === "degraded").length,
    },
  };
}
