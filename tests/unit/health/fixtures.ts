// Small factories for the health tests: plain objects shaped like @kubernetes/client-node 1.4.0
// deserializes them (Date objects for timestamps).
import type {
  V1DaemonSet,
  V1Deployment,
  V1Lease,
  V1Node,
  V1NodeCondition,
  V1OwnerReference,
  V1PersistentVolume,
  V1PersistentVolumeClaim,
  V1Pod,
  V1ReplicaSet,
  V1StatefulSet,
  V1Taint,
  V1Toleration,
  V1VolumeAttachment,
} from "@kubernetes/client-node";
import { evaluateNode, type TNodeHealth } from "@/lib/health";

export const NOW = new Date("2025-03-01T12:00:00.000Z");
export const SECOND = 1000;
export const MINUTE = 60 * SECOND;

/** A Date `ms` before NOW. */
export const ago = (ms: number) => new Date(NOW.getTime() - ms);
export const iso = (date: Date) => date.toISOString();

export const UNREACHABLE = "node.kubernetes.io/unreachable";
export const NOT_READY = "node.kubernetes.io/not-ready";

export function condition(type: string, status: string, extra: Partial<V1NodeCondition> = {}): V1NodeCondition {
  return { type, status, lastTransitionTime: ago(10 * MINUTE), lastHeartbeatTime: ago(10 * SECOND), ...extra };
}

export function makeNode(
  options: {
    name?: string;
    uid?: string;
    /** The Ready condition's status; null leaves the condition out. */
    ready?: "True" | "False" | "Unknown" | null;
    readyReason?: string;
    readyMessage?: string;
    readySince?: Date;
    conditions?: V1NodeCondition[];
    taints?: V1Taint[];
    labels?: Record<string, string>;
    unschedulable?: boolean;
    internalIP?: string | null;
    kubeletVersion?: string;
  } = {},
): V1Node {
  const name = options.name ?? "worker-1";
  const ready = options.ready === undefined ? "True" : options.ready;
  const readyCondition =
    ready === null
      ? []
      : [
          condition("Ready", ready, {
            reason:
              options.readyReason ?? (ready === "True" ? "KubeletReady" : ready === "False" ? "KubeletNotReady" : "NodeStatusUnknown"),
            message: options.readyMessage ?? `ready is ${ready}`,
            lastTransitionTime: options.readySince ?? ago(10 * MINUTE),
          }),
        ];
  const internalIP = options.internalIP === undefined ? "10.0.0.11" : options.internalIP;
  return {
    metadata: {
      name,
      uid: options.uid ?? `uid-${name}`,
      creationTimestamp: new Date("2025-01-01T00:00:00.000Z"),
      labels: { "kubernetes.io/hostname": name, ...options.labels },
    },
    spec: { unschedulable: options.unschedulable, taints: options.taints },
    status: {
      conditions: [
        condition("MemoryPressure", "False"),
        condition("DiskPressure", "False"),
        condition("PIDPressure", "False"),
        ...readyCondition,
        ...(options.conditions ?? []),
      ],
      addresses: [{ type: "Hostname", address: name }, ...(internalIP === null ? [] : [{ type: "InternalIP", address: internalIP }])],
      nodeInfo: {
        architecture: "amd64",
        bootID: "boot",
        containerRuntimeVersion: "containerd://1.7.0",
        kernelVersion: "6.1.0",
        kubeProxyVersion: "",
        kubeletVersion: options.kubeletVersion ?? "v1.33.2",
        machineID: "machine",
        operatingSystem: "linux",
        osImage: "Debian",
        systemUUID: "uuid",
      },
    },
  };
}

export function makeLease(options: { name?: string; renewedAgoMs?: number; durationSeconds?: number; namespace?: string } = {}): V1Lease {
  const name = options.name ?? "worker-1";
  return {
    metadata: { name, namespace: options.namespace ?? "kube-node-lease" },
    spec: {
      holderIdentity: name,
      leaseDurationSeconds: options.durationSeconds ?? 40,
      renewTime: ago(options.renewedAgoMs ?? 2 * SECOND),
    },
  };
}

export function noExecuteTaint(key: string, addedAgoMs: number | null): V1Taint {
  return { key, effect: "NoExecute", ...(addedAgoMs === null ? {} : { timeAdded: ago(addedAgoMs) }) };
}

/** The node controller's taints for a node that went Unknown `addedAgoMs` ago. */
export const unreachableTaints = (addedAgoMs: number): V1Taint[] => [
  { key: UNREACHABLE, effect: "NoSchedule", timeAdded: ago(addedAgoMs) },
  noExecuteTaint(UNREACHABLE, addedAgoMs),
];

/** What the DefaultTolerationSeconds admission plugin adds to every pod. */
export const defaultTolerations = (seconds = 300): V1Toleration[] => [
  { key: NOT_READY, operator: "Exists", effect: "NoExecute", tolerationSeconds: seconds },
  { key: UNREACHABLE, operator: "Exists", effect: "NoExecute", tolerationSeconds: seconds },
];

/** What the DaemonSet controller adds: the same taints, tolerated forever. */
export const daemonSetTolerations = (): V1Toleration[] => [
  { key: NOT_READY, operator: "Exists", effect: "NoExecute" },
  { key: UNREACHABLE, operator: "Exists", effect: "NoExecute" },
];

export function ownerRef(kind: string, name: string, apiVersion = "apps/v1"): V1OwnerReference {
  return { apiVersion, kind, name, uid: `uid-${kind}-${name}`, controller: true, blockOwnerDeletion: true };
}

export function makePod(
  options: {
    name?: string;
    namespace?: string;
    nodeName?: string;
    owner?: V1OwnerReference;
    /** All owner references, when one `owner` is not enough. */
    owners?: V1OwnerReference[];
    tolerations?: V1Toleration[];
    /** Delete requested this long ago, with this grace period. */
    deletedAgoMs?: number;
    gracePeriodSeconds?: number;
    ready?: boolean;
    phase?: string;
    claims?: string[];
    ephemeral?: string[];
    annotations?: Record<string, string>;
  } = {},
): V1Pod {
  const name = options.name ?? "web-7d4b9c-abcde";
  const grace = options.gracePeriodSeconds ?? 30;
  const deletion =
    options.deletedAgoMs === undefined
      ? {}
      : {
          deletionTimestamp: new Date(ago(options.deletedAgoMs).getTime() + grace * SECOND),
          deletionGracePeriodSeconds: grace,
        };
  return {
    metadata: {
      name,
      namespace: options.namespace ?? "shop",
      uid: `uid-pod-${name}`,
      ownerReferences: options.owners ?? (options.owner ? [options.owner] : undefined),
      annotations: options.annotations,
      ...deletion,
    },
    spec: {
      nodeName: options.nodeName ?? "worker-1",
      containers: [{ name: "main", image: "nginx" }],
      tolerations: options.tolerations ?? defaultTolerations(),
      volumes: [
        { name: "config", configMap: { name: "cfg" } },
        ...(options.claims ?? []).map((claimName) => ({
          name: `vol-${claimName}`,
          persistentVolumeClaim: { claimName },
        })),
        ...(options.ephemeral ?? []).map((volume) => ({ name: volume, ephemeral: {} })),
      ],
    },
    status: {
      phase: options.phase ?? "Running",
      conditions: [{ type: "Ready", status: options.ready === false ? "False" : "True" }],
    },
  };
}

export function makeReplicaSet(options: { name: string; namespace?: string; deployment?: string; replicas?: number }): V1ReplicaSet {
  return {
    metadata: {
      name: options.name,
      namespace: options.namespace ?? "shop",
      ownerReferences: options.deployment ? [ownerRef("Deployment", options.deployment)] : undefined,
    },
    spec: { replicas: options.replicas ?? 3, selector: {} },
    status: { replicas: options.replicas ?? 3, readyReplicas: options.replicas ?? 3 },
  };
}

export function makeDeployment(options: { name: string; namespace?: string; replicas?: number; ready?: number }): V1Deployment {
  return {
    metadata: { name: options.name, namespace: options.namespace ?? "shop" },
    spec: { replicas: options.replicas, selector: {}, template: {} },
    status: { replicas: options.replicas, readyReplicas: options.ready },
  };
}

export function makeStatefulSet(options: { name: string; namespace?: string; replicas?: number; ready?: number }): V1StatefulSet {
  return {
    metadata: { name: options.name, namespace: options.namespace ?? "shop" },
    spec: { replicas: options.replicas, selector: {}, serviceName: options.name, template: {} },
    status: { replicas: options.replicas ?? 1, readyReplicas: options.ready },
  };
}

export function makeDaemonSet(options: { name: string; namespace?: string; desired: number; ready: number }): V1DaemonSet {
  return {
    metadata: { name: options.name, namespace: options.namespace ?? "kube-system" },
    spec: { selector: {}, template: {} },
    status: {
      currentNumberScheduled: options.desired,
      desiredNumberScheduled: options.desired,
      numberMisscheduled: 0,
      numberReady: options.ready,
    },
  };
}

export function makePvc(options: {
  name: string;
  namespace?: string;
  volumeName?: string;
  storageClassName?: string;
  accessModes?: string[];
  statusAccessModes?: string[];
}): V1PersistentVolumeClaim {
  return {
    metadata: { name: options.name, namespace: options.namespace ?? "shop" },
    spec: {
      accessModes: options.accessModes ?? ["ReadWriteOnce"],
      storageClassName: options.storageClassName ?? "nfs-sc-acp",
      volumeName: options.volumeName,
    },
    status: options.statusAccessModes ? { phase: "Bound", accessModes: options.statusAccessModes } : { phase: "Bound" },
  };
}

export function makePv(options: { name: string; storageClassName?: string; accessModes?: string[]; local?: boolean }): V1PersistentVolume {
  return {
    metadata: { name: options.name },
    spec: {
      accessModes: options.accessModes ?? ["ReadWriteOnce"],
      storageClassName: options.storageClassName ?? "nfs-sc-acp",
      ...(options.local ? { local: { path: "/mnt/disks/ssd1" } } : { csi: { driver: "nfs.csi.k8s.io", volumeHandle: options.name } }),
    },
  };
}

export function makeVolumeAttachment(options: { name?: string; nodeName: string; pv: string; attached?: boolean }): V1VolumeAttachment {
  return {
    metadata: { name: options.name ?? `csi-${options.pv}-${options.nodeName}` },
    spec: { attacher: "nfs.csi.k8s.io", nodeName: options.nodeName, source: { persistentVolumeName: options.pv } },
    status: { attached: options.attached ?? true },
  };
}

/** A node already evaluated, for the pod- and workload-level tests. */
export function nodeHealth(options: Parameters<typeof makeNode>[0] & { leaseRenewedAgoMs?: number } = {}): TNodeHealth {
  const node = makeNode(options);
  const lease = makeLease({ name: node.metadata?.name, renewedAgoMs: options.leaseRenewedAgoMs });
  return evaluateNode({ node, lease, now: NOW });
}

/** A dead node: Ready=Unknown for `minutes`, tainted unreachable since then, Lease stale. */
export function deadNode(options: { name?: string; minutes?: number } = {}): TNodeHealth {
  const sinceMs = (options.minutes ?? 2) * MINUTE;
  return nodeHealth({
    name: options.name ?? "worker-1",
    ready: "Unknown",
    readySince: ago(sinceMs),
    taints: unreachableTaints(sinceMs),
    leaseRenewedAgoMs: sinceMs + 40 * SECOND,
  });
}
