import type { V1Lease, V1Node, V1PersistentVolume, V1PersistentVolumeClaim, V1Pod, V1VolumeAttachment } from "@kubernetes/client-node";
import { evaluateNode, type TNodeHealth } from "./evaluate-node";
import { evaluateStuckPod, type TStuckPod } from "./evaluate-pod";
import { findStuckPods, summarizeCluster, type TClusterSummary } from "./summarize";
import { evaluateWorkloadImpact, type TWorkloadImpact, type TWorkloadObjects } from "./workload-impact";

export const NODE_LEASE_NAMESPACE = "kube-node-lease";

export type TClusterHealth = {
  summary: TClusterSummary;
  /** Sorted by name. */
  nodes: TNodeHealth[];
  stuckPods: TStuckPod[];
  workloads: TWorkloadImpact[];
};

/** What the health of a cluster is judged from: one consistent read of the cache, and the time. */
export type TClusterInputs = {
  nodes: readonly V1Node[];
  /** Node Leases; those outside kube-node-lease are ignored. */
  leases: readonly V1Lease[];
  pods: readonly V1Pod[];
  pvcs: readonly V1PersistentVolumeClaim[];
  pvs: readonly V1PersistentVolume[];
  volumeAttachments: readonly V1VolumeAttachment[];
  workloads: TWorkloadObjects;
  now: Date;
  lateAfterMs?: number;
  renewIntervalMs?: number;
  /** When the cache (re)connected: no heartbeat is called late sooner than the threshold after. */
  observedSince?: Date | null;
};

/** The whole verdict from one consistent snapshot of the cache. */
export function evaluateCluster(options: TClusterInputs): TClusterHealth {
  const { now } = options;
  const leases = new Map(
    options.leases.filter((l) => l.metadata?.namespace === NODE_LEASE_NAMESPACE).map((l) => [l.metadata?.name ?? "", l]),
  );
  const nodes = options.nodes
    .map((node) =>
      evaluateNode({
        node,
        lease: leases.get(node.metadata?.name ?? ""),
        now,
        lateAfterMs: options.lateAfterMs,
        renewIntervalMs: options.renewIntervalMs,
        observedSince: options.observedSince,
      }),
    )
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const stuckPods = findStuckPods({ nodes, pods: options.pods }).map(({ pod, node }) =>
    evaluateStuckPod({
      pod,
      node,
      pvcs: options.pvcs,
      pvs: options.pvs,
      volumeAttachments: options.volumeAttachments,
      owners: options.workloads,
      now,
    }),
  );
  const workloads = evaluateWorkloadImpact({ nodes, pods: options.pods, workloads: options.workloads });

  const summary = summarizeCluster({ nodes, stuckPods, workloads, now, observedSince: options.observedSince });
  return { summary, nodes, stuckPods, workloads };
}
