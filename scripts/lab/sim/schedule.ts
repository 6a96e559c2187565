// Heartbeat timing. Every node renews on a fixed grid (origin + phase + k·interval), with the
// phases spread evenly over the interval, so the apiserver sees a steady stream of renewals
// instead of one burst per interval, and lag is measured against a well-defined schedule.

/** Phase of node `index` out of `count` within an interval. */
export const phaseMs = (index: number, count: number, intervalMs: number) => (count <= 0 ? 0 : Math.floor((index / count) * intervalMs));

/** First grid slot strictly after `nowMs` (skipping slots missed while late or stopped). */
export function nextSlot(slotMs: number, intervalMs: number, nowMs: number): number {
  if (slotMs > nowMs) return slotMs;
  const missed = Math.floor((nowMs - slotMs) / intervalMs) + 1;
  return slotMs + missed * intervalMs;
}
