// The /api/nodes body is assembled from cached row bytes; it must stay what viewNodes says.
import type { V1Pod } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { evaluateCluster, evaluateStuckPod, type TStuckPod } from "@/lib/health";
import { createClusterEvaluator } from "@/lib/health/evaluate-incremental";
import type { TSnapshot } from "@/lib/monitor/snapshot";
import { mostUrgentStuckPods, viewNode, viewNodes } from "@/lib/views/nodes";
import { serializeNodesView } from "@/lib/views/serialize-nodes-view";
import { ago, deadNode, iso, MINUTE, makeLease, makeNode, makePod, NOW, ownerRef, SECOND, unreachableTaints } from "../health/fixtures";
import { snapshotOf } from "./snapshot";

function inputs(now = NOW) {
  const nodes = [
    makeNode({ name: "worker-2" }),
    makeNode({ name: "worker-1", ready: "Unknown", readySince: ago(2 * MINUTE), taints: unreachableTaints(2 * MINUTE) }),
  ];
  const leases = [makeLease({ name: "worker-1", renewedAgoMs: 3 * MINUTE }), makeLease({ name: "worker-2" })];
  const pods = [
    makePod({ name: "db-0", nodeName: "worker-1", owner: ownerRef("StatefulSet", "db") }),
    makePod({ name: "web-1", nodeName: "worker-1", owner: ownerRef("ReplicaSet", "web-abc") }),
    makePod({ name: "web-2", nodeName: "worker-2", owner: ownerRef("ReplicaSet", "web-abc") }),
  ];
  return { nodes, leases, pods, pvcs: [], pvs: [], volumeAttachments: [], workloads: {}, now };
}

const parseBody = (body: Uint8Array) => JSON.parse(new TextDecoder().decode(body));

const snapshotAt = (health: TSnapshot["health"], pods: V1Pod[], at: Date, version = 1) => snapshotOf({ health, pods, at, version });

describe("serializeNodesView", () => {
  it("is viewNodes as JSON", () => {
    const i = inputs();
    const s = snapshotAt(evaluateCluster(i), i.pods, NOW);
    expect(parseBody(serializeNodesView(s))).toEqual(JSON.parse(JSON.stringify(viewNodes(s))));
  });

  it("serializes a row again when its counts change although the verdict object is the same", () => {
    const i = inputs();
    const health = evaluateCluster(i);
    const first = parseBody(serializeNodesView(snapshotAt(health, i.pods, NOW)));
    expect(first.nodes.find((n: { name: string }) => n.name === "worker-2").pods).toBe(1);
    const more = [...i.pods, makePod({ name: "web-3", nodeName: "worker-2" })];
    const second = parseBody(serializeNodesView(snapshotAt(health, more, NOW, 2)));
    expect(second.nodes.find((n: { name: string }) => n.name === "worker-2").pods).toBe(2);
    expect(second.version).toBe(2);
  });

  it("leaves out the heartbeat age, which a carried-over verdict could not keep current", () => {
    const i = inputs();
    const view = parseBody(serializeNodesView(snapshotAt(evaluateCluster(i), i.pods, NOW)));
    expect(view.nodes[0].heartbeat).not.toHaveProperty("ageMs");
    expect(view.nodes[0].heartbeat.leaseRenewTime).toBe(iso(ago(3 * MINUTE)));
  });
});

describe("views of carried-over verdicts", () => {
  it("give stuck-pod durations and the heartbeat age as of the snapshot, not as of when they were judged", () => {
    const evaluate = createClusterEvaluator();
    const i = inputs();
    evaluate(i);
    const later = new Date(NOW.getTime() + 30 * SECOND);
    const carried = evaluate({ ...i, now: later });
    expect(carried.podsJudged).toBe(0);
    const s = snapshotAt(carried, i.pods, later);
    const fresh = evaluateCluster({ ...i, now: later });

    const listed = viewNodes(s).stuckPods.find((p) => p.name === "web-1");
    expect(listed?.eviction.evictInMs).toBe(fresh.stuckPods.find((p) => p.name === "web-1")?.eviction.evictInMs);
    expect(listed?.eviction.evictInMs).toBe(3 * MINUTE - 30 * SECOND);

    const node = viewNode(s, "worker-1");
    expect(node?.node.heartbeat.ageMs).toBe(3 * MINUTE + 30 * SECOND);
    expect(node?.pods.find((p) => p.name === "web-1")?.stuck?.eviction.evictInMs).toBe(3 * MINUTE - 30 * SECOND);
  });
});

describe("mostUrgentStuckPods", () => {
  const node = deadNode();
  const pod = (name: string, namespace: string, needsAction: boolean): TStuckPod => ({
    ...evaluateStuckPod({ pod: makePod({ name, namespace }), node, pvcs: [], pvs: [], volumeAttachments: [], owners: {}, now: NOW }),
    needsAction,
  });
  // A fixed pseudo-random order: the selection must not depend on the input order.
  const pods: TStuckPod[] = [];
  let seed = 7;
  for (let i = 0; i < 500; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    pods.push(pod(`pod-${seed % 997}`, `ns-${seed % 13}`, seed % 5 === 0));
  }
  const sorted = [...pods].sort(
    (a, b) =>
      Number(b.needsAction) - Number(a.needsAction) ||
      (a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : 0) ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );

  it("returns the same first `limit` as a full sort", () => {
    const key = (p: TStuckPod) => `${p.needsAction}/${p.namespace}/${p.name}`;
    for (const limit of [1, 10, 200, 600]) {
      expect(mostUrgentStuckPods(pods, limit).map(key)).toEqual(sorted.slice(0, limit).map(key));
    }
  });

  it("puts every pod that needs an operator before the others", () => {
    const top = mostUrgentStuckPods(pods, 50);
    expect(top.every((p) => p.needsAction)).toBe(true);
  });
});
