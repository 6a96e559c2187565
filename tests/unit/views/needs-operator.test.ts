// The overview's call to action: one line per dead node whose pods need an operator.
import type { V1Lease, V1Node, V1Pod } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { evaluateCluster } from "@/lib/health";
import { viewNeedsOperator } from "@/lib/views/needs-operator";
import {
  ago,
  daemonSetTolerations,
  iso,
  MINUTE,
  makeDaemonSet,
  makeDeployment,
  makeLease,
  makeNode,
  makePod,
  makeReplicaSet,
  makeStatefulSet,
  NOW,
  ownerRef,
  SECOND,
  unreachableTaints,
} from "../health/fixtures";

const dead = (name: string, minutes: number) => ({
  node: makeNode({ name, ready: "Unknown", readySince: ago(minutes * MINUTE), taints: unreachableTaints(minutes * MINUTE) }),
  lease: makeLease({ name, renewedAgoMs: minutes * MINUTE + 40 * SECOND }),
});
const ready = (name: string, renewedAgoMs = 2 * SECOND) => ({ node: makeNode({ name }), lease: makeLease({ name, renewedAgoMs }) });

function evaluate(members: { node: V1Node; lease: V1Lease }[], pods: V1Pod[]) {
  return evaluateCluster({
    nodes: members.map((m) => m.node),
    leases: members.map((m) => m.lease),
    pods,
    pvcs: [],
    pvs: [],
    volumeAttachments: [],
    workloads: {
      statefulSets: [makeStatefulSet({ name: "db", replicas: 1, ready: 0 }), makeStatefulSet({ name: "cache", replicas: 3, ready: 2 })],
      deployments: [makeDeployment({ name: "web", replicas: 2, ready: 1 })],
      replicaSets: [makeReplicaSet({ name: "web-7d4b9c", deployment: "web", replicas: 2 })],
      daemonSets: [makeDaemonSet({ name: "node-exporter", desired: 4, ready: 2 })],
    },
    now: NOW,
  });
}

const sts = (name: string, set: string, nodeName: string) => makePod({ name, nodeName, owner: ownerRef("StatefulSet", set) });

describe("viewNeedsOperator", () => {
  it("names each dead node with pods that need an operator: since when, how many, which workloads (down first)", () => {
    const health = evaluate(
      [dead("worker-1", 6), dead("worker-2", 20), ready("worker-3")],
      [
        sts("db-0", "db", "worker-1"),
        sts("cache-1", "cache", "worker-1"),
        // A Deployment's pod is replaced on its own: not the operator's job.
        makePod({ name: "web-7d4b9c-abcde", nodeName: "worker-1", owner: ownerRef("ReplicaSet", "web-7d4b9c") }),
        makePod({ name: "scratch", nodeName: "worker-2" }), // a bare pod: nothing recreates it
        sts("cache-0", "cache", "worker-3"),
        sts("cache-2", "cache", "worker-3"),
      ],
    );
    const { items, total } = viewNeedsOperator(health);
    expect(total).toBe(2);
    // Dead the longest first.
    expect(items.map((i) => i.node)).toEqual(["worker-2", "worker-1"]);
    expect(items[0]).toEqual({
      node: "worker-2",
      state: "Unknown",
      deadSince: iso(ago(20 * MINUTE)),
      pods: 1,
      workloads: [{ kind: "Pod", namespace: "shop", name: "scratch", impact: "down", pods: ["scratch"] }],
    });
    expect(items[1]).toMatchObject({ node: "worker-1", state: "Unknown", deadSince: iso(ago(6 * MINUTE)), pods: 2 });
    expect(items[1]?.workloads).toEqual([
      { kind: "StatefulSet", namespace: "shop", name: "db", impact: "down", pods: ["db-0"] },
      { kind: "StatefulSet", namespace: "shop", name: "cache", impact: "degraded", pods: ["cache-1"] },
    ]);
  });

  it("groups a workload's pods on one node into one entry", () => {
    const health = evaluate([dead("worker-1", 6)], [sts("cache-1", "cache", "worker-1"), sts("cache-0", "cache", "worker-1")]);
    const [line] = viewNeedsOperator(health).items;
    expect(line?.pods).toBe(2);
    expect(line?.workloads).toEqual([
      { kind: "StatefulSet", namespace: "shop", name: "cache", impact: "down", pods: ["cache-0", "cache-1"] },
    ]);
  });

  it("leaves out dead nodes whose pods come back on their own, and nodes that are only late", () => {
    const health = evaluate(
      [dead("worker-1", 6), ready("worker-2", 30 * SECOND)],
      [
        makePod({
          name: "node-exporter-x",
          nodeName: "worker-1",
          owner: ownerRef("DaemonSet", "node-exporter"),
          tolerations: daemonSetTolerations(),
        }),
        makePod({ name: "web-7d4b9c-abcde", nodeName: "worker-1", owner: ownerRef("ReplicaSet", "web-7d4b9c") }),
        sts("db-0", "db", "worker-2"), // on a node whose heartbeat is late but which is still Ready
      ],
    );
    expect(health.nodes.find((n) => n.name === "worker-2")?.state).toBe("HeartbeatLate");
    expect(viewNeedsOperator(health)).toEqual({ items: [], total: 0 });
  });

  it("says nothing on a healthy cluster", () => {
    expect(viewNeedsOperator(evaluate([ready("worker-1")], [sts("db-0", "db", "worker-1")]))).toEqual({ items: [], total: 0 });
  });

  it("keeps `limit` lines and counts them all", () => {
    const members = Array.from({ length: 5 }, (_, i) => dead(`worker-${i}`, 10 + i));
    const pods = members.map((_, i) => makePod({ name: `bare-${i}`, nodeName: `worker-${i}` }));
    const { items, total } = viewNeedsOperator(evaluate(members, pods), 3);
    expect(total).toBe(5);
    expect(items.map((i) => i.node)).toEqual(["worker-4", "worker-3", "worker-2"]);
  });
});
