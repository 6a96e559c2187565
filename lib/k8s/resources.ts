// What node-rescue watches, by collection path. PodDisruptionBudgets moved from policy/v1beta1
// (Kubernetes 1.20) to policy/v1 (1.21+), Evictions a release later (1.22+): both versions are
// discovered from what the server offers.
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

export type TPolicyVersion = "v1" | "v1beta1";
/** The policy versions this server serves: PodDisruptionBudgets (watched) and Evictions (posted). */
export type TPolicyVersions = { pdb: TPolicyVersion; eviction: TPolicyVersion };

type TApiResources = { resources: Array<{ name: string; group?: string; version?: string }> };
type TApiGroup = { versions: Array<{ version: string }> };

/**
 * PURE: the policy versions, read from discovery. The two moved separately: PodDisruptionBudgets
 * are served in policy/v1 from 1.21, Evictions only from 1.22; the Eviction's version is the one
 * the core group's `pods/eviction` subresource names (v1beta1 on 1.20 and 1.21, v1 since 1.22).
 */
export function policyVersionsOf(docs: {
  /** GET /api/v1 */
  core: TApiResources;
  /** GET /apis/policy/v1, null when the group does not serve v1. */
  policyV1: TApiResources | null;
}): TPolicyVersions {
  const pdb = docs.policyV1?.resources.some((r) => r.name === "poddisruptionbudgets") ? "v1" : "v1beta1";
  const eviction = docs.core.resources.find((r) => r.name === "pods/eviction");
  // A server too old to name the subresource's group version (before 1.10) only speaks v1beta1.
  return { pdb, eviction: eviction?.group === "policy" && eviction.version === "v1" ? "v1" : "v1beta1" };
}

/** The policy versions the server advertises (policyVersionsOf), from its discovery documents. */
export async function discoverPolicyVersions(kc: KubeConfig): Promise<TPolicyVersions> {
  const [core, policy] = await Promise.all([getJson<TApiResources>(kc, "/api/v1"), getJson<TApiGroup>(kc, "/apis/policy")]);
  const policyV1 = policy.versions.some((v) => v.version === "v1") ? await getJson<TApiResources>(kc, "/apis/policy/v1") : null;
  return policyVersionsOf({ core, policyV1 });
}

export const pdbPath = (version: TPolicyVersion) => `/apis/policy/${version}/poddisruptionbudgets`;
