import { describe, expect, it } from "vitest";
import type { TNodeState } from "@/lib/health/states";
import { type TPolicyInput, ZPolicy } from "@/lib/policies/schema";
import { replayPolicy, type THistoryNode } from "@/lib/repair/replay-history";
import { DEFAULT_SAFETY_SETTINGS } from "@/lib/repair/safety";

const T0 = Date.parse("2026-11-30T10:00:00Z");
const at = (s: number) => new Date(T0 + s * 1000);
const policy = (p: Partial<TPolicyInput> = {}) =>
  ZPolicy.parse({ name: "p", mode: "act", criteria: [{ type: "Ready", status: ["False", "Unknown"], forSeconds: 60 }], ...p });
const node = (name: string, steps: [number, TNodeState][], zone = name): THistoryNode => ({
  node: name,
  labels: { "topology.kubernetes.io/zone": zone },
  annotations: {},
  transitions: steps.map(([s, state]) => ({ state, at: at(s) })),
});
const healthy = (name: string) => node(name, [[-3600, "Ready"]]);
const replay = (p: ReturnType<typeof policy>, nodes: THistoryNode[], incidents = new Map<string, Date[]>()) =>
  replayPolicy(p, { nodes, incidents, from: at(-7200), to: at(7200), settings: DEFAULT_SAFETY_SETTINGS });

describe("replayPolicy", () => {
  it("a node back before forSeconds recovered by itself; one down longer would have been repaired at forSeconds", () => {
    const r = replay(policy(), [
      node("w1", [
        [-3600, "Ready"],
        [0, "Unknown"],
        [30, "Ready"],
      ]),
      node("w2", [
        [-3600, "Ready"],
        [100, "NotReady"],
        [700, "Ready"],
      ]),
      ...["w3", "w4", "w5", "w6", "w7"].map(healthy),
    ]);
    expect(r.selectedNodes).toBe(7);
    expect(r.decisions).toEqual([
      expect.objectContaining({ node: "w1", decision: "recovered", at: at(0).toISOString() }),
      expect.objectContaining({ node: "w2", decision: "act", rule: "criteria", at: at(160).toISOString() }),
    ]);
    expect(r.decisions[0]?.message).toBe("Ready=Unknown for 30 s, then Ready before the policy's 60 s: nothing to do");
    expect(r.decisions[1]?.message).toMatch(
      /^Ready=False for 60 s \(policy: ≥ 60 s\): would have run node\.cordon → pods\.force-delete → node\.out-of-service\.apply; the node was Ready again 540 s later$/,
    );
  });

  it("propose mode proposes; a wholly unhealthy failure domain lowers act to a proposal", () => {
    const down: [number, TNodeState][] = [
      [-3600, "Ready"],
      [0, "Unknown"],
    ];
    const nodes = [node("w1", down), ...["w2", "w3", "w4", "w5", "w6", "w7"].map(healthy)];
    expect(replay(policy({ mode: "propose" }), nodes).decisions[0]).toMatchObject({ decision: "propose", rule: "mode" });
    const rack = [node("w1", down, "r1"), node("w2", down, "r1"), ...["w3", "w4", "w5", "w6", "w7", "w8", "w9"].map(healthy)];
    const d = replay(policy({ maxConcurrent: 2 }), rack).decisions;
    expect(d.map((x) => [x.node, x.decision, x.rule])).toEqual([
      ["w1", "propose", "partition"],
      ["w2", "propose", "partition"],
    ]);
  });

  it("the budget holds back repairs when too few selected nodes are healthy, and says so", () => {
    const down: [number, TNodeState][] = [
      [-3600, "Ready"],
      [0, "Unknown"],
      [900, "Ready"],
    ];
    // Two of the policy's three nodes down; the cluster is big enough for the storm breaker to hold.
    const db = (n: THistoryNode) => ({ ...n, labels: { ...n.labels, pool: "db" } });
    const others = ["w4", "w5", "w6", "w7", "w8", "w9", "w10"].map(healthy);
    const d = replay(policy({ selector: { matchLabels: { pool: "db" } } }), [
      db(node("w1", down)),
      db(node("w2", down)),
      db(healthy("w3")),
      ...others,
    ]).decisions;
    expect(d.map((x) => [x.node, x.decision, x.rule])).toEqual([
      ["w1", "waited", "budget"],
      ["w2", "waited", "budget"],
    ]);
    expect(d[0]?.message).toContain("1 of 3 selected nodes healthy (33 %; the policy needs at least 51 %)");
    expect(d[0]?.message).toContain("would have waited until the node was Ready again 840 s later");
  });

  it("a flapping node is left to a person; a closed window waits; unrecorded conditions are named", () => {
    const down = node("w1", [
      [-3600, "Ready"],
      [0, "Unknown"],
      [900, "Ready"],
    ]);
    const others = ["w2", "w3", "w4", "w5", "w6", "w7"].map(healthy);
    const flapping = replay(policy(), [down, ...others], new Map([["w1", [at(-7000), at(-3000), at(0)]]]));
    expect(flapping.decisions[0]).toMatchObject({ decision: "skipped", rule: "flapping" });
    expect(flapping.decisions[0]?.message).toContain("left to a person");
    // 10:00–10:10 UTC down; the window opens at 10:05: repaired then.
    const windowed = replay(policy({ maintenanceWindows: [{ start: "10:05", end: "11:00", timeZone: "UTC" }] }), [down, ...others]);
    expect(windowed.decisions[0]).toMatchObject({ decision: "act", at: at(300).toISOString() });
    const closed = replay(policy({ maintenanceWindows: [{ start: "12:00", end: "13:00", timeZone: "UTC" }] }), [down, ...others]);
    expect(closed.decisions[0]).toMatchObject({ decision: "waited", rule: "window" });
    const disk = replay(policy({ criteria: [{ type: "DiskPressure", status: ["True"], forSeconds: 60 }] }), [down, ...others]);
    expect(disk.decisions).toEqual([]);
    expect(disk.caveats[0]).toMatch(/^DiskPressure=True: node-rescue records Ready and the heartbeat only/);
  });

  it("the storm breaker trips when many nodes die at once, and then nothing is repaired", () => {
    const down: [number, TNodeState][] = [
      [-3600, "Ready"],
      [0, "Unknown"],
      [900, "Ready"],
    ];
    const r = replay(policy({ minHealthyPercent: 0, maxConcurrent: 10 }), [
      node("w1", down),
      node("w2", down),
      node("w3", down),
      ...["w4", "w5", "w6", "w7"].map(healthy),
    ]);
    expect(r.decisions[0]).toMatchObject({ decision: "waited", rule: "storm-breaker", node: "" });
    expect(r.decisions.slice(1).map((x) => x.rule)).toEqual(["storm-breaker", "storm-breaker", "storm-breaker"]);
  });
});
