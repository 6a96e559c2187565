import { describe, expect, it } from "vitest";
import type { TNodeState } from "@/lib/health/states";
import { planNodeChanges, REGISTERING_MS, sharedLabels, type TNodeFacts, type TOpenIncident } from "@/lib/incidents/plan-node-changes";
import type { TStoredTransition } from "@/lib/transitions/types";

const t0 = new Date("2026-12-01T10:00:00Z");
const at = (s: number) => new Date(t0.getTime() + s * 1000);
let nextId = 1;
const row = (node: string, fromState: TNodeState | null, toState: TNodeState, s: number): TStoredTransition => ({
  id: nextId++,
  cluster: "c",
  node,
  nodeUid: `uid-${node}`,
  seq: 1,
  fromState,
  toState,
  reason: "",
  observedAt: at(s),
  apiTransitionTime: null,
  createdAt: at(s),
});
const oldNode: TNodeFacts = { labels: { rack: "r1" }, lastHeartbeatAt: at(-20), createdAt: at(-86_400) };
const plan = (rows: TStoredTransition[], open: TOpenIncident[] = [], facts: (n: string) => TNodeFacts | null = () => oldNode) =>
  planNodeChanges({ open, rows, windowMs: 120_000, factsOf: facts });

describe("planNodeChanges", () => {
  it("opens one incident at a late heartbeat and confirms it at Unknown, with one event each", () => {
    const p = plan([row("w1", "Ready", "HeartbeatLate", 0), row("w1", "HeartbeatLate", "Unknown", 30)]);
    expect(p.opened).toHaveLength(1);
    const incident = p.opened[0]!;
    expect(incident.openedAt).toEqual(at(0));
    expect(incident.confirmedAt).toEqual(at(30));
    expect(incident.members.get("w1")).toMatchObject({
      state: "Unknown",
      firstSignAt: at(0),
      confirmedAt: at(30),
      lastHeartbeatAt: at(-20),
    });
    expect(p.events.map((e) => [e.event.type, e.event.dedupKey])).toEqual([
      ["incident.opened", "opened"],
      ["node.dead", expect.stringMatching(/^dead:\d+$/)],
    ]);
  });

  it("correlates nodes that go unhealthy within the window into one incident; later ones open another", () => {
    const p = plan([row("w1", "Ready", "HeartbeatLate", 0), row("w2", "Ready", "NotReady", 60), row("w3", "Ready", "HeartbeatLate", 121)]);
    expect(p.opened.map((i) => [...i.members.keys()])).toEqual([["w1", "w2"], ["w3"]]);
    // One node.dead event per incident and batch, listing the nodes.
    expect(p.events.filter((e) => e.event.type === "node.dead").map((e) => e.event.payload)).toEqual([{ nodes: ["w2"] }]);
  });

  it("updates an existing member: Deleted sets deletedAt, Ready sets backAt and a relapse clears it", () => {
    const open: TOpenIncident = {
      id: 7,
      openedAt: at(0),
      confirmedAt: at(30),
      members: new Map([
        [
          "w1",
          {
            node: "w1",
            nodeUid: "u",
            state: "Unknown",
            firstSignAt: at(0),
            lastHeartbeatAt: null,
            confirmedAt: at(30),
            remediatedAt: null,
            deletedAt: null,
            backAt: null,
            labels: {},
            transitionId: 1,
          },
        ],
      ]),
    };
    const deleted = plan([row("w1", "Unknown", "Deleted", 60)], [open]);
    expect(deleted.opened).toEqual([]);
    expect(deleted.touched.get(7)?.incident.members.get("w1")).toMatchObject({ state: "Deleted", deletedAt: at(60), backAt: null });
    const back = plan([row("w1", "Unknown", "Ready", 60), row("w1", "Ready", "HeartbeatLate", 70)], [open]);
    expect(back.touched.get(7)?.incident.members.get("w1")).toMatchObject({ state: "HeartbeatLate", backAt: null });
    // The input incident is not mutated: the plan works on copies.
    expect(open.members.get("w1")?.state).toBe("Unknown");
  });

  it("a node still registering is not a death; a re-registered node returning to Ready is noted", () => {
    const young: TNodeFacts = { labels: {}, lastHeartbeatAt: null, createdAt: at(-10) };
    expect(plan([row("new", null, "NotReady", 0)], [], () => young).opened).toEqual([]);
    expect(plan([row("new", "Deleted", "NotReady", 0)], [], () => young).opened).toEqual([]);
    const old: TNodeFacts = { ...young, createdAt: at(-REGISTERING_MS / 1000 - 1) };
    expect(plan([row("old", null, "NotReady", 0)], [], () => old).opened).toHaveLength(1);
    expect(plan([row("w1", "Deleted", "Ready", 0)]).returned).toEqual([{ node: "w1", at: at(0) }]);
    // Re-registered NotReady first, Ready a moment later: the Ready is the return.
    expect(plan([row("w1", "Deleted", "NotReady", 0), row("w1", "NotReady", "Ready", 2)], [], () => young).returned).toEqual([
      { node: "w1", at: at(2) },
    ]);
    expect(plan([row("w1", "Ready", "Deleted", 0)]).opened).toEqual([]);
  });
});

describe("sharedLabels", () => {
  it("keeps what every node has in common, without the hostname; one node keeps only its topology", () => {
    expect(
      sharedLabels([
        { labels: { rack: "r1", "topology.kubernetes.io/zone": "a", "kubernetes.io/hostname": "w1", gpu: "yes" } },
        { labels: { rack: "r1", "topology.kubernetes.io/zone": "a", "kubernetes.io/hostname": "w2" } },
      ]),
    ).toEqual({ rack: "r1", "topology.kubernetes.io/zone": "a" });
    expect(sharedLabels([{ labels: { rack: "r1", "topology.kubernetes.io/zone": "a" } }])).toEqual({ "topology.kubernetes.io/zone": "a" });
    expect(sharedLabels([])).toEqual({});
  });
});
