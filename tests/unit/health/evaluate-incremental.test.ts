// The incremental evaluator must say exactly what evaluateCluster says, at every step of an
// incident, while judging again only what changed.
import type { V1Lease, V1Node, V1Pod } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { evaluateCluster, evaluateStuckPod, stuckPodAt, type TClusterHealth } from "@/lib/health";
import { heartbeatValidUntilMs } from "@/lib/health/evaluate-heartbeat";
import { createClusterEvaluator, type TClusterInputs } from "@/lib/health/evaluate-incremental";
import {
  ago,
  daemonSetTolerations,
  deadNode,
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

/** Drops what a carried-over verdict is allowed to keep from when it was judged. */
function comparable(h: TClusterHealth, now: Date) {
  const key = (p: { namespace: string; name: string }) => `${p.namespace}/${p.name}`;
  return {
    summary: h.summary,
    nodes: h.nodes.map((n) => ({ ...n, evaluatedAt: null, heartbeat: { ...n.heartbeat, ageMs: null } })),
    stuckPods: h.stuckPods.map((p) => stuckPodAt(p, now)).sort((a, b) => key(a).localeCompare(key(b))),
    workloads: h.workloads,
  };
}

const at = (ms: number) => new Date(NOW.getTime() + ms);

/** Three workers, a Deployment, a StatefulSet with an RWO volume and a DaemonSet, as the cache holds them. */
function cluster(): TClusterInputs {
  const names = ["worker-1", "worker-2", "worker-3"];
  const pods: V1Pod[] = [];
  for (const node of names) {
    pods.push(makePod({ name: `web-abc-${node}`, nodeName: node, owner: ownerRef("ReplicaSet", "web-abc") }));
    pods.push(
      makePod({ name: `agent-${node}`, nodeName: node, owner: ownerRef("DaemonSet", "agent"), tolerations: daemonSetTolerations() }),
    );
  }
  pods.push(makePod({ name: "db-0", nodeName: "worker-1", owner: ownerRef("StatefulSet", "db"), claims: ["data-db-0"] }));
  return {
    nodes: names.map((name) => makeNode({ name })),
    leases: names.map((name) => makeLease({ name, renewedAgoMs: 2 * SECOND })),
    pods,
    pvcs: [makePvc({ name: "data-db-0", volumeName: "pv-db-0" })],
    pvs: [makePv({ name: "pv-db-0" })],
    volumeAttachments: [makeVolumeAttachment({ nodeName: "worker-1", pv: "pv-db-0" })],
    workloads: {
      deployments: [makeDeployment({ name: "web", replicas: 3, ready: 3 })],
      replicaSets: [makeReplicaSet({ name: "web-abc", deployment: "web", replicas: 3 })],
      statefulSets: [makeStatefulSet({ name: "db", replicas: 1, ready: 1 })],
      daemonSets: [makeDaemonSet({ name: "agent", desired: 3, ready: 3 })],
    },
    now: NOW,
    observedSince: ago(10 * MINUTE),
  };
}

const replaceNode = (inputs: TClusterInputs, node: V1Node) => ({
  ...inputs,
  nodes: inputs.nodes.map((n) => (n.metadata?.name === node.metadata?.name ? node : n)),
});
const replaceLease = (inputs: TClusterInputs, lease: V1Lease) => ({
  ...inputs,
  leases: inputs.leases.map((l) => (l.metadata?.name === lease.metadata?.name ? lease : l)),
});
/** What the taint manager does: every pod on the node gets a deletionTimestamp. */
const deletePodsOn = (inputs: TClusterInputs, node: string, deletedAgoMs: number) => ({
  ...inputs,
  pods: inputs.pods.map((p) =>
    p.spec?.nodeName === node && !p.metadata?.ownerReferences?.some((o) => o.kind === "DaemonSet")
      ? {
          ...p,
          metadata: {
            ...p.metadata,
            deletionTimestamp: new Date(ago(deletedAgoMs).getTime() + 30 * SECOND),
            deletionGracePeriodSeconds: 30,
          },
        }
      : p,
  ),
});

describe("createClusterEvaluator", () => {
  it("agrees with evaluateCluster at every step of an incident, judging only what changed", () => {
    const evaluate = createClusterEvaluator();
    const check = (inputs: TClusterInputs) => {
      const incremental = evaluate(inputs);
      expect(comparable(incremental, inputs.now)).toEqual(comparable(evaluateCluster(inputs), inputs.now));
      return incremental;
    };

    // 1. Healthy: everything judged once.
    let inputs = cluster();
    let r = check(inputs);
    expect(r.nodesJudged).toBe(3);
    expect(r.nodeSetChanged).toBe(true);
    expect(r.stuckPods).toHaveLength(0);

    // 2. One second later, nothing changed: nothing judged again.
    inputs = { ...inputs, now: at(1 * SECOND) };
    r = check(inputs);
    expect(r.nodesJudged).toBe(0);
    expect(r.nodeSetChanged).toBe(false);

    // 3. worker-2 renews its Lease: only worker-2 is judged again.
    inputs = replaceLease(
      { ...inputs, now: at(2 * SECOND) },
      { ...makeLease({ name: "worker-2" }), spec: { renewTime: at(2 * SECOND), leaseDurationSeconds: 40 } },
    );
    r = check(inputs);
    expect(r.nodesJudged).toBe(1);

    // 4. worker-1's kubelet stops: its Lease (renewed 2 s before NOW) turns late after 20 s, by the clock alone.
    inputs = { ...inputs, now: at(17 * SECOND) };
    r = check(inputs);
    expect(r.nodes.find((n) => n.name === "worker-1")?.state).toBe("Ready");
    inputs = { ...inputs, now: at(19 * SECOND) };
    r = check(inputs);
    expect(r.nodes.find((n) => n.name === "worker-1")?.state).toBe("HeartbeatLate");
    expect(r.nodesJudged).toBeGreaterThanOrEqual(1);

    // 5. The node controller marks it Unknown and taints it: its pods are stuck.
    inputs = replaceNode(
      { ...inputs, now: at(45 * SECOND) },
      makeNode({ name: "worker-1", ready: "Unknown", readySince: at(45 * SECOND), taints: unreachableTaints(-45 * SECOND) }),
    );
    r = check(inputs);
    expect(r.stuckPods.map((p) => p.name).sort()).toEqual(["agent-worker-1", "db-0", "web-abc-worker-1"]);
    expect(r.podsJudged).toBe(3);
    expect(r.workloads.length).toBeGreaterThan(0);

    // 6. Ten seconds pass: the verdicts are carried forward (countdowns move), none judged again.
    inputs = { ...inputs, now: at(55 * SECOND) };
    r = check(inputs);
    expect(r.podsJudged).toBe(0);
    const web = r.stuckPods.find((p) => p.name === "web-abc-worker-1");
    expect(web?.eviction.evictInMs).toBe(300 * SECOND);
    expect(web && stuckPodAt(web, inputs.now).eviction.evictInMs).toBe(290 * SECOND);

    // 7. The taint manager deletes the pods: they are judged again, now Terminating.
    inputs = deletePodsOn({ ...inputs, now: at(6 * MINUTE) }, "worker-1", -6 * MINUTE);
    r = check(inputs);
    expect(r.podsJudged).toBe(2);
    expect(r.stuckPods.find((p) => p.name === "db-0")?.terminating).not.toBeNull();

    // 8. The StatefulSet's status changes (workloads): impact re-evaluated, owners unchanged.
    inputs = {
      ...inputs,
      now: at(6 * MINUTE + SECOND),
      workloads: { ...inputs.workloads, statefulSets: [makeStatefulSet({ name: "db", replicas: 1, ready: 0 })] },
    };
    r = check(inputs);
    expect(r.podsJudged).toBe(0);

    // 9. The volume is detached: pod verdicts judged again (the blocker goes).
    inputs = { ...inputs, now: at(6 * MINUTE + 2 * SECOND), volumeAttachments: [] };
    r = check(inputs);
    expect(r.podsJudged).toBe(3);

    // 10. A reconnect restarts the heartbeat warm-up: every node judged again.
    inputs = { ...inputs, now: at(7 * MINUTE), observedSince: at(7 * MINUTE) };
    r = check(inputs);
    expect(r.nodesJudged).toBe(3);

    // 11. The node is deleted: gone from the verdict, its pods no longer stuck.
    inputs = { ...inputs, now: at(8 * MINUTE), nodes: inputs.nodes.filter((n) => n.metadata?.name !== "worker-1") };
    r = check(inputs);
    expect(r.nodes.map((n) => n.name)).toEqual(["worker-2", "worker-3"]);
    expect(r.nodeSetChanged).toBe(true);
    expect(r.stuckPods).toHaveLength(0);
  });

  it("keeps the workload impact while only unhealthy nodes change state, and a quiet node's stuck pods whole", () => {
    const evaluate = createClusterEvaluator();
    const check = (inputs: TClusterInputs) => {
      const incremental = evaluate(inputs);
      expect(comparable(incremental, inputs.now)).toEqual(comparable(evaluateCluster(inputs), inputs.now));
      return incremental;
    };
    // worker-1 is dead; worker-2's Lease is 30 s old (late), its Node still says Ready.
    let inputs: TClusterInputs = replaceNode(
      replaceLease(cluster(), makeLease({ name: "worker-2", renewedAgoMs: 30 * SECOND })),
      makeNode({ name: "worker-1", ready: "Unknown", readySince: ago(MINUTE), taints: unreachableTaints(MINUTE) }),
    );
    evaluate(inputs);
    let r = check({ ...inputs, now: at(SECOND) });
    expect(r.nodes.map((n) => n.state)).toEqual(["Unknown", "HeartbeatLate", "Ready"]);
    const dead = r.stuckPods.filter((p) => p.nodeName === "worker-1");
    expect(dead.length).toBeGreaterThan(0);

    // worker-2 turns Unknown: unhealthy before and after, so the impact is carried over as is.
    inputs = replaceNode(
      { ...inputs, now: at(2 * SECOND) },
      makeNode({ name: "worker-2", ready: "Unknown", readySince: at(2 * SECOND), taints: unreachableTaints(-2 * SECOND) }),
    );
    const before = r.workloads;
    r = check(inputs);
    expect(r.workloads).toBe(before);
    expect(r.stuckPods.filter((p) => p.nodeName === "worker-1")).toEqual(dead);
    expect(r.stuckPods.filter((p) => p.nodeName === "worker-1").every((p, i) => p === dead[i])).toBe(true);

    // worker-2 comes back Ready: the impact is evaluated again.
    inputs = replaceLease(replaceNode({ ...inputs, now: at(3 * SECOND) }, makeNode({ name: "worker-2" })), {
      ...makeLease({ name: "worker-2" }),
      spec: { renewTime: at(3 * SECOND), leaseDurationSeconds: 40 },
    });
    r = check(inputs);
    expect(r.workloads).not.toBe(before);
  });

  it("indexes the pods by node, anew only when the pod list is another array", () => {
    const evaluate = createClusterEvaluator();
    const inputs = cluster();
    const first = evaluate(inputs);
    expect(first.podsByNode.get("worker-1")?.map((p) => p.metadata?.name)).toEqual(["web-abc-worker-1", "agent-worker-1", "db-0"]);
    expect(evaluate({ ...inputs, now: at(SECOND) }).podsByNode).toBe(first.podsByNode);
    // A new array of the same pods is looked at again, and every node keeps its list.
    const copied = evaluate({ ...inputs, pods: [...inputs.pods] }).podsByNode;
    expect(copied).not.toBe(first.podsByNode);
    for (const [node, pods] of first.podsByNode) expect(copied.get(node)).toBe(pods);
    const fewer = { ...inputs, pods: inputs.pods.filter((p) => p.metadata?.name !== "db-0") };
    const after = evaluate(fewer).podsByNode;
    expect(after.get("worker-1")).toHaveLength(2);
    // The nodes whose pods did not change keep their arrays (their stuck pods need no new look).
    expect(after.get("worker-2")).toBe(first.podsByNode.get("worker-2"));
    expect(after.get("worker-1")).not.toBe(first.podsByNode.get("worker-1"));
    // Same pods in another order is another list.
    const reordered = { ...fewer, pods: [...fewer.pods].reverse() };
    expect(evaluate(reordered).podsByNode.get("worker-2")).not.toBe(after.get("worker-2"));
  });
});

describe("stuckPodAt", () => {
  const base = {
    node: deadNode({ minutes: 2 }),
    pvcs: [makePvc({ name: "data-db-0", volumeName: "pv-db-0" })],
    pvs: [makePv({ name: "pv-db-0" })],
    volumeAttachments: [makeVolumeAttachment({ nodeName: "worker-1", pv: "pv-db-0" })],
    owners: { replicaSets: [makeReplicaSet({ name: "web-abc", deployment: "web" })] },
  };
  const pods: Record<string, V1Pod> = {
    "Deployment pod waiting for eviction": makePod({ owner: ownerRef("ReplicaSet", "web-abc") }),
    "Deployment pod past its eviction": makePod({ owner: ownerRef("ReplicaSet", "web-abc"), tolerations: [] }),
    "Terminating StatefulSet pod with a volume": makePod({
      name: "db-0",
      owner: ownerRef("StatefulSet", "db"),
      claims: ["data-db-0"],
      deletedAgoMs: 90 * SECOND,
    }),
    "DaemonSet pod": makePod({ owner: ownerRef("DaemonSet", "agent"), tolerations: daemonSetTolerations() }),
    "bare pod": makePod({}),
  };
  for (const [label, pod] of Object.entries(pods)) {
    it(`carries the verdict of a ${label} forward exactly as a new evaluation would`, () => {
      for (const elapsed of [0, 1 * SECOND, 4 * MINUTE, 10 * MINUTE]) {
        const earlier = evaluateStuckPod({ ...base, pod, now: NOW });
        const later = evaluateStuckPod({ ...base, pod, now: at(elapsed) });
        expect(stuckPodAt(earlier, at(elapsed))).toEqual(later);
      }
    });
  }

  it("moves the countdown sentence with the clock", () => {
    const earlier = evaluateStuckPod({ ...base, pod: pods["Deployment pod waiting for eviction"] as V1Pod, now: NOW });
    expect(earlier.reasons[0]).toContain("in 3m");
    expect(stuckPodAt(earlier, at(4 * MINUTE)).reasons[0]).toContain("was due 1m 0s ago");
  });
});

describe("heartbeatValidUntilMs", () => {
  const heartbeat = (renewedAgoMs: number | null) => ({
    leaseRenewTime: renewedAgoMs === null ? null : ago(renewedAgoMs).toISOString(),
    ageMs: renewedAgoMs,
    leaseDurationSeconds: 40,
    lateAfterMs: 20 * SECOND,
    late: false,
    warmingUp: false,
  });

  it("is the moment the Lease turns late when that lies ahead", () => {
    expect(heartbeatValidUntilMs({ heartbeat: heartbeat(5 * SECOND), evaluatedAtMs: NOW.getTime() })).toBe(NOW.getTime() + 15 * SECOND);
  });

  it("is the end of the warm-up when the Lease is already overdue but the watch is young", () => {
    expect(heartbeatValidUntilMs({ heartbeat: heartbeat(60 * SECOND), evaluatedAtMs: NOW.getTime(), observedSince: ago(5 * SECOND) })).toBe(
      NOW.getTime() + 15 * SECOND,
    );
  });

  it("takes the earlier of the two boundaries", () => {
    expect(
      heartbeatValidUntilMs({ heartbeat: heartbeat(10 * SECOND), evaluatedAtMs: NOW.getTime(), observedSince: ago(15 * SECOND) }),
    ).toBe(NOW.getTime() + 5 * SECOND);
  });

  it("is forever when nothing lies ahead or there is no Lease", () => {
    expect(heartbeatValidUntilMs({ heartbeat: heartbeat(60 * SECOND), evaluatedAtMs: NOW.getTime() })).toBe(Number.POSITIVE_INFINITY);
    expect(heartbeatValidUntilMs({ heartbeat: heartbeat(null), evaluatedAtMs: NOW.getTime() })).toBe(Number.POSITIVE_INFINITY);
  });
});
