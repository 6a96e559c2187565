// What a follower saw. While another replica leads and records, this one diffs the same
// evaluations against its own copy of the recorded states and keeps the transitions it saw (with
// the node's facts at that moment). When it takes over, it records those newer than what the
// database holds for their node — the changes the old leader did not live to record — so none is
// lost in the gap; the recorder drops any it did record (same state), so none is written twice.
// Pure: the monitor feeds it and asks.
import type { TRecordedState } from "@/lib/health/transitions";
import type { TNodeFacts } from "@/lib/incidents/plan-node-changes";
import type { TLastState, TTransitionInput } from "@/lib/transitions/types";

export type TObserved = { input: TTransitionInput; facts: TNodeFacts | null };

/** A takeover comes within a Lease duration of the leader's death: this much history is plenty. */
export const FOLLOWER_RETAIN_MS = 10 * 60_000;
export const FOLLOWER_MAX_ENTRIES = 100_000;

export function createFollowerLog(limits = { retainMs: FOLLOWER_RETAIN_MS, max: FOLLOWER_MAX_ENTRIES }) {
  let shadow = new Map<string, TRecordedState>();
  let entries: TObserved[] = [];

  const prune = (now: number) => {
    const cutoff = now - limits.retainMs;
    let drop = 0;
    while (drop < entries.length && (entries[drop]?.input.observedAt.getTime() ?? 0) < cutoff) drop++;
    drop = Math.max(drop, entries.length - limits.max);
    if (drop > 0) entries = entries.slice(drop);
  };

  return {
    /** Starts over from the recorded states (at start, and when this replica stops leading). */
    reset(recorded: ReadonlyMap<string, TRecordedState>) {
      shadow = new Map([...recorded].map(([node, s]) => [node, { state: s.state, nodeUid: s.nodeUid }]));
      entries = [];
    },
    /** The states this follower believes are recorded (what its diff runs against). */
    states: (): ReadonlyMap<string, TRecordedState> => shadow,
    observe(observed: readonly TObserved[], now: Date) {
      for (const o of observed) {
        shadow.set(o.input.node, { state: o.input.to, nodeUid: o.input.nodeUid });
        entries.push(o);
      }
      prune(now.getTime());
    },
    /** Observed transitions later than each node's last recorded one, oldest first. */
    unrecorded(recorded: ReadonlyMap<string, TLastState>): TObserved[] {
      return entries.filter((o) => {
        const last = recorded.get(o.input.node);
        return !last || o.input.observedAt.getTime() > last.observedAt.getTime();
      });
    },
    size: () => entries.length,
    clear() {
      entries = [];
    },
  };
}

export type TFollowerLog = ReturnType<typeof createFollowerLog>;
