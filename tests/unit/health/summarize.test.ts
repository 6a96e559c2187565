import { describe, expect, it } from "vitest";
import { evaluateStuckPod, findStuckPods, isStuckPod, summarizeCluster, type TWorkloadImpact } from "@/lib/health";
import { deadNode, iso, makePod, NOW, nodeHealth, ownerRef } from "./fixtures";

const ready = nodeHealth({ name: "ready" });
const late = nodeHealth({ name: "late", leaseRenewedAgoMs: 25_000 });
const notReady = nodeHealth({ name: "notready", ready: "False" });
const unknown = deadNode({ name: "unknown" });
const noCondition = nodeHealth({ name: "nocondition", ready: null });

describe("isStuckPod", () => {
  it.each([
    [ready, false],
    [late, false],
    [notReady, true],
    [unknown, true],
    [noCondition, true],
  ])("a running pod on node %# is stuck=%s", (node, stuck) => {
    expect(isStuckPod({ pod: makePod({ nodeName: node.name }), node })).toBe(stuck);
  });

  it.each([
    [ready, false],
    [late, true],
    [notReady, true],
    [unknown, true],
  ])("a terminating pod on node %# is stuck=%s", (node, stuck) => {
    expect(isStuckPod({ pod: makePod({ nodeName: node.name, deletedAgoMs: 60_000 }), node })).toBe(stuck);
  });

  it("does not call a finished pod stuck unless it is terminating", () => {
    expect(isStuckPod({ pod: makePod({ phase: "Succeeded" }), node: unknown })).toBe(false);
    expect(isStuckPod({ pod: makePod({ phase: "Failed" }), node: unknown })).toBe(false);
    expect(isStuckPod({ pod: makePod({ phase: "Succeeded", deletedAgoMs: 1000 }), node: unknown })).toBe(true);
  });

  it("calls a pending-phase pod bound to a dead node stuck", () => {
    expect(isStuckPod({ pod: makePod({ phase: "Pending" }), node: unknown })).toBe(true);
  });

  it("leaves pods of unknown or deleted nodes to the pod garbage collector", () => {
    expect(isStuckPod({ pod: makePod(), node: undefined })).toBe(false);
    expect(isStuckPod({ pod: makePod(), node: { ...unknown, state: "Deleted" } })).toBe(false);
  });
});

describe("findStuckPods", () => {
  it("pairs each stuck pod with its node, in pod order", () => {
    const pods = [
      makePod({ name: "a", nodeName: "unknown" }),
      makePod({ name: "b", nodeName: "ready" }),
      makePod({ name: "c", nodeName: "late", deletedAgoMs: 1000 }),
      makePod({ name: "d", nodeName: "late" }),
      makePod({ name: "e", nodeName: "ghost" }),
      makePod({ name: "f", nodeName: "notready" }),
    ];
    const found = findStuckPods({ nodes: [ready, late, notReady, unknown], pods });
    expect(found.map(({ pod, node }) => `${pod.metadata?.name}@${node.name}`)).toEqual(["a@unknown", "c@late", "f@notready"]);
  });

  it("finds nothing on a healthy cluster", () => {
    expect(findStuckPods({ nodes: [ready], pods: [makePod({ nodeName: "ready" })] })).toEqual([]);
  });
});

describe("summarizeCluster", () => {
  const impact = (serviceImpact: TWorkloadImpact["serviceImpact"]): TWorkloadImpact => ({
    kind: "Deployment",
    namespace: "shop",
    name: serviceImpact,
    desiredReplicas: 1,
    statusReadyReplicas: 0,
    readyElsewhere: 0,
    podsOnUnhealthyNodes: [],
    unhealthyNodes: [],
    serviceImpact,
  });

  it("counts nodes by state, stuck pods, pods needing action and workloads by impact", () => {
    const cordoned = nodeHealth({ name: "cordoned", unschedulable: true, conditions: [] });
    const nodes = [ready, late, notReady, unknown, noCondition, cordoned];
    const stuckPods = [
      evaluateStuckPod({
        pod: makePod({ name: "db-0", nodeName: "unknown", owner: ownerRef("StatefulSet", "db") }),
        node: unknown,
        pvcs: [],
        pvs: [],
        volumeAttachments: [],
        owners: {},
        now: NOW,
      }),
      evaluateStuckPod({
        pod: makePod({ name: "w", nodeName: "unknown", owner: ownerRef("Job", "j", "batch/v1") }),
        node: unknown,
        pvcs: [],
        pvs: [],
        volumeAttachments: [],
        owners: {},
        now: NOW,
      }),
    ];
    const summary = summarizeCluster({
      nodes,
      stuckPods,
      workloads: [impact("down"), impact("degraded"), impact("degraded"), impact("none")],
      now: NOW,
    });
    expect(summary).toEqual({
      evaluatedAt: iso(NOW),
      observedSince: null,
      nodes: {
        total: 6,
        byState: { Ready: 2, HeartbeatLate: 1, NotReady: 1, Unknown: 2, Deleted: 0 },
        cordoned: 1,
        withProblems: 0,
      },
      stuckPods: 2,
      needsAction: 1,
      workloads: { affected: 4, down: 1, degraded: 2 },
    });
  });

  it("echoes since when the cache has watched", () => {
    const since = new Date(NOW.getTime() - 60_000);
    expect(summarizeCluster({ nodes: [], stuckPods: [], workloads: [], now: NOW, observedSince: since }).observedSince).toBe(iso(since));
  });

  it("counts nodes with problems", () => {
    const pressured = nodeHealth({ name: "p", conditions: [{ type: "KernelDeadlock", status: "True" }] });
    expect(summarizeCluster({ nodes: [pressured, ready], stuckPods: [], workloads: [], now: NOW }).nodes.withProblems).toBe(1);
  });

  it("lists every state with zero on an empty cluster", () => {
    const summary = summarizeCluster({ nodes: [], stuckPods: [], workloads: [], now: NOW });
    expect(summary.nodes.byState).toEqual({ Ready: 0, HeartbeatLate: 0, NotReady: 0, Unknown: 0, Deleted: 0 });
    expect(summary.stuckPods).toBe(0);
  });
});
