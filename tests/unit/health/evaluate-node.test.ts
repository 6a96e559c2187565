import { describe, expect, it } from "vitest";
import { evaluateNode } from "@/lib/health";
import { ago, condition, iso, MINUTE, makeLease, makeNode, NOW, SECOND, UNREACHABLE } from "./fixtures";

const lease = (renewedAgoMs = 2 * SECOND) => makeLease({ renewedAgoMs });

describe("evaluateNode: state", () => {
  it("is Ready with Ready=True and a fresh lease", () => {
    const since = ago(3 * MINUTE);
    const health = evaluateNode({ node: makeNode({ readySince: since }), lease: lease(), now: NOW });
    expect(health.health).toBe("Ready");
    expect(health.state).toBe("Ready");
    expect(health.readySince).toBe(iso(since));
    expect(health.notReadySince).toBeNull();
    expect(health.readyReason).toBe("KubeletReady");
    expect(health.heartbeat.late).toBe(false);
  });

  it("is HeartbeatLate when Ready=True but the lease is overdue", () => {
    const health = evaluateNode({ node: makeNode(), lease: lease(21 * SECOND), now: NOW });
    expect(health.health).toBe("Ready");
    expect(health.state).toBe("HeartbeatLate");
    expect(health.heartbeat.ageMs).toBe(21 * SECOND);
  });

  it("stays Ready at exactly the threshold", () => {
    expect(evaluateNode({ node: makeNode(), lease: lease(20 * SECOND), now: NOW }).state).toBe("Ready");
  });

  it("uses an explicit lateAfterMs", () => {
    const node = makeNode();
    expect(evaluateNode({ node, lease: lease(8 * SECOND), now: NOW, lateAfterMs: 5 * SECOND }).state).toBe("HeartbeatLate");
    expect(evaluateNode({ node, lease: lease(8 * SECOND), now: NOW, lateAfterMs: 10 * SECOND }).state).toBe("Ready");
  });

  it("is NotReady with Ready=False, whatever the lease says", () => {
    const since = ago(MINUTE);
    const node = makeNode({
      ready: "False",
      readySince: since,
      readyReason: "KubeletNotReady",
      readyMessage: "PLEG is not healthy",
    });
    const health = evaluateNode({ node, lease: lease(), now: NOW });
    expect(health.health).toBe("NotReady");
    expect(health.state).toBe("NotReady");
    expect(health.notReadySince).toBe(iso(since));
    expect(health.readySince).toBeNull();
    expect(health.readyReason).toBe("KubeletNotReady");
    expect(health.readyMessage).toBe("PLEG is not healthy");
  });

  it("is Unknown with Ready=Unknown, even with a stale lease (not HeartbeatLate)", () => {
    const health = evaluateNode({ node: makeNode({ ready: "Unknown" }), lease: lease(5 * MINUTE), now: NOW });
    expect(health.health).toBe("Unknown");
    expect(health.state).toBe("Unknown");
    expect(health.heartbeat.late).toBe(true);
    expect(health.readyReason).toBe("NodeStatusUnknown");
  });

  it("is Unknown without a Ready condition", () => {
    const health = evaluateNode({ node: makeNode({ ready: null }), lease: lease(), now: NOW });
    expect(health.state).toBe("Unknown");
    expect(health.notReadySince).toBeNull();
    expect(health.readySince).toBeNull();
    expect(health.readyReason).toBeNull();
    expect(health.readyMessage).toBeNull();
  });

  it("is Unknown with no status at all", () => {
    const health = evaluateNode({ node: { metadata: { name: "bare" } }, lease: undefined, now: NOW });
    expect(health).toMatchObject({
      name: "bare",
      uid: null,
      state: "Unknown",
      problems: [],
      taints: [],
      roles: [],
      cordoned: false,
      kubeletVersion: null,
      internalIP: null,
      createdAt: null,
    });
  });

  it("is Unknown for a Ready status outside True/False/Unknown", () => {
    const node = makeNode({ ready: null, conditions: [condition("Ready", "Maybe")] });
    expect(evaluateNode({ node, lease: lease(), now: NOW }).health).toBe("Unknown");
  });

  it("stays Ready without a lease: absence of a lease is not evidence of a late heartbeat", () => {
    const health = evaluateNode({ node: makeNode(), lease: undefined, now: NOW });
    expect(health.state).toBe("Ready");
    expect(health.heartbeat.leaseRenewTime).toBeNull();
  });
});

describe("evaluateNode: details", () => {
  it("copies identity, version, address and evaluation time", () => {
    const health = evaluateNode({
      node: makeNode({ name: "n7", uid: "u7", kubeletVersion: "v1.32.1" }),
      lease: lease(),
      now: NOW,
    });
    expect(health.name).toBe("n7");
    expect(health.uid).toBe("u7");
    expect(health.kubeletVersion).toBe("v1.32.1");
    expect(health.internalIP).toBe("10.0.0.11");
    expect(health.createdAt).toBe("2025-01-01T00:00:00.000Z");
    expect(health.evaluatedAt).toBe(iso(NOW));
  });

  it("has a null internalIP when the node reports only a hostname", () => {
    expect(evaluateNode({ node: makeNode({ internalIP: null }), lease: lease(), now: NOW }).internalIP).toBeNull();
  });

  it("reports cordoned from spec.unschedulable", () => {
    expect(evaluateNode({ node: makeNode({ unschedulable: true }), lease: lease(), now: NOW }).cordoned).toBe(true);
    expect(evaluateNode({ node: makeNode({ unschedulable: false }), lease: lease(), now: NOW }).cordoned).toBe(false);
    expect(evaluateNode({ node: makeNode(), lease: lease(), now: NOW }).cordoned).toBe(false);
  });

  it("lists taints with timeAdded as ISO, null when absent", () => {
    const added = ago(90 * SECOND);
    const node = makeNode({
      taints: [
        { key: UNREACHABLE, effect: "NoExecute", timeAdded: added },
        { key: "dedicated", value: "db", effect: "NoSchedule" },
      ],
    });
    expect(evaluateNode({ node, lease: lease(), now: NOW }).taints).toEqual([
      { key: UNREACHABLE, value: null, effect: "NoExecute", timeAdded: iso(added) },
      { key: "dedicated", value: "db", effect: "NoSchedule", timeAdded: null },
    ]);
  });

  it("reports True pressure conditions as pressure problems and False ones not at all", () => {
    const since = ago(4 * MINUTE);
    const node = makeNode({
      conditions: [
        condition("NetworkUnavailable", "True", {
          reason: "NoRouteCreated",
          message: "no route",
          lastTransitionTime: since,
        }),
      ],
    });
    node.status?.conditions?.splice(1, 1, condition("DiskPressure", "True", { reason: "KubeletHasDiskPressure" }));
    const problems = evaluateNode({ node, lease: lease(), now: NOW }).problems;
    expect(problems).toEqual([
      {
        type: "DiskPressure",
        kind: "pressure",
        reason: "KubeletHasDiskPressure",
        message: null,
        since: iso(ago(10 * MINUTE)),
      },
      {
        type: "NetworkUnavailable",
        kind: "pressure",
        reason: "NoRouteCreated",
        message: "no route",
        since: iso(since),
      },
    ]);
  });

  it.each(["MemoryPressure", "PIDPressure"])("reports %s=True as a pressure problem", (type) => {
    const node = makeNode({ conditions: [condition(type, "True")] });
    expect(evaluateNode({ node, lease: lease(), now: NOW }).problems.map((p) => [p.type, p.kind])).toEqual([[type, "pressure"]]);
  });

  it("reports node-problem-detector conditions that are True as detector problems", () => {
    const node = makeNode({
      conditions: [
        condition("KernelDeadlock", "True", { reason: "DockerHung" }),
        condition("ReadonlyFilesystem", "True", { reason: "FilesystemIsReadOnly" }),
        condition("FrequentKubeletRestart", "False"),
        condition("CorruptDockerOverlay2", "Unknown"),
      ],
    });
    const problems = evaluateNode({ node, lease: lease(), now: NOW }).problems;
    expect(problems.map((p) => [p.type, p.kind, p.reason])).toEqual([
      ["KernelDeadlock", "detector", "DockerHung"],
      ["ReadonlyFilesystem", "detector", "FilesystemIsReadOnly"],
    ]);
  });

  it("never reports Ready itself as a problem", () => {
    expect(evaluateNode({ node: makeNode({ ready: "True" }), lease: lease(), now: NOW }).problems).toEqual([]);
  });

  it("derives sorted, unique roles from node-role labels and the legacy kubernetes.io/role label", () => {
    const node = makeNode({
      labels: {
        "node-role.kubernetes.io/control-plane": "",
        "node-role.kubernetes.io/worker": "true",
        "kubernetes.io/role": "master",
        "node-role.kubernetes.io/": "",
        "node-role.kubernetes.io.example/ignored": "",
      },
    });
    expect(evaluateNode({ node, lease: lease(), now: NOW }).roles).toEqual(["control-plane", "master", "worker"]);
  });

  it("does not duplicate a role named by both label styles, and ignores an empty legacy role", () => {
    const both = makeNode({ labels: { "node-role.kubernetes.io/worker": "", "kubernetes.io/role": "worker" } });
    expect(evaluateNode({ node: both, lease: lease(), now: NOW }).roles).toEqual(["worker"]);
    const empty = makeNode({ labels: { "kubernetes.io/role": "" } });
    expect(evaluateNode({ node: empty, lease: lease(), now: NOW }).roles).toEqual([]);
  });

  it("produces a JSON-safe object that survives a round trip unchanged", () => {
    const health = evaluateNode({
      node: makeNode({ taints: [{ key: "a", effect: "NoSchedule" }] }),
      lease: lease(),
      now: NOW,
    });
    expect(JSON.parse(JSON.stringify(health))).toEqual(health);
  });
});
