// A synthetic cluster of N nodes × P pods (Deployments and StatefulSets), as the watch cache holds
// it, for benchmarks of the pure evaluation and views without a control plane.
import type { V1Deployment, V1Lease, V1Node, V1Pod, V1ReplicaSet, V1StatefulSet } from "@kubernetes/client-node";

const PODS_PER_WORKLOAD = 10;

export type TSyntheticCluster = {
  nodes: V1Node[];
  leases: V1Lease[];
  pods: V1Pod[];
  deployments: V1Deployment[];
  replicaSets: V1ReplicaSet[];
  statefulSets: V1StatefulSet[];
};

/** `dead` nodes are Unknown with the unreachable taints and a lease 5 min old; their pods are Terminating. */
export function syntheticCluster(opts: { nodes: number; podsPerNode: number; dead?: number; now?: Date }): TSyntheticCluster {
  const now = opts.now ?? new Date();
  const iso = (msAgo: number) => new Date(now.getTime() - msAgo).toISOString();
  const dead = opts.dead ?? 0;
  const name = (i: number) => `node-${String(i).padStart(5, "0")}`;
  const nodes: V1Node[] = [];
  const leases: V1Lease[] = [];
  for (let i = 0; i < opts.nodes; i++) {
    const isDead = i < dead;
    nodes.push({
      metadata: {
        name: name(i),
        uid: `uid-${i}`,
        creationTimestamp: iso(86_400_000) as never,
        labels: { "node-role.kubernetes.io/worker": "" },
      },
      spec: isDead
        ? {
            taints: [
              { key: "node.kubernetes.io/unreachable", effect: "NoSchedule" },
              { key: "node.kubernetes.io/unreachable", effect: "NoExecute", timeAdded: iso(240_000) as never },
            ],
          }
        : {},
      status: {
        conditions: [
          {
            type: "Ready",
            status: isDead ? "Unknown" : "True",
            reason: isDead ? "NodeStatusUnknown" : "KubeletReady",
            lastHeartbeatTime: iso(isDead ? 300_000 : 5_000) as never,
            lastTransitionTime: iso(isDead ? 250_000 : 80_000_000) as never,
          },
          { type: "MemoryPressure", status: isDead ? "Unknown" : "False", lastTransitionTime: iso(80_000_000) as never },
        ],
        addresses: [{ type: "InternalIP", address: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` }],
        nodeInfo: { kubeletVersion: "v1.20.2" } as never,
      },
    });
    leases.push({
      metadata: { name: name(i), namespace: "kube-node-lease" },
      spec: { holderIdentity: name(i), leaseDurationSeconds: 40, renewTime: iso(isDead ? 300_000 : (i % 10) * 1000) as never },
    });
  }
  const pods: V1Pod[] = [];
  const deployments: V1Deployment[] = [];
  const replicaSets: V1ReplicaSet[] = [];
  const statefulSets: V1StatefulSet[] = [];
  const total = opts.nodes * opts.podsPerNode;
  for (let p = 0; p < total; p++) {
    const w = Math.floor(p / PODS_PER_WORKLOAD);
    const ns = `ns-${w % 50}`;
    const stateful = w % 5 === 0;
    if (p % PODS_PER_WORKLOAD === 0) {
      if (stateful) {
        statefulSets.push({
          metadata: { name: `sts-${w}`, namespace: ns, uid: `sts-${w}` },
          spec: { replicas: PODS_PER_WORKLOAD, serviceName: "", selector: {}, template: {} },
          status: { replicas: PODS_PER_WORKLOAD, readyReplicas: PODS_PER_WORKLOAD },
        });
      } else {
        deployments.push({
          metadata: { name: `deploy-${w}`, namespace: ns, uid: `deploy-${w}` },
          spec: { replicas: PODS_PER_WORKLOAD, selector: {}, template: {} },
          status: { readyReplicas: PODS_PER_WORKLOAD },
        });
        replicaSets.push({
          metadata: {
            name: `deploy-${w}-abc`,
            namespace: ns,
            uid: `rs-${w}`,
            ownerReferences: [{ apiVersion: "apps/v1", kind: "Deployment", name: `deploy-${w}`, uid: `deploy-${w}`, controller: true }],
          },
          spec: { replicas: PODS_PER_WORKLOAD, selector: {} },
          status: { replicas: PODS_PER_WORKLOAD, readyReplicas: PODS_PER_WORKLOAD },
        });
      }
    }
    // Spread a workload's replicas over consecutive nodes, as a scheduler would.
    const nodeIndex = p % opts.nodes;
    const onDead = nodeIndex < dead;
    pods.push({
      metadata: {
        name: stateful ? `sts-${w}-${p % PODS_PER_WORKLOAD}` : `deploy-${w}-abc-${p}`,
        namespace: ns,
        uid: `pod-${p}`,
        creationTimestamp: iso(3_600_000) as never,
        deletionTimestamp: onDead ? (iso(-30_000) as never) : undefined,
        deletionGracePeriodSeconds: onDead ? 30 : undefined,
        ownerReferences: [
          stateful
            ? { apiVersion: "apps/v1", kind: "StatefulSet", name: `sts-${w}`, uid: `sts-${w}`, controller: true }
            : { apiVersion: "apps/v1", kind: "ReplicaSet", name: `deploy-${w}-abc`, uid: `rs-${w}`, controller: true },
        ],
      },
      spec: {
        nodeName: name(nodeIndex),
        containers: [{ name: "main" }],
        tolerations: [
          { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
          { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
        ],
      },
      status: { phase: "Running", conditions: [{ type: "Ready", status: onDead ? "False" : "True" }] },
    });
  }
  return { nodes, leases, pods, deployments, replicaSets, statefulSets };
}
