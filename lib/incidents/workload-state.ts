// A tracked workload's service state, from its controller's own status (ready replicas against
// the desired count): the fact Kubernetes reports, not our estimate. Once the node controller
// marks a dead node's pods not Ready, the controllers count them out.
import type { V1Deployment, V1Pod, V1ReplicaSet, V1StatefulSet } from "@kubernetes/client-node";
import { isPodReady } from "@/lib/health/evaluate-pod";
import { findByNsName } from "@/lib/health/index-by-name";
import type { TWorkloadObjects } from "@/lib/health/workload-impact";
import type { TWorkloadRef, TWorkloadState } from "./types";

/** Kinds whose service can be judged from a status; others (Jobs, custom controllers) are not tracked. */
export const TRACKED_KINDS: ReadonlySet<string> = new Set(["Deployment", "StatefulSet", "ReplicaSet", "DaemonSet", "Pod"]);

export type TWorkloadReading = { state: TWorkloadState; desired: number | null; ready: number | null };

export function readWorkloadState(options: { ref: TWorkloadRef; workloads: TWorkloadObjects; pods: readonly V1Pod[] }): TWorkloadReading {
  const { ref, workloads } = options;
  const judge = (desired: number, ready: number): TWorkloadReading => ({
    state: desired === 0 || ready >= desired ? "whole" : ready === 0 ? "down" : "degraded",
    desired,
    ready,
  });
  switch (ref.kind) {
    case "Pod": {
      const pod = findByNsName(options.pods, ref.namespace, ref.name);
      if (!pod) return { state: "gone", desired: 1, ready: null };
      return judge(1, isPodReady(pod) && !pod.metadata?.deletionTimestamp ? 1 : 0);
    }
    case "DaemonSet": {
      const ds = findByNsName(workloads.daemonSets, ref.namespace, ref.name);
      if (!ds) return { state: "gone", desired: null, ready: null };
      return judge(ds.status?.desiredNumberScheduled ?? 0, ds.status?.numberReady ?? 0);
    }
    default: {
      const list: readonly (V1Deployment | V1StatefulSet | V1ReplicaSet)[] | undefined =
        ref.kind === "Deployment" ? workloads.deployments : ref.kind === "StatefulSet" ? workloads.statefulSets : workloads.replicaSets;
      const w = findByNsName<V1Deployment | V1StatefulSet | V1ReplicaSet>(list, ref.namespace, ref.name);
      if (!w) return { state: "gone", desired: null, ready: null };
      return judge(w.spec?.replicas ?? 1, w.status?.readyReplicas ?? 0);
    }
  }
}
