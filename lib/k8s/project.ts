// What the server keeps of the objects it watches. Pods are the bulk (tens of thousands), so
// only the fields node-rescue reads survive; Nodes lose their image lists (often tens of KB each
// on real clusters). Everything else is kept as the API sent it (minus managedFields).
import type { V1Node, V1Pod } from "@kubernetes/client-node";

const MIRROR_ANNOTATION = "kubernetes.io/config.mirror";

/** The fields lib/health, lib/remediation and lib/views read of a pod, and nothing else. */
export function projectPod(pod: V1Pod): V1Pod {
  const m = pod.metadata ?? {};
  const mirror = m.annotations?.[MIRROR_ANNOTATION];
  return {
    metadata: {
      name: m.name,
      namespace: m.namespace,
      uid: m.uid,
      resourceVersion: m.resourceVersion,
      creationTimestamp: m.creationTimestamp,
      deletionTimestamp: m.deletionTimestamp,
      deletionGracePeriodSeconds: m.deletionGracePeriodSeconds,
      labels: m.labels,
      annotations: mirror === undefined ? undefined : { [MIRROR_ANNOTATION]: mirror },
      ownerReferences: m.ownerReferences,
    },
    spec: pod.spec && {
      nodeName: pod.spec.nodeName,
      tolerations: pod.spec.tolerations,
      volumes: pod.spec.volumes?.filter((v) => v.persistentVolumeClaim || v.ephemeral),
      containers: pod.spec.containers.map((c) => ({
        name: c.name,
        resources: c.resources?.requests ? { requests: c.resources.requests } : undefined,
      })),
    },
    status: pod.status && {
      phase: pod.status.phase,
      conditions: pod.status.conditions
        ?.filter((c) => c.type === "Ready")
        .map((c) => ({ type: c.type, status: c.status, lastTransitionTime: c.lastTransitionTime })),
    },
  };
}

export function projectNode(node: V1Node): V1Node {
  if (!node.status?.images) return node;
  const { images: _images, ...status } = node.status;
  return { ...node, status };
}
