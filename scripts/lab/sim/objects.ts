// The API objects a kubelet writes, as plain JSON builders (no I/O, so they are easy to test).
import type { TSimNode } from "../state";

export const LEASE_NS = "kube-node-lease";
export const leasesPath = `/apis/coordination.k8s.io/v1/namespaces/${LEASE_NS}/leases`;

/** metav1.MicroTime wire format: RFC 3339 with microseconds (Leases reject millisecond precision). */
export const microTime = (ms: number) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
/** metav1.Time wire format: RFC 3339, seconds. */
export const isoTime = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

export function nodeManifest(n: TSimNode) {
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name: n.name,
      // What a real kubelet adds; the configured labels win.
      labels: { "kubernetes.io/hostname": n.name, "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64", ...n.labels },
      annotations: { "node.alpha.kubernetes.io/ttl": "0", "volumes.kubernetes.io/controller-managed-attach-detach": "true" },
    },
    spec: n.taints.length > 0 ? { taints: n.taints } : {},
  };
}

const conditions = (nowMs: number, readySinceMs: number) => {
  const hb = isoTime(nowMs);
  const since = isoTime(readySinceMs);
  const c = (type: string, status: string, reason: string, message: string) => ({
    type,
    status,
    reason,
    message,
    lastHeartbeatTime: hb,
    lastTransitionTime: since,
  });
  return [
    c("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
    c("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
    c("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
    c("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
  ];
};

/** Heartbeat patch: only the conditions (strategic merge by `type`), everything else stays. */
export const heartbeatStatusPatch = (nowMs: number, readySinceMs: number) => ({
  status: { conditions: conditions(nowMs, readySinceMs) },
});

/** Full node status, written at registration and when the kubelet comes back; `kubeletVersion` is
 *  the apiserver's version (a kubelet of the same release). `volumesInUse` replaces the list (a
 *  kubelet back from the dead no longer uses the volumes of the pods deleted meanwhile). */
export function fullStatusPatch(
  n: TSimNode,
  nowMs: number,
  readySinceMs: number,
  bootId: string,
  kubeletVersion: string,
  volumesInUse: readonly string[] = [],
) {
  const resources = { cpu: n.cpu, memory: n.memory, pods: n.pods, "ephemeral-storage": "100Gi" };
  return {
    status: {
      capacity: resources,
      allocatable: resources,
      conditions: conditions(nowMs, readySinceMs),
      addresses: [
        { type: "InternalIP", address: n.internalIP },
        { type: "Hostname", address: n.name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      volumesInUse: [...volumesInUse],
      nodeInfo: {
        machineID: n.name,
        systemUUID: n.name,
        bootID: bootId,
        kernelVersion: "5.10.0-sim",
        osImage: "Debian GNU/Linux 12 (bookworm) (simulated)",
        containerRuntimeVersion: "containerd://1.4.13-sim",
        kubeletVersion,
        kubeProxyVersion: kubeletVersion,
        operatingSystem: "linux",
        architecture: "amd64",
      },
    },
  };
}

export function leaseManifest(nodeName: string, nodeUid: string, durationSeconds: number, nowMs: number) {
  return {
    apiVersion: "coordination.k8s.io/v1",
    kind: "Lease",
    metadata: {
      name: nodeName,
      namespace: LEASE_NS,
      ownerReferences: [{ apiVersion: "v1", kind: "Node", name: nodeName, uid: nodeUid }],
    },
    spec: { holderIdentity: nodeName, leaseDurationSeconds: durationSeconds, renewTime: microTime(nowMs) },
  };
}

export interface ContainerRef {
  name: string;
  image: string;
}

export interface RunningPodInput {
  uid: string;
  hostIP: string;
  podIP: string;
  startTime?: string;
  containers: ContainerRef[];
  initContainers: ContainerRef[];
}

/** Pod status a kubelet reports once every container runs and is ready. */
export function runningPodStatusPatch(p: RunningPodInput, nowMs: number) {
  const t = isoTime(nowMs);
  const cond = (type: string) => ({ type, status: "True", lastProbeTime: null, lastTransitionTime: t });
  const id = (c: ContainerRef) => ({
    name: c.name,
    image: c.image,
    imageID: `sim://${c.image}`,
    containerID: `containerd://${p.uid}-${c.name}`,
  });
  return {
    status: {
      phase: "Running",
      hostIP: p.hostIP,
      podIP: p.podIP,
      podIPs: [{ ip: p.podIP }],
      startTime: p.startTime ?? t,
      conditions: [cond("Initialized"), cond("Ready"), cond("ContainersReady"), cond("PodScheduled")],
      ...(p.initContainers.length > 0 && {
        initContainerStatuses: p.initContainers.map((c) => ({
          ...id(c),
          ready: true,
          restartCount: 0,
          state: { terminated: { exitCode: 0, reason: "Completed", startedAt: t, finishedAt: t } },
        })),
      }),
      containerStatuses: p.containers.map((c) => ({
        ...id(c),
        ready: true,
        started: true,
        restartCount: 0,
        state: { running: { startedAt: t } },
      })),
    },
  };
}
