import { describe, expect, it } from "vitest";
import { diffStates, shouldRecord, type TRecordedState } from "@/lib/health";
import type { TLastState } from "@/lib/transitions/types";
import { ago, deadNode, iso, MINUTE, NOW, nodeHealth } from "./fixtures";

const recorded = (entries: [string, TRecordedState["state"], string?][]) =>
  new Map(entries.map(([name, state, uid]) => [name, { state, nodeUid: uid ?? `uid-${name}` }]));

describe("shouldRecord", () => {
  it("records a changed state and a first sighting, never an identical state", () => {
    expect(shouldRecord({ previous: { state: "Ready", nodeUid: "u" }, current: "Ready" })).toBe(false);
    expect(shouldRecord({ previous: { state: "Ready", nodeUid: "u" }, current: "Unknown" })).toBe(true);
    expect(shouldRecord({ previous: undefined, current: "Ready" })).toBe(true);
  });

  it("ignores a uid change alone", () => {
    expect(shouldRecord({ previous: { state: "Ready", nodeUid: "old" }, current: "Ready" })).toBe(false);
  });
});

describe("diffStates", () => {
  it("produces nothing when nothing changed", () => {
    const current = [nodeHealth({ name: "a" }), deadNode({ name: "b" })];
    expect(
      diffStates({
        previous: recorded([
          ["a", "Ready"],
          ["b", "Unknown"],
        ]),
        current,
        now: NOW,
      }),
    ).toEqual([]);
  });

  it("produces no duplicate when evaluated again after recording", () => {
    const current = [deadNode({ name: "a" })];
    const first = diffStates({ previous: recorded([["a", "Ready"]]), current, now: NOW });
    expect(first).toHaveLength(1);
    // What the recorder keeps of the row it wrote: its state and uid.
    const afterRecording = new Map(first.map((t) => [t.node, { state: t.to, nodeUid: t.uid }]));
    expect(diffStates({ previous: afterRecording, current, now: NOW })).toEqual([]);
  });

  it("records a node going Unknown with the API's transition time and reason", () => {
    const transitions = diffStates({
      previous: recorded([["a", "Ready"]]),
      current: [deadNode({ name: "a", minutes: 2 })],
      now: NOW,
    });
    expect(transitions).toEqual([
      {
        node: "a",
        uid: "uid-a",
        from: "Ready",
        to: "Unknown",
        reason: "NodeStatusUnknown",
        observedAt: iso(NOW),
        apiTransitionTime: iso(ago(2 * MINUTE)),
      },
    ]);
  });

  it("records HeartbeatLate with a lease reason and no API transition time", () => {
    const late = nodeHealth({ name: "a", leaseRenewedAgoMs: 25_400 });
    const [transition] = diffStates({ previous: recorded([["a", "Ready"]]), current: [late], now: NOW });
    expect(transition).toMatchObject({ from: "Ready", to: "HeartbeatLate", apiTransitionTime: null });
    expect(transition?.reason).toBe("Lease not renewed for 25s (late after 20s)");
  });

  it("records the recovery from HeartbeatLate without an API transition time", () => {
    const [transition] = diffStates({
      previous: recorded([["a", "HeartbeatLate"]]),
      current: [nodeHealth({ name: "a" })],
      now: NOW,
    });
    expect(transition).toMatchObject({
      from: "HeartbeatLate",
      to: "Ready",
      reason: "KubeletReady",
      apiTransitionTime: null,
    });
  });

  it("records HeartbeatLate → NotReady with the API's transition time", () => {
    const since = ago(5_000);
    const node = nodeHealth({ name: "a", ready: "False", readySince: since });
    const [transition] = diffStates({ previous: recorded([["a", "HeartbeatLate"]]), current: [node], now: NOW });
    expect(transition).toMatchObject({
      from: "HeartbeatLate",
      to: "NotReady",
      reason: "KubeletNotReady",
      apiTransitionTime: iso(since),
    });
  });

  it("records a recovery to Ready with the readySince time", () => {
    const since = ago(3_000);
    const [transition] = diffStates({
      previous: recorded([["a", "Unknown"]]),
      current: [nodeHealth({ name: "a", readySince: since })],
      now: NOW,
    });
    expect(transition).toMatchObject({ from: "Unknown", to: "Ready", apiTransitionTime: iso(since) });
  });

  it("records a new node from null", () => {
    const [transition] = diffStates({
      previous: new Map(),
      current: [nodeHealth({ name: "new", uid: "u-new" })],
      now: NOW,
    });
    expect(transition).toMatchObject({
      node: "new",
      uid: "u-new",
      from: null,
      to: "Ready",
      apiTransitionTime: iso(ago(10 * MINUTE)),
    });
  });

  it("records a node without Ready condition with null times", () => {
    const [transition] = diffStates({
      previous: new Map(),
      current: [nodeHealth({ name: "x", ready: null })],
      now: NOW,
    });
    expect(transition).toMatchObject({ from: null, to: "Unknown", reason: null, apiTransitionTime: null });
  });

  it("records a disappeared node as Deleted with its last uid", () => {
    const transitions = diffStates({ previous: recorded([["gone", "Unknown", "u-gone"]]), current: [], now: NOW });
    expect(transitions).toEqual([
      {
        node: "gone",
        uid: "u-gone",
        from: "Unknown",
        to: "Deleted",
        reason: "Node object deleted",
        observedAt: iso(NOW),
        apiTransitionTime: null,
      },
    ]);
  });

  it("takes the recorder's last states as they are: a deleted node keeps the uid of its last row", () => {
    const last = new Map<string, TLastState>([["gone", { state: "Unknown", seq: 4, observedAt: NOW, nodeUid: "u-gone" }]]);
    const [deleted] = diffStates({ previous: last, current: [], now: NOW });
    expect(deleted).toMatchObject({ node: "gone", from: "Unknown", to: "Deleted", uid: "u-gone" });
  });

  it("records a deletion only once", () => {
    expect(diffStates({ previous: recorded([["gone", "Deleted"]]), current: [], now: NOW })).toEqual([]);
  });

  it("records a node re-created after deletion", () => {
    const [transition] = diffStates({
      previous: recorded([["a", "Deleted", "old"]]),
      current: [nodeHealth({ name: "a", uid: "new" })],
      now: NOW,
    });
    expect(transition).toMatchObject({ from: "Deleted", to: "Ready", uid: "new" });
    expect(transition?.apiTransitionTime).not.toBeNull();
  });

  it("records several changes sorted by node name, deterministically", () => {
    const previous = recorded([
      ["c", "Ready"],
      ["a", "Ready"],
      ["gone", "Ready"],
      ["same", "Ready"],
    ]);
    const current = [
      deadNode({ name: "c" }),
      nodeHealth({ name: "same" }),
      nodeHealth({ name: "b" }),
      nodeHealth({ name: "a", ready: "False" }),
    ];
    const transitions = diffStates({ previous, current, now: NOW });
    expect(transitions.map((t) => `${t.node}:${t.from}->${t.to}`)).toEqual([
      "a:Ready->NotReady",
      "b:null->Ready",
      "c:Ready->Unknown",
      "gone:Ready->Deleted",
    ]);
    expect(diffStates({ previous, current: [...current].reverse(), now: NOW })).toEqual(transitions);
  });
});
