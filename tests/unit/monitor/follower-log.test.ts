import { describe, expect, it } from "vitest";
import { createFollowerLog, type TObserved } from "@/lib/monitor/follower-log";
import type { TLastState } from "@/lib/transitions/types";

const at = (s: number) => new Date(Date.UTC(2026, 11, 4, 1, 0, s));
const seen = (node: string, to: TObserved["input"]["to"], s: number): TObserved => ({
  input: { node, nodeUid: `uid-${node}`, to, reason: "", observedAt: at(s) },
  facts: null,
});
const last = (state: TLastState["state"], s: number): TLastState => ({ state, seq: 1, observedAt: at(s), nodeUid: "uid" });

describe("createFollowerLog", () => {
  it("diffs from the recorded states and moves its copy with what it observes", () => {
    const log = createFollowerLog();
    log.reset(new Map([["w1", last("Ready", 0)]]));
    expect(log.states().get("w1")?.state).toBe("Ready");
    log.observe([seen("w1", "HeartbeatLate", 10)], at(10));
    expect(log.states().get("w1")).toEqual({ state: "HeartbeatLate", nodeUid: "uid-w1" });
    expect(log.size()).toBe(1);
  });

  it("on takeover, gives back what is newer than each node's last recorded row, in order", () => {
    const log = createFollowerLog();
    log.reset(new Map());
    log.observe([seen("w1", "HeartbeatLate", 10), seen("w2", "HeartbeatLate", 11)], at(11));
    log.observe([seen("w1", "Unknown", 50)], at(50));
    // The old leader recorded w1's late heartbeat (at 10.3 by its clock) and died; w2's never.
    const recorded = new Map([["w1", { ...last("HeartbeatLate", 10), observedAt: new Date(at(10).getTime() + 300) }]]);
    expect(log.unrecorded(recorded).map((o) => `${o.input.node}:${o.input.to}`)).toEqual(["w2:HeartbeatLate", "w1:Unknown"]);
  });

  it("forgets what is older than its retention, and keeps at most its maximum", () => {
    const log = createFollowerLog({ retainMs: 30_000, max: 2 });
    log.reset(new Map());
    log.observe([seen("a", "HeartbeatLate", 0)], at(0));
    log.observe([seen("b", "HeartbeatLate", 40)], at(40));
    expect(log.unrecorded(new Map()).map((o) => o.input.node)).toEqual(["b"]);
    log.observe([seen("c", "Unknown", 41), seen("d", "Unknown", 42)], at(42));
    expect(log.unrecorded(new Map()).map((o) => o.input.node)).toEqual(["c", "d"]);
    log.clear();
    expect(log.size()).toBe(0);
  });
});
