import { describe, expect, it } from "vitest";
import { diffStates, evaluateNode, settledTransitions, type TRecordedState } from "@/lib/health";
import { ago, makeLease, makeNode, NOW, SECOND } from "./fixtures";

// A node whose Lease is 60 s old (late for a 40 s lease), evaluated 5 s after we (re)connected.
const overdue = () =>
  evaluateNode({
    node: makeNode({ name: "w1", ready: "True" }),
    lease: makeLease({ name: "w1", renewedAgoMs: 60 * SECOND }),
    now: NOW,
    observedSince: ago(5 * SECOND),
  });

describe("settledTransitions", () => {
  it("keeps a stored HeartbeatLate while the heartbeat is still warming up after a reconnect", () => {
    const node = overdue();
    expect(node.heartbeat.warmingUp).toBe(true);
    expect(node.state).toBe("Ready");
    const previous = new Map<string, TRecordedState>([["w1", { state: "HeartbeatLate", nodeUid: node.uid }]]);
    const raw = diffStates({ previous, current: [node], now: NOW });
    expect(raw.map((t) => `${t.from}->${t.to}`)).toEqual(["HeartbeatLate->Ready"]);
    expect(settledTransitions({ transitions: raw, current: [node] })).toEqual([]);
  });

  it("lets the API's own verdicts through during the warm-up", () => {
    const node = evaluateNode({
      node: makeNode({ name: "w1", ready: "Unknown" }),
      lease: makeLease({ name: "w1", renewedAgoMs: 60 * SECOND }),
      now: NOW,
      observedSince: ago(5 * SECOND),
    });
    const previous = new Map<string, TRecordedState>([["w1", { state: "HeartbeatLate", nodeUid: node.uid }]]);
    const settled = settledTransitions({ transitions: diffStates({ previous, current: [node], now: NOW }), current: [node] });
    expect(settled.map((t) => `${t.from}->${t.to}`)).toEqual(["HeartbeatLate->Unknown"]);
  });

  it("records a node seen for the first time even while warming up", () => {
    const node = overdue();
    const settled = settledTransitions({ transitions: diffStates({ previous: new Map(), current: [node], now: NOW }), current: [node] });
    expect(settled.map((t) => `${t.from}->${t.to}`)).toEqual(["null->Ready"]);
  });

  it("passes Ready -> HeartbeatLate once the warm-up is over", () => {
    const node = evaluateNode({
      node: makeNode({ name: "w1", ready: "True" }),
      lease: makeLease({ name: "w1", renewedAgoMs: 60 * SECOND }),
      now: NOW,
      observedSince: ago(120 * SECOND),
    });
    const previous = new Map<string, TRecordedState>([["w1", { state: "Ready", nodeUid: node.uid }]]);
    const settled = settledTransitions({ transitions: diffStates({ previous, current: [node], now: NOW }), current: [node] });
    expect(settled.map((t) => `${t.from}->${t.to}`)).toEqual(["Ready->HeartbeatLate"]);
  });
});
