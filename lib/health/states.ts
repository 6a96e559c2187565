// The vocabulary of node health.

/** The Ready condition as the API spells it (status True/False/Unknown). */
export const NODE_HEALTH = ["Ready", "NotReady", "Unknown"] as const;
export type THealth = (typeof NODE_HEALTH)[number];

/**
 * The finer state we record a transition for:
 * - Ready: Ready=True and the node Lease is fresh.
 * - HeartbeatLate: Ready is still True but the Lease renewal is overdue. The node controller only
 *   flips Ready after its grace period (40–50 s), so this is the early suspicion.
 * - NotReady: Ready=False (the kubelet itself reports a problem).
 * - Unknown: Ready=Unknown (the node controller lost the kubelet) or no Ready condition at all.
 * - Deleted: the Node object is gone; only the transition recorder produces it.
 */
export const NODE_STATES = ["Ready", "HeartbeatLate", "NotReady", "Unknown", "Deleted"] as const;
export type TNodeState = (typeof NODE_STATES)[number];

/** The API-level health a recorded state belongs to (null for Deleted: no object, no condition). */
export function healthOfState(state: TNodeState): THealth | null {
  if (state === "Deleted") return null;
  if (state === "HeartbeatLate") return "Ready";
  return state;
}
