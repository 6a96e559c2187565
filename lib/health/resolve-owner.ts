import type { V1ObjectMeta, V1OwnerReference, V1Pod, V1ReplicaSet } from "@kubernetes/client-node";
import { findByNsName } from "./index-by-name";

export type TOwner = {
  /** The workload an operator knows: Deployment rather than its ReplicaSet when we can tell. */
  kind: string;
  name: string;
  uid: string | null;
  /** The ReplicaSet in between, for pods of a Deployment or of a bare ReplicaSet. */
  replicaSet: string | null;
};

/** Objects the owner chain may pass through; extend when another chain matters (Job → CronJob). */
export type TOwnerObjects = {
  replicaSets?: readonly V1ReplicaSet[];
};

export const MIRROR_ANNOTATION = "kubernetes.io/config.mirror";

export function controllerOf(metadata: V1ObjectMeta | undefined): V1OwnerReference | null {
  const refs = metadata?.ownerReferences ?? [];
  return refs.find((r) => r.controller === true) ?? refs[0] ?? null;
}

export function isMirrorPod(pod: V1Pod): boolean {
  return pod.metadata?.annotations?.[MIRROR_ANNOTATION] !== undefined;
}

/**
 * The pod's controlling workload, following ReplicaSet → Deployment. When the ReplicaSet is not
 * among `owners` we report the ReplicaSet itself rather than guess from its name.
 */
export function resolveOwner(options: { pod: V1Pod; owners: TOwnerObjects }): TOwner | null {
  const { pod, owners } = options;
  const ref = controllerOf(pod.metadata);
  if (!ref) return null;
  if (ref.kind !== "ReplicaSet") return { kind: ref.kind, name: ref.name, uid: ref.uid, replicaSet: null };

  const namespace = pod.metadata?.namespace;
  const replicaSet = findByNsName(owners.replicaSets, namespace, ref.name);
  const parent = controllerOf(replicaSet?.metadata);
  if (parent?.kind === "Deployment") {
    return { kind: "Deployment", name: parent.name, uid: parent.uid, replicaSet: ref.name };
  }
  return { kind: "ReplicaSet", name: ref.name, uid: ref.uid, replicaSet: ref.name };
}
