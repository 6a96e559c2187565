import { describe, expect, it } from "vitest";
import { evaluateCluster } from "@/lib/health";
import {
  ago,
  daemonSetTolerations,
  MINUTE,
  makeDaemonSet,
  makeDeployment,
  makeLease,
  makeNode,
  makePod,
  makePv,
  makePvc,
  makeReplicaSet,
  makeStatefulSet,
  makeVolumeAttachment,
  NOW,
  ownerRef,
  SECOND,
  unreachableTaints,
} from "./fixtures";

/** worker-1 dead for 2 minutes, worker-2 and worker-3 healthy. */
function snapshot() {
  const nodes = [
    makeNode({ name: "worker-3" }),
    makeNode({
      name: "worker-1",
      ready: "Unknown",
      readySince: ago(2 * MINUTE),
      taints: unreachableTaints(2 * MINUTE),
    }),
    makeNode({ name: "worker-2" }),
  ];
  const leases = [
    makeLease({ name: "worker-1", renewedAgoMs: 3 * MINUTE }),
    makeLease({ name: "worker-2" }),
    makeLease({ name: "worker-3" }),
  ];
  const pods = [
    makePod({ name: "db-0", nodeName: "worker-1", owner: ownerRef("StatefulSet", "db"), claims: ["data-db-0"] }),
    makePod({ name: "db-1", nodeName: "worker-2", owner: ownerRef("StatefulSet", "db"), claims: ["data-db-1"] }),
    makePod({ name: "web-1-a", nodeName: "worker-1", owner: ownerRef("ReplicaSet", "web-1") }),
    makePod({ name: "web-1-b", nodeName: "worker-2", owner: ownerRef("ReplicaSet", "web-1") }),
    makePod({
      name: "agent-x",
      nodeName: "worker-1",
      namespace: "kube-system",
      owner: ownerRef("DaemonSet", "agent"),
      tolerations: daemonSetTolerations(),
    }),
    makePod({
      name: "agent-y",
      nodeName: "worker-2",
      namespace: "kube-system",
      owner: ownerRef("DaemonSet", "agent"),
      tolerations: daemonSetTolerations(),
    }),
  ];
  return {
    nodes,
    leases,
    pods,
    pvcs: [makePvc({ name: "data-db-0", volumeName: "pv-0" }), makePvc({ name: "data-db-1", volumeName: "pv-1" })],
    pvs: [makePv({ name: "pv-0" }), makePv({ name: "pv-1" })],
    volumeAttachments: [
      makeVolumeAttachment({ name: "va-0", nodeName: "worker-1", pv: "pv-0" }),
      makeVolumeAttachment({ name: "va-1", nodeName: "worker-2", pv: "pv-1" }),
    ],
    workloads: {
      deployments: [makeDeployment({ name: "web", replicas: 2, ready: 2 })],
      replicaSets: [makeReplicaSet({ name: "web-1", deployment: "web", replicas: 2 })],
      statefulSets: [makeStatefulSet({ name: "db", replicas: 2, ready: 2 })],
      daemonSets: [makeDaemonSet({ name: "agent", desired: 3, ready: 3 })],
    },
    now: NOW,
  };
}

describe("evaluateCluster", () => {
  it("evaluates nodes sorted by name, matching each node's lease", () => {
    const { nodes } = evaluateCluster(snapshot());
    expect(nodes.map((n) => [n.name, n.state, n.heartbeat.ageMs])).toEqual([
      ["worker-1", "Unknown", 3 * MINUTE],
      ["worker-2", "Ready", 2 * SECOND],
      ["worker-3", "Ready", 2 * SECOND],
    ]);
  });

  it("ignores leases outside kube-node-lease", () => {
    const input = snapshot();
    input.leases = [makeLease({ name: "worker-2", namespace: "default", renewedAgoMs: 10 * MINUTE })];
    const worker2 = evaluateCluster(input).nodes.find((n) => n.name === "worker-2");
    expect(worker2?.heartbeat.leaseRenewTime).toBeNull();
    expect(worker2?.state).toBe("Ready");
  });

  it("passes lateAfterMs to the node evaluation", () => {
    const { nodes } = evaluateCluster({ ...snapshot(), lateAfterMs: SECOND });
    expect(nodes.filter((n) => n.state === "HeartbeatLate").map((n) => n.name)).toEqual(["worker-2", "worker-3"]);
  });

  it("holds back HeartbeatLate right after (re)connecting, and reports observedSince", () => {
    const input = {
      ...snapshot(),
      leases: snapshot().leases.map((l) => makeLease({ name: l.metadata?.name, renewedAgoMs: MINUTE })),
    };
    const justConnected = evaluateCluster({ ...input, observedSince: new Date(NOW.getTime() - 5 * SECOND) });
    expect(justConnected.nodes.map((n) => n.state)).toEqual(["Unknown", "Ready", "Ready"]);
    expect(justConnected.summary.observedSince).toBe(new Date(NOW.getTime() - 5 * SECOND).toISOString());
    const watching = evaluateCluster({ ...input, observedSince: new Date(NOW.getTime() - MINUTE) });
    expect(watching.nodes.map((n) => n.state)).toEqual(["Unknown", "HeartbeatLate", "HeartbeatLate"]);
  });

  it("lists the stuck pods of the dead node with their verdicts", () => {
    const { stuckPods } = evaluateCluster(snapshot());
    expect(stuckPods.map((p) => [p.name, p.owner?.kind, p.replacement, p.needsAction])).toEqual([
      ["db-0", "StatefulSet", "blocked", true],
      ["web-1-a", "Deployment", "automatic", false],
      ["agent-x", "DaemonSet", "none", false],
    ]);
    expect(stuckPods[0]?.volumes[0]?.attachments.map((a) => a.name)).toEqual(["va-0"]);
  });

  it("reports the affected workloads and the summary", () => {
    const { workloads, summary } = evaluateCluster(snapshot());
    expect(workloads.map((w) => [w.kind, w.name, w.readyElsewhere, w.serviceImpact])).toEqual([
      ["DaemonSet", "agent", 1, "degraded"],
      ["Deployment", "web", 1, "degraded"],
      ["StatefulSet", "db", 1, "degraded"],
    ]);
    expect(summary).toMatchObject({
      nodes: { total: 3, byState: { Ready: 2, Unknown: 1 } },
      stuckPods: 3,
      needsAction: 1,
      workloads: { affected: 3, down: 0, degraded: 3 },
    });
  });

  it("reports a healthy cluster as all quiet", () => {
    const input = snapshot();
    input.nodes = [makeNode({ name: "worker-1" }), makeNode({ name: "worker-2" }), makeNode({ name: "worker-3" })];
    input.leases = input.leases.map((l) => makeLease({ name: l.metadata?.name }));
    const health = evaluateCluster(input);
    expect(health.stuckPods).toEqual([]);
    expect(health.workloads).toEqual([]);
    expect(health.summary.nodes.byState.Ready).toBe(3);
  });

  it("is a pure function of its input: same snapshot, same JSON", () => {
    expect(JSON.stringify(evaluateCluster(snapshot()))).toBe(JSON.stringify(evaluateCluster(snapshot())));
  });
});
