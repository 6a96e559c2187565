import { describe, expect, it } from "vitest";
import { evaluateWorkloadImpact, serviceImpactOf, type TWorkloadObjects } from "@/lib/health";
import {
  daemonSetTolerations,
  deadNode,
  makeDaemonSet,
  makeDeployment,
  makePod,
  makeReplicaSet,
  makeStatefulSet,
  nodeHealth,
  ownerRef,
} from "./fixtures";

const nodes = [
  deadNode({ name: "worker-1" }),
  nodeHealth({ name: "worker-2" }),
  nodeHealth({ name: "worker-3" }),
  nodeHealth({ name: "worker-4", leaseRenewedAgoMs: 30_000 }), // HeartbeatLate
];

const workloads: TWorkloadObjects = {
  deployments: [makeDeployment({ name: "web", replicas: 3, ready: 3 })],
  replicaSets: [makeReplicaSet({ name: "web-1", deployment: "web" })],
  statefulSets: [makeStatefulSet({ name: "db", replicas: 1, ready: 1 })],
  daemonSets: [makeDaemonSet({ name: "agent", desired: 4, ready: 4 })],
};

const web = (name: string, nodeName: string, options: Parameters<typeof makePod>[0] = {}) =>
  makePod({ name, nodeName, owner: ownerRef("ReplicaSet", "web-1"), ...options });

describe("serviceImpactOf", () => {
  it.each([
    [3, 3, "none"],
    [3, 4, "none"],
    [3, 2, "degraded"],
    [3, 0, "down"],
    [0, 0, "none"],
    [null, 0, "down"],
    [null, 2, "degraded"],
  ] as const)("desired %s, ready elsewhere %s → %s", (desired, readyElsewhere, impact) => {
    expect(serviceImpactOf({ desired, readyElsewhere })).toBe(impact);
  });
});

describe("evaluateWorkloadImpact", () => {
  it("reports a Deployment degraded when one of three replicas is on a dead node", () => {
    const pods = [web("web-a", "worker-1"), web("web-b", "worker-2"), web("web-c", "worker-3")];
    expect(evaluateWorkloadImpact({ nodes, pods, workloads })).toEqual([
      {
        kind: "Deployment",
        namespace: "shop",
        name: "web",
        desiredReplicas: 3,
        statusReadyReplicas: 3,
        readyElsewhere: 2,
        podsOnUnhealthyNodes: ["web-a"],
        unhealthyNodes: ["worker-1"],
        serviceImpact: "degraded",
      },
    ]);
  });

  it("reports no impact when replacements already run elsewhere", () => {
    const pods = [
      web("web-a", "worker-1", { deletedAgoMs: 60_000 }),
      web("web-b", "worker-2"),
      web("web-c", "worker-3"),
      web("web-d", "worker-2"),
    ];
    const [impact] = evaluateWorkloadImpact({ nodes, pods, workloads });
    expect(impact?.readyElsewhere).toBe(3);
    expect(impact?.serviceImpact).toBe("none");
  });

  it("reports a StatefulSet down when its only replica is on a dead node", () => {
    const pods = [makePod({ name: "db-0", nodeName: "worker-1", owner: ownerRef("StatefulSet", "db") })];
    const [impact] = evaluateWorkloadImpact({ nodes, pods, workloads });
    expect(impact).toMatchObject({
      kind: "StatefulSet",
      name: "db",
      desiredReplicas: 1,
      readyElsewhere: 0,
      serviceImpact: "down",
    });
  });

  it("does not count pods that are not Ready, terminating, or on a late node as serving", () => {
    const pods = [
      web("web-a", "worker-1"),
      web("web-b", "worker-2", { ready: false }),
      web("web-c", "worker-3", { deletedAgoMs: 1000 }),
      web("web-d", "worker-4"),
    ];
    const [impact] = evaluateWorkloadImpact({ nodes, pods, workloads });
    expect(impact?.readyElsewhere).toBe(0);
    expect(impact?.serviceImpact).toBe("down");
    expect(impact?.podsOnUnhealthyNodes).toEqual(["web-a", "web-d"]);
    expect(impact?.unhealthyNodes).toEqual(["worker-1", "worker-4"]);
  });

  it("includes workloads whose pods sit on a HeartbeatLate node only", () => {
    const pods = [web("web-a", "worker-4"), web("web-b", "worker-2"), web("web-c", "worker-3")];
    const [impact] = evaluateWorkloadImpact({ nodes, pods, workloads });
    expect(impact?.unhealthyNodes).toEqual(["worker-4"]);
    expect(impact?.serviceImpact).toBe("degraded");
  });

  it("leaves out workloads with every pod on healthy nodes", () => {
    const pods = [web("web-a", "worker-2"), makePod({ name: "db-0", nodeName: "worker-3", owner: ownerRef("StatefulSet", "db") })];
    expect(evaluateWorkloadImpact({ nodes, pods, workloads })).toEqual([]);
  });

  it("leaves out finished pods and static pods", () => {
    const pods = [
      makePod({
        name: "job-x",
        nodeName: "worker-1",
        owner: ownerRef("Job", "backup", "batch/v1"),
        phase: "Succeeded",
      }),
      makePod({ name: "job-y", nodeName: "worker-1", owner: ownerRef("Job", "report", "batch/v1"), phase: "Failed" }),
      makePod({ name: "etcd-worker-1", nodeName: "worker-1", annotations: { "kubernetes.io/config.mirror": "h" } }),
    ];
    expect(evaluateWorkloadImpact({ nodes, pods, workloads })).toEqual([]);
  });

  it("ignores pods bound to nodes it does not know or not bound at all", () => {
    const pending = web("pending", "worker-1");
    pending.spec = { containers: [] };
    expect(evaluateWorkloadImpact({ nodes, pods: [web("web-a", "ghost"), pending], workloads })).toEqual([]);
  });

  it("uses desiredNumberScheduled and numberReady for a DaemonSet", () => {
    const ds = (name: string, nodeName: string) =>
      makePod({
        name,
        nodeName,
        namespace: "kube-system",
        owner: ownerRef("DaemonSet", "agent"),
        tolerations: daemonSetTolerations(),
      });
    const pods = [ds("agent-1", "worker-1"), ds("agent-2", "worker-2"), ds("agent-3", "worker-3"), ds("agent-4", "worker-4")];
    const [impact] = evaluateWorkloadImpact({ nodes, pods, workloads });
    expect(impact).toMatchObject({
      kind: "DaemonSet",
      namespace: "kube-system",
      desiredReplicas: 4,
      statusReadyReplicas: 4,
      readyElsewhere: 2,
      serviceImpact: "degraded",
    });
  });

  it("reports a bare pod as a Pod workload of one", () => {
    const [impact] = evaluateWorkloadImpact({
      nodes,
      pods: [makePod({ name: "debug", nodeName: "worker-1" })],
      workloads,
    });
    expect(impact).toMatchObject({
      kind: "Pod",
      name: "debug",
      desiredReplicas: 1,
      statusReadyReplicas: null,
      serviceImpact: "down",
    });
  });

  it("has null replica counts when the workload object is not in the cache", () => {
    const pods = [
      makePod({ name: "cache-0", nodeName: "worker-1", owner: ownerRef("StatefulSet", "cache") }),
      makePod({ name: "cache-1", nodeName: "worker-2", owner: ownerRef("StatefulSet", "cache") }),
    ];
    const [impact] = evaluateWorkloadImpact({ nodes, pods, workloads });
    expect(impact).toMatchObject({
      desiredReplicas: null,
      statusReadyReplicas: null,
      readyElsewhere: 1,
      serviceImpact: "degraded",
    });
  });

  it("defaults spec.replicas to 1 and status.readyReplicas to 0", () => {
    const pods = [makePod({ name: "one-0", nodeName: "worker-1", owner: ownerRef("StatefulSet", "one") })];
    const [impact] = evaluateWorkloadImpact({
      nodes,
      pods,
      workloads: { statefulSets: [makeStatefulSet({ name: "one" })] },
    });
    expect(impact).toMatchObject({ desiredReplicas: 1, statusReadyReplicas: 0 });
  });

  it("reports none for a workload scaled to zero", () => {
    const pods = [web("web-a", "worker-1", { deletedAgoMs: 1000 })];
    const [impact] = evaluateWorkloadImpact({
      nodes,
      pods,
      workloads: { ...workloads, deployments: [makeDeployment({ name: "web", replicas: 0 })] },
    });
    expect(impact?.serviceImpact).toBe("none");
  });

  it("keeps workloads of the same name apart by namespace and kind, sorted", () => {
    const pods = [
      makePod({ name: "x-0", namespace: "b", nodeName: "worker-1", owner: ownerRef("StatefulSet", "x") }),
      makePod({ name: "x-1", namespace: "a", nodeName: "worker-1", owner: ownerRef("StatefulSet", "x") }),
      makePod({ name: "x-abc", namespace: "a", nodeName: "worker-1", owner: ownerRef("ReplicaSet", "x") }),
    ];
    const impacts = evaluateWorkloadImpact({ nodes, pods, workloads: {} });
    expect(impacts.map((w) => `${w.namespace}/${w.kind}/${w.name}`)).toEqual(["a/ReplicaSet/x", "a/StatefulSet/x", "b/StatefulSet/x"]);
  });
});
