// What node-rescue watches, by collection path. PodDisruptionBudgets moved from policy/v1beta1
// (Kubernetes 1.20) to policy/v1 (1.21+): the path is discovered from what the server offers.
import type {
  CoreV1Event,
  KubeConfig,
  V1DaemonSet,
  V1Deployment,
  V1Lease,
  V1Node,
  V1PersistentVolume,
  V1PersistentVolumeClaim,
  V1Pod,
  V1PodDisruptionBudget,
  V1ReplicaSet,
  V1StatefulSet,
  V1VolumeAttachment,
} from "@kubernetes/client-node";
import { getJson } from "./list-watch";

export const NODE_LEASE_NAMESPACE = "kube-node-lease";

export type TWatchedKinds = {
  nodes: V1Node;
  pods: V1Pod;
  leases: V1Lease;
  pvcs: V1PersistentVolumeClaim;
  pvs: V1PersistentVolume;
  volumeAttachments: V1VolumeAttachment;
  statefulSets: V1StatefulSet;
  deployments: V1Deployment;
  replicaSets: V1ReplicaSet;
  daemonSets: V1DaemonSet;
  pdbs: V1PodDisruptionBudget;
  /** Events about Nodes only (evidence for remediation). */
  nodeEvents: CoreV1Event;
};
export type TWatchedKind = keyof TWatchedKinds;

export type TWatchSpec = { path: string; fieldSelector?: string };

export const WATCH_PATHS: Record<Exclude<TWatchedKind, "pdbs">, string | TWatchSpec> = {
  nodes: "/api/v1/nodes",
  pods: "/api/v1/pods",
  leases: `/apis/coordination.k8s.io/v1/namespaces/${NODE_LEASE_NAMESPACE}/leases`,
  pvcs: "/api/v1/persistentvolumeclaims",
  pvs: "/api/v1/persistentvolumes",
  volumeAttachments: "/apis/storage.k8s.io/v1/volumeattachments",
  statefulSets: "/apis/apps/v1/statefulsets",
  deployments: "/apis/apps/v1/deployments",
  replicaSets: "/apis/apps/v1/replicasets",
  daemonSets: "/apis/apps/v1/daemonsets",
  nodeEvents: { path: "/api/v1/events", fieldSelector: "involvedObject.kind=Node" },
};

/** The policy group version serving PodDisruptionBudgets and Evictions on this server. */
export async function discoverPolicyVersion(kc: KubeConfig): Promise<"v1" | "v1beta1"> {
  const group = await getJson<{ versions: Array<{ version: string }> }>(kc, "/apis/policy");
  const versions = group.versions.map((v) => v.version);
  if (versions.includes("v1")) {
    // 1.21 serves PDBs in policy/v1 but Evictions only from 1.22: check the resource list.
    const resources = await getJson<{ resources: Array<{ name: string }> }>(kc, "/apis/policy/v1");
    if (resources.resources.some((r) => r.name === "poddisruptionbudgets")) return "v1";
  }
  return "v1beta1";
}

export const pdbPath = (version: "v1" | "v1beta1") => `/apis/policy/${version}/poddisruptionbudgets`;
