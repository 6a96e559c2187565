import type { TNodeHealth } from "./evaluate-node";
import { healthOfState, type TNodeState } from "./states";

/**
 * What the recorder remembers of a node: the state and the node's uid of its last stored row (the
 * recorder's own last states fit as they are, so no caller maps them and loses the uid).
 */
export type TRecordedState = { state: TNodeState; nodeUid: string | null };

export type TTransition = {
  node: string;
  uid: string | null;
  /** null for a node seen for the first time. */
  from: TNodeState | null;
  to: TNodeState;
  reason: string | null;
  /** When we noticed (the evaluation's `now`). */
  observedAt: string;
  /**
   * The Ready condition's lastTransitionTime when the API itself recorded this change (the
   * Ready/NotReady/Unknown health changed); null for our own finer changes (Ready ⇄ HeartbeatLate)
   * and for deletions, where the condition's time would point at an older change.
   */
  apiTransitionTime: string | null;
};

/** Identical state → nothing to record; a uid change alone is not a state change. */
export function shouldRecord(options: { previous: TRecordedState | undefined; current: TNodeState }): boolean {
  return options.previous?.state !== options.current;
}

function reasonOf(node: TNodeHealth): string | null {
  if (node.state !== "HeartbeatLate") return node.readyReason;
  const age = Math.round((node.heartbeat.ageMs ?? 0) / 1000);
  return `Lease not renewed for ${age}s (late after ${Math.round(node.heartbeat.lateAfterMs / 1000)}s)`;
}

/**
 * The transitions between what was recorded and what is seen now, sorted by node name. Nodes
 * missing from `current` become Deleted (once: a node already recorded as Deleted stays silent).
 */
export function diffStates(options: {
  previous: ReadonlyMap<string, TRecordedState>;
  current: readonly TNodeHealth[];
  now: Date;
}): TTransition[] {
  const { previous, current } = options;
  const observedAt = options.now.toISOString();
  const transitions: TTransition[] = [];
  const seen = new Set<string>();

  for (const node of current) {
    seen.add(node.name);
    const before = previous.get(node.name);
    if (!shouldRecord({ previous: before, current: node.state })) continue;
    const from = before?.state ?? null;
    const apiChanged = from === null || healthOfState(from) !== node.health;
    transitions.push({
      node: node.name,
      uid: node.uid,
      from,
      to: node.state,
      reason: reasonOf(node),
      observedAt,
      apiTransitionTime: apiChanged ? (node.notReadySince ?? node.readySince) : null,
    });
  }

  for (const [name, before] of previous) {
    if (seen.has(name) || !shouldRecord({ previous: before, current: "Deleted" })) continue;
    transitions.push({
      node: name,
      uid: before.nodeUid,
      from: before.state,
      to: "Deleted",
      reason: "Node object deleted",
      observedAt,
      apiTransitionTime: null,
    });
  }
  return transitions.sort((a, b) => (a.node < b.node ? -1 : a.node > b.node ? 1 : 0));
}

const LEASE_STATES: ReadonlySet<TNodeState | null> = new Set(["Ready", "HeartbeatLate"]);

/**
 * Drops what we cannot know yet: right after (re)connecting, an overdue Lease is not judged late
 * (`heartbeat.warmingUp`), so such a node evaluates as Ready although it may be late. Recording
 * HeartbeatLate -> Ready for it (and back a few seconds later) would be our blindness, not the
 * node's behaviour: a change between Ready and HeartbeatLate waits until the warm-up is over.
 */
export function settledTransitions(options: { transitions: readonly TTransition[]; current: readonly TNodeHealth[] }): TTransition[] {
  const warming = new Set(options.current.filter((n) => n.heartbeat.warmingUp).map((n) => n.name));
  return options.transitions.filter((t) => !(warming.has(t.node) && t.from !== null && LEASE_STATES.has(t.from) && LEASE_STATES.has(t.to)));
}
