import type { V1Pod, V1VolumeAttachment } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import type { TNodeState } from "@/lib/health";
import { ACTIONS, DEAD_NODE_ACTIONS, EXCLUSION_KEYS, OUT_OF_SERVICE_TAINT, type TAction } from "@/lib/remediation/catalog";
import {
  DEFAULT_GATE_SETTINGS,
  evaluateGates,
  exclusionOf,
  GATES,
  minorVersion,
  refusalsOf,
  supportsOutOfService,
  type TGate,
  type TGateCheck,
} from "@/lib/remediation/gates";
import { outOfServiceRelease } from "@/lib/remediation/out-of-service";
import { deadNode, makeVolumeAttachment, nodeHealth } from "../health/fixtures";
import { ago, gateInput, health, MINUTE, makePod, readyWorkers, SECOND } from "./fixtures";

const gate = (checks: TGateCheck[], name: TGate) => {
  const found = checks.filter((c) => c.gate === name);
  expect(found, `exactly one "${name}" check`).toHaveLength(1);
  return found[0]!;
};
const gatesOf = (checks: TGateCheck[]) => checks.map((c) => c.gate);

const DEAD_ACTIONS = [...DEAD_NODE_ACTIONS];
const LIVE_ACTIONS = ACTIONS.filter((a) => !DEAD_NODE_ACTIONS.has(a));
const OOS_TAINT = { key: OUT_OF_SERVICE_TAINT.key, value: OUT_OF_SERVICE_TAINT.value, effect: OUT_OF_SERVICE_TAINT.effect };

describe("settings and gate names", () => {
  it("has the documented defaults", () => {
    expect(DEFAULT_GATE_SETTINGS).toEqual({
      deadAfterMs: 5 * MINUTE,
      maxUnhealthyWorkers: 1,
      maxUnhealthyShare: 0.3,
      flapWindowMs: 10 * MINUTE,
    });
  });

  it("names every gate it can emit", () => {
    expect([...GATES]).toEqual(["connection", "excluded", "dead-long-enough", "storm", "flapping", "supported", "applicable", "recovered"]);
  });
});

describe("minorVersion", () => {
  it.each([
    ["v1.20.2", 20],
    ["v1.26.0", 26],
    ["v1.28.3", 28],
    ["1.29.1", 29],
    ["v1.30.0-gke.1200", 30],
    ["v1.31", 31],
    ["v1.9.11", 9],
  ])("%s → %d", (version, minor) => {
    expect(minorVersion(version)).toBe(minor);
  });

  it.each([[null], [""], ["garbage"], ["v2.0.0"], ["v10.1.0"], ["1"], ["v1."]])("%j → null", (version) => {
    expect(minorVersion(version)).toBeNull();
  });
});

describe("supportsOutOfService", () => {
  it.each([
    ["v1.20.2", false],
    ["v1.25.16", false],
    ["v1.26.0", true],
    ["v1.28.3", true],
    ["v1.33.2", true],
    [null, false],
    ["nonsense", false],
  ] as const)("%s → %s", (version, supported) => {
    expect(supportsOutOfService(version)).toBe(supported);
  });
});

describe("exclusionOf", () => {
  it("is null with no exclusion label or annotation", () => {
    expect(exclusionOf({}, {})).toBeNull();
    expect(exclusionOf({ "kubernetes.io/hostname": "worker-1" }, { "node.alpha.kubernetes.io/ttl": "0" })).toBeNull();
  });

  for (const key of EXCLUSION_KEYS) {
    it(`excludes with label ${key}`, () => {
      expect(exclusionOf({ [key]: "true" }, {})).toBe(`label ${key}=true`);
    });

    it(`excludes with annotation ${key}`, () => {
      expect(exclusionOf({}, { [key]: "yes" })).toBe(`annotation ${key}=yes`);
    });

    it(`excludes with an empty-valued ${key} (no "=")`, () => {
      expect(exclusionOf({ [key]: "" }, {})).toBe(`label ${key}`);
      expect(exclusionOf({}, { [key]: "" })).toBe(`annotation ${key}`);
    });

    it.each(["false", "False", "FALSE"])(`does not exclude with ${key}=%s`, (value) => {
      expect(exclusionOf({ [key]: value }, { [key]: value })).toBeNull();
    });
  }

  it("reports the label before the annotation for the same key", () => {
    const key = EXCLUSION_KEYS[0];
    expect(exclusionOf({ [key]: "a" }, { [key]: "b" })).toBe(`label ${key}=a`);
  });

  it("a false label does not hide an excluding annotation", () => {
    const key = EXCLUSION_KEYS[1];
    expect(exclusionOf({ [key]: "false" }, { [key]: "true" })).toBe(`annotation ${key}=true`);
  });

  it("reports the first key in EXCLUSION_KEYS order", () => {
    const [first, second, third] = EXCLUSION_KEYS;
    expect(exclusionOf({ [third]: "x" }, { [second]: "y", [first]: "z" })).toBe(`annotation ${first}=z`);
  });
});

describe("evaluateGates: which gates run", () => {
  it.each(LIVE_ACTIONS)("%s runs no dead-node gates", (action) => {
    const gates = gatesOf(evaluateGates(gateInput({ action, node: health({ state: "Ready" }), nodes: readyWorkers(5) })));
    expect(gates.slice(0, 2)).toEqual(["connection", "excluded"]);
    expect(gates).not.toContain("dead-long-enough");
    expect(gates).not.toContain("storm");
    expect(gates).not.toContain("flapping");
  });

  it.each(["node.cordon", "node.uncordon", "node.drain"] as const)("%s only checks connection and exclusion", (action) => {
    expect(gatesOf(evaluateGates(gateInput({ action })))).toEqual(["connection", "excluded"]);
  });

  it.each([
    ["pods.force-delete", ["connection", "excluded", "dead-long-enough", "storm", "flapping", "applicable"]],
    ["node.delete", ["connection", "excluded", "dead-long-enough", "storm", "flapping"]],
    ["node.out-of-service.apply", ["connection", "excluded", "dead-long-enough", "storm", "flapping", "applicable"]],
    ["node.out-of-service.remove", ["connection", "excluded", "applicable"]],
    ["node.restore", ["connection", "excluded", "applicable"]],
  ] as const)("%s checks %j in that order", (action, gates) => {
    expect(gatesOf(evaluateGates(gateInput({ action })))).toEqual(gates);
  });

  it("all pass for a node dead long enough on a quiet, connected 1.28 cluster (delete)", () => {
    const checks = evaluateGates(gateInput({ action: "node.delete" }));
    expect(checks.every((c) => c.passed)).toBe(true);
    expect(refusalsOf(checks, false)).toEqual([]);
  });
});

describe("evaluateGates: connection", () => {
  it.each(ACTIONS)("%s passes when connected", (action) => {
    const c = gate(evaluateGates(gateInput({ action, connected: true })), "connection");
    expect(c).toEqual({ gate: "connection", passed: true, overridable: false, message: "the watch is connected: the view is current" });
  });

  it.each(ACTIONS)("%s fails (not overridable) when disconnected", (action) => {
    const c = gate(evaluateGates(gateInput({ action, connected: false })), "connection");
    expect(c).toEqual({
      gate: "connection",
      passed: false,
      overridable: false,
      message: "the API server connection is down: the view may be stale",
    });
  });
});

describe("evaluateGates: excluded", () => {
  it("passes without exclusion", () => {
    const c = gate(evaluateGates(gateInput()), "excluded");
    expect(c.passed).toBe(true);
    expect(c.message).toBe("the node is not excluded from remediation");
  });

  for (const key of EXCLUSION_KEYS) {
    it(`fails with label ${key}`, () => {
      const c = gate(evaluateGates(gateInput({ labels: { [key]: "true" } })), "excluded");
      expect(c.passed).toBe(false);
      expect(c.overridable).toBe(false);
      expect(c.message).toBe(`the node is excluded from remediation (label ${key}=true)`);
    });

    it(`fails with annotation ${key}`, () => {
      const c = gate(evaluateGates(gateInput({ annotations: { [key]: "true" } })), "excluded");
      expect(c.passed).toBe(false);
      expect(c.message).toBe(`the node is excluded from remediation (annotation ${key}=true)`);
    });

    it(`passes with ${key}=false as label and annotation`, () => {
      const c = gate(evaluateGates(gateInput({ labels: { [key]: "false" }, annotations: { [key]: "false" } })), "excluded");
      expect(c.passed).toBe(true);
    });
  }

  it.each(ACTIONS)("applies to %s too", (action) => {
    const c = gate(evaluateGates(gateInput({ action, labels: { "node-rescue.dev/exclude": "true" } })), "excluded");
    expect(c.passed).toBe(false);
  });
});

describe("evaluateGates: dead-long-enough", () => {
  const deadCheck = (action: TAction, state: TNodeState, deadForMs: number | null) => {
    const node = health({ state, deadForMs });
    return gate(evaluateGates(gateInput({ action, node, nodes: [node, ...readyWorkers(4)] })), "dead-long-enough");
  };

  for (const action of DEAD_ACTIONS) {
    describe(action, () => {
      it.each(["Ready", "HeartbeatLate"] as const)("fails on a %s node", (state) => {
        const c = deadCheck(action, state, null);
        expect(c.passed).toBe(false);
        expect(c.overridable).toBe(false);
        expect(c.message).toBe(`the node is ${state}: this action is only for a dead node (NotReady/Unknown for 300s)`);
      });

      it.each(["NotReady", "Unknown"] as const)("passes on a %s node dead exactly deadAfterMs", (state) => {
        const c = deadCheck(action, state, 5 * MINUTE);
        expect(c.passed).toBe(true);
        expect(c.message).toBe(`${state} for 300s (at least 300s required)`);
      });

      it.each(["NotReady", "Unknown"] as const)("fails on a %s node dead 1 ms short of deadAfterMs", (state) => {
        expect(deadCheck(action, state, 5 * MINUTE - 1).passed).toBe(false);
      });

      it.each(["NotReady", "Unknown"] as const)("fails on a %s node dead for only 4 min, saying how long to wait", (state) => {
        const c = deadCheck(action, state, 4 * MINUTE);
        expect(c.passed).toBe(false);
        expect(c.message).toBe(`${state} for only 240s: wait until 300s have passed`);
      });

      it.each(["NotReady", "Unknown"] as const)("passes on a %s node dead for an hour", (state) => {
        const c = deadCheck(action, state, 60 * MINUTE);
        expect(c.passed).toBe(true);
        expect(c.message).toBe(`${state} for 3600s (at least 300s required)`);
      });

      it("fails when a dead node has no notReadySince (counts as 0 s)", () => {
        const c = deadCheck(action, "Unknown", null);
        expect(c.passed).toBe(false);
        expect(c.message).toBe("Unknown for only 0s: wait until 300s have passed");
      });
    });
  }

  it("fails when notReadySince is in the future (clock skew)", () => {
    const c = deadCheck("node.delete", "NotReady", -MINUTE);
    expect(c.passed).toBe(false);
  });

  it("follows settings.deadAfterMs", () => {
    const node = health({ state: "Unknown", deadForMs: 90 * SECOND });
    const settings = { ...DEFAULT_GATE_SETTINGS, deadAfterMs: MINUTE };
    const c = gate(evaluateGates(gateInput({ node, nodes: [node], settings })), "dead-long-enough");
    expect(c.passed).toBe(true);
    expect(c.message).toBe("Unknown for 90s (at least 60s required)");
  });

  it("with deadAfterMs 0, a dead node without notReadySince passes", () => {
    const node = health({ state: "NotReady", deadForMs: null });
    const settings = { ...DEFAULT_GATE_SETTINGS, deadAfterMs: 0 };
    expect(gate(evaluateGates(gateInput({ node, settings })), "dead-long-enough").passed).toBe(true);
  });

  it("works on nodes evaluated from real objects (evaluateNode)", () => {
    const long = deadNode({ name: "worker-1", minutes: 6 });
    const short = deadNode({ name: "worker-1", minutes: 2 });
    const live = nodeHealth({ name: "worker-1" });
    expect(gate(evaluateGates(gateInput({ node: long, nodes: [long] })), "dead-long-enough").passed).toBe(true);
    expect(gate(evaluateGates(gateInput({ node: short, nodes: [short] })), "dead-long-enough").message).toBe(
      "Unknown for only 120s: wait until 300s have passed",
    );
    expect(gate(evaluateGates(gateInput({ node: live, nodes: [live] })), "dead-long-enough").message).toMatch(/^the node is Ready:/);
  });
});

describe("evaluateGates: storm", () => {
  const stormCheck = (nodes: ReturnType<typeof health>[], settings = DEFAULT_GATE_SETTINGS) =>
    gate(evaluateGates(gateInput({ node: nodes[0], nodes, settings })), "storm");
  const dead = (name: string, roles: string[] = []) => health({ name, state: "Unknown", roles });

  it("passes with one dead worker among five", () => {
    const c = stormCheck([dead("w1"), ...readyWorkers(4)]);
    expect(c.passed).toBe(true);
    expect(c.overridable).toBe(true);
    expect(c.message).toBe("1 of 5 nodes unhealthy (limits: 1 worker, 30%)");
  });

  it("refuses two dead workers even when their share is low", () => {
    const c = stormCheck([dead("w1"), dead("w2"), ...readyWorkers(18)]);
    expect(c.passed).toBe(false);
    expect(c.overridable).toBe(true);
    expect(c.message).toBe(
      "2 of 20 nodes are unhealthy (2 workers, 10%): that looks like a network partition or a control-plane problem, not one dead node",
    );
  });

  it("refuses more than 30% unhealthy, counting a dead master in the share but not as a worker", () => {
    const c = stormCheck([dead("w1"), dead("m1", ["master"]), ...readyWorkers(4)]);
    expect(c.passed).toBe(false);
    expect(c.message).toMatch(/^2 of 6 nodes are unhealthy \(1 workers, 33%\): that looks like a network partition/);
  });

  it("a dead control-plane node is not a worker either", () => {
    const c = stormCheck([dead("w1"), dead("cp1", ["control-plane"]), ...readyWorkers(8)]);
    expect(c.passed).toBe(true);
    expect(c.message).toBe("2 of 10 nodes unhealthy (limits: 1 worker, 30%)");
  });

  it("a dead node with another role (e.g. infra) counts as a worker", () => {
    const c = stormCheck([dead("w1"), dead("i1", ["infra"]), ...readyWorkers(8)]);
    expect(c.passed).toBe(false);
    expect(c.message).toMatch(/\(2 workers, 20%\)/);
  });

  it("passes at exactly 30% (the limit is exclusive)", () => {
    const c = stormCheck([dead("w1"), dead("m1", ["master"]), dead("m2", ["master"]), ...readyWorkers(7)]);
    expect(c.passed).toBe(true);
    expect(c.message).toBe("3 of 10 nodes unhealthy (limits: 1 worker, 30%)");
  });

  it("refuses above 30% made only of dead masters plus the one worker", () => {
    const c = stormCheck([dead("w1"), dead("m1", ["master"]), dead("m2", ["control-plane"]), ...readyWorkers(6)]);
    expect(c.passed).toBe(false);
    expect(c.message).toMatch(/^3 of 9 nodes are unhealthy \(1 workers, 33%\)/);
  });

  it("counts HeartbeatLate and NotReady nodes as unhealthy", () => {
    const nodes = [dead("w1"), health({ name: "late", state: "HeartbeatLate" }), ...readyWorkers(8)];
    expect(stormCheck(nodes).passed).toBe(false);
    const notReady = [dead("w1"), health({ name: "nr", state: "NotReady" }), ...readyWorkers(8)];
    expect(stormCheck(notReady).passed).toBe(false);
  });

  it("ignores Ready control-plane nodes (they count only in the total)", () => {
    const c = stormCheck([dead("w1"), health({ name: "m1", roles: ["control-plane"] }), ...readyWorkers(3)]);
    expect(c.passed).toBe(true);
    expect(c.message).toBe("1 of 5 nodes unhealthy (limits: 1 worker, 30%)");
  });

  it("passes with no nodes at all (share 0)", () => {
    const c = gate(evaluateGates(gateInput({ nodes: [] })), "storm");
    expect(c.passed).toBe(true);
    expect(c.message).toBe("0 of 0 nodes unhealthy (limits: 1 worker, 30%)");
  });

  it("follows custom limits", () => {
    const settings = { ...DEFAULT_GATE_SETTINGS, maxUnhealthyWorkers: 2, maxUnhealthyShare: 0.5 };
    const c = stormCheck([dead("w1"), dead("w2"), ...readyWorkers(3)], settings);
    expect(c.passed).toBe(true);
    expect(c.message).toBe("2 of 5 nodes unhealthy (limits: 2 worker, 50%)");
    expect(stormCheck([dead("w1"), dead("w2"), dead("w3"), ...readyWorkers(7)], settings).passed).toBe(false);
  });

  it("a one-dead-worker cluster of three is over the 30% share (33%)", () => {
    expect(stormCheck([dead("w1"), ...readyWorkers(2)]).passed).toBe(false);
  });
});

describe("evaluateGates: flapping", () => {
  const flapCheck = (reconnects: Date[]) => gate(evaluateGates(gateInput({ reconnects })), "flapping");

  it("passes without reconnects", () => {
    expect(flapCheck([])).toEqual({ gate: "flapping", passed: true, overridable: true, message: "the watch connection has been stable" });
  });

  it("fails with a reconnect inside the window", () => {
    const c = flapCheck([ago(9 * MINUTE)]);
    expect(c.passed).toBe(false);
    expect(c.overridable).toBe(true);
    expect(c.message).toBe(
      "the watch connection to the API server dropped and came back 1× in the last 10 min: node states may be partition artefacts",
    );
  });

  it("counts only the reconnects inside the window", () => {
    const c = flapCheck([ago(MINUTE), ago(5 * MINUTE), ago(30 * MINUTE)]);
    expect(c.passed).toBe(false);
    expect(c.message).toMatch(/came back 2× in the last 10 min/);
  });

  it("passes with a reconnect exactly flapWindowMs ago (the window is exclusive)", () => {
    expect(flapCheck([ago(10 * MINUTE)]).passed).toBe(true);
    expect(flapCheck([ago(10 * MINUTE - 1)]).passed).toBe(false);
  });

  it("passes with old reconnects only", () => {
    expect(flapCheck([ago(11 * MINUTE), ago(60 * MINUTE)]).passed).toBe(true);
  });

  it("follows settings.flapWindowMs", () => {
    const settings = { ...DEFAULT_GATE_SETTINGS, flapWindowMs: 2 * MINUTE };
    const c = gate(evaluateGates(gateInput({ reconnects: [ago(3 * MINUTE)], settings })), "flapping");
    expect(c.passed).toBe(true);
    const c2 = gate(evaluateGates(gateInput({ reconnects: [ago(MINUTE)], settings })), "flapping");
    expect(c2.message).toMatch(/in the last 2 min/);
  });
});

describe("evaluateGates: out-of-service apply", () => {
  it("on v1.20.2 fails the not-overridable 'supported' gate, pointing to node deletion", () => {
    const checks = evaluateGates(gateInput({ action: "node.out-of-service.apply", serverVersion: "v1.20.2" }));
    const c = gate(checks, "supported");
    expect(c.passed).toBe(false);
    expect(c.overridable).toBe(false);
    expect(c.message).toBe(
      "Kubernetes v1.20.2 does not act on the out-of-service taint (non-graceful node shutdown is beta from 1.26): delete the node instead",
    );
    expect(gatesOf(checks)).not.toContain("applicable");
    expect(refusalsOf(checks, true).map((r) => r.gate)).toEqual(["supported"]);
  });

  it("with an unknown server version fails 'supported'", () => {
    const c = gate(evaluateGates(gateInput({ action: "node.out-of-service.apply", serverVersion: null })), "supported");
    expect(c.passed).toBe(false);
    expect(c.message).toMatch(/^Kubernetes \(unknown version\) does not act on the out-of-service taint/);
    expect(c.message).toMatch(/delete the node instead$/);
  });

  it("on v1.25.16 fails 'supported'", () => {
    expect(gate(evaluateGates(gateInput({ action: "node.out-of-service.apply", serverVersion: "v1.25.16" })), "supported").passed).toBe(
      false,
    );
  });

  it.each(["v1.26.0", "v1.28.3"])("on %s passes (applicable: the taint is not applied yet)", (serverVersion) => {
    const checks = evaluateGates(gateInput({ action: "node.out-of-service.apply", serverVersion }));
    expect(gatesOf(checks)).not.toContain("supported");
    expect(gate(checks, "applicable")).toEqual({
      gate: "applicable",
      passed: true,
      overridable: false,
      message: "the taint is not applied yet",
    });
    expect(refusalsOf(checks, false)).toEqual([]);
  });

  it("fails 'applicable' when the taint is already applied", () => {
    const node = health({ state: "Unknown", taints: [OOS_TAINT] });
    const c = gate(evaluateGates(gateInput({ action: "node.out-of-service.apply", node, nodes: [node] })), "applicable");
    expect(c.passed).toBe(false);
    expect(c.message).toBe("the out-of-service taint is already applied");
  });
});

describe("evaluateGates: out-of-service remove", () => {
  it("fails when the taint is absent", () => {
    const c = gate(evaluateGates(gateInput({ action: "node.out-of-service.remove" })), "applicable");
    expect(c).toEqual({ gate: "applicable", passed: false, overridable: false, message: "the node has no out-of-service taint" });
  });

  it("passes when the taint is present (any value/effect with that key), even on a Ready node", () => {
    const node = health({ state: "Ready", taints: [{ key: OUT_OF_SERVICE_TAINT.key, effect: "NoSchedule" }] });
    const c = gate(evaluateGates(gateInput({ action: "node.out-of-service.remove", node, nodes: [node] })), "applicable");
    expect(c.passed).toBe(true);
    expect(c.message).toBe("the out-of-service taint is applied");
  });

  it("another node.kubernetes.io taint does not count", () => {
    const node = health({ state: "Unknown", taints: [{ key: "node.kubernetes.io/unreachable", effect: "NoExecute" }] });
    expect(gate(evaluateGates(gateInput({ action: "node.out-of-service.remove", node })), "applicable").passed).toBe(false);
  });

  const removal = (node: ReturnType<typeof health>, pods: V1Pod[] = [], volumeAttachments: V1VolumeAttachment[] = []) =>
    evaluateGates(
      gateInput({
        action: "node.out-of-service.remove",
        node,
        nodes: [node, ...readyWorkers(2)],
        outOfService: outOfServiceRelease({ node, pods, volumeAttachments }),
      }),
    );

  it("checks whether the node is back and empty only when the taint is there", () => {
    expect(gatesOf(removal(health({ state: "Ready", taints: [OOS_TAINT] })))).toEqual([
      "connection",
      "excluded",
      "applicable",
      "recovered",
    ]);
    expect(gatesOf(removal(health({ state: "Ready" })))).toEqual(["connection", "excluded", "applicable"]);
  });

  it("refuses while the node is not Ready, saying so (not overridable)", () => {
    const c = gate(removal(health({ state: "Unknown", taints: [OOS_TAINT] })), "recovered");
    expect(c).toEqual({
      gate: "recovered",
      passed: false,
      overridable: false,
      message: "the out-of-service taint stays until worker-1 is back and empty: worker-1 is Unknown (it must be Ready: its kubelet back)",
    });
  });

  it("refuses while pods or VolumeAttachments are left on a Ready node, naming them", () => {
    const node = health({ state: "Ready", taints: [OOS_TAINT] });
    const c = gate(
      removal(node, [makePod({ name: "redis-0" })], [makeVolumeAttachment({ name: "csi-abc", nodeName: "worker-1", pv: "pv-redis" })]),
      "recovered",
    );
    expect(c.passed).toBe(false);
    expect(c.message).toBe(
      "the out-of-service taint stays until worker-1 is back and empty: 1 pod still on it (shop/redis-0); 1 VolumeAttachment still on it (csi-abc)",
    );
    expect(refusalsOf(removal(node, [makePod({ name: "redis-0" })]), true).map((r) => r.gate)).toEqual(["recovered"]);
  });

  it("passes once the node is Ready and only pods tolerating the taint are left", () => {
    const node = health({ state: "Ready", taints: [OOS_TAINT] });
    const exporter = makePod({ name: "node-exporter-x", tolerations: [{ operator: "Exists" }] });
    const checks = removal(node, [exporter], [makeVolumeAttachment({ nodeName: "worker-2", pv: "pv-redis" })]);
    expect(gate(checks, "recovered").passed).toBe(true);
    expect(refusalsOf(checks, false)).toEqual([]);
  });
});

describe("evaluateGates: force-delete and restore", () => {
  it("force-delete fails with 0 Terminating pods", () => {
    const c = gate(evaluateGates(gateInput({ action: "pods.force-delete", terminatingPods: 0 })), "applicable");
    expect(c).toEqual({ gate: "applicable", passed: false, overridable: false, message: "no pod on this node is Terminating" });
  });

  it("force-delete passes with Terminating pods", () => {
    const c = gate(evaluateGates(gateInput({ action: "pods.force-delete", terminatingPods: 3 })), "applicable");
    expect(c.passed).toBe(true);
    expect(c.message).toBe("3 Terminating pods to force-delete");
  });

  it("restore fails without a backup", () => {
    const c = gate(evaluateGates(gateInput({ action: "node.restore", restorableBackup: false })), "applicable");
    expect(c).toEqual({ gate: "applicable", passed: false, overridable: false, message: "no backup to restore for this node" });
  });

  it("restore passes with a backup, on a Ready node", () => {
    const node = health({ state: "Ready" });
    const c = gate(evaluateGates(gateInput({ action: "node.restore", node, restorableBackup: true })), "applicable");
    expect(c.passed).toBe(true);
    expect(c.message).toBe("a backup from before node-rescue deleted this node is waiting");
  });
});

describe("refusalsOf", () => {
  const everythingWrong = () => {
    const node = health({ name: "w1", state: "Unknown", deadForMs: MINUTE });
    return evaluateGates(
      gateInput({
        action: "node.out-of-service.apply",
        node,
        nodes: [node, health({ name: "w2", state: "Unknown" }), ...readyWorkers(2)],
        connected: false,
        labels: { "node-rescue.dev/exclude": "true" },
        reconnects: [ago(MINUTE)],
        serverVersion: "v1.20.2",
      }),
    );
  };

  it("returns every failed check without override", () => {
    expect(refusalsOf(everythingWrong(), false).map((c) => c.gate)).toEqual([
      "connection",
      "excluded",
      "dead-long-enough",
      "storm",
      "flapping",
      "supported",
    ]);
  });

  it("drops only the overridable (storm, flapping) checks with override", () => {
    expect(refusalsOf(everythingWrong(), true).map((c) => c.gate)).toEqual(["connection", "excluded", "dead-long-enough", "supported"]);
  });

  it("marks only storm and flapping as overridable", () => {
    expect(
      everythingWrong()
        .filter((c) => c.overridable)
        .map((c) => c.gate),
    ).toEqual(["storm", "flapping"]);
  });

  it("override clears a storm-only refusal", () => {
    const nodes = [health({ name: "w1", state: "Unknown" }), health({ name: "w2", state: "Unknown" }), ...readyWorkers(8)];
    const checks = evaluateGates(gateInput({ node: nodes[0], nodes }));
    expect(refusalsOf(checks, false).map((c) => c.gate)).toEqual(["storm"]);
    expect(refusalsOf(checks, true)).toEqual([]);
  });

  it("never returns passed checks", () => {
    const checks: TGateCheck[] = [
      { gate: "connection", passed: true, overridable: false, message: "ok" },
      { gate: "storm", passed: true, overridable: true, message: "ok" },
    ];
    expect(refusalsOf(checks, false)).toEqual([]);
    expect(refusalsOf(checks, true)).toEqual([]);
  });

  it("keeps the failed check objects as they are", () => {
    const failed: TGateCheck = { gate: "excluded", passed: false, overridable: false, message: "x" };
    expect(refusalsOf([failed], true)[0]).toBe(failed);
  });
});
