// A node's health over a window as coloured spans, from its recorded transitions: pure (no clock,
// no I/O). GET /api/nodes/<name>/history serves it; the node page draws the strip.
import type { TNodeState } from "@/lib/health/states";

export const HISTORY_WINDOWS = { "24h": 24 * 3_600_000, "7d": 7 * 24 * 3_600_000 } as const;
export type THistoryWindow = keyof typeof HISTORY_WINDOWS;

export type THealthChange = { state: TNodeState; at: Date };
export type THealthSpan = { state: TNodeState; from: string; to: string };

/**
 * Spans covering [from, to]: `before` is the node's last change before `from` (its state when the
 * window opens), `changes` those inside the window, oldest first. Without `before` the strip starts
 * at the first change (nothing was recorded earlier). Consecutive changes to the same state are one
 * span; changes outside the window are clipped away.
 */
export function healthSpans(opts: {
  before: THealthChange | null;
  changes: readonly THealthChange[];
  from: Date;
  to: Date;
}): THealthSpan[] {
  const { before, from, to } = opts;
  const lo = from.getTime();
  const hi = to.getTime();
  if (hi <= lo) return [];
  const points: { state: TNodeState; at: number }[] = [];
  if (before && before.at.getTime() < lo) points.push({ state: before.state, at: lo });
  for (const c of opts.changes) {
    const at = c.at.getTime();
    if (at < lo) {
      // An earlier change given among the window's: it only says what held when the window opened.
      points.length = 0;
      points.push({ state: c.state, at: lo });
      continue;
    }
    if (at >= hi) break;
    const last = points.at(-1);
    if (last?.state === c.state) continue;
    if (last && last.at === at) points.pop();
    if (points.at(-1)?.state === c.state) continue;
    points.push({ state: c.state, at });
  }
  return points.map((p, i) => ({
    state: p.state,
    from: new Date(p.at).toISOString(),
    to: new Date(points[i + 1]?.at ?? hi).toISOString(),
  }));
}

/** Milliseconds per state along `spans`. */
export function timeInStates(spans: readonly THealthSpan[]): Partial<Record<TNodeState, number>> {
  const out: Partial<Record<TNodeState, number>> = {};
  for (const s of spans) out[s.state] = (out[s.state] ?? 0) + Date.parse(s.to) - Date.parse(s.from);
  return out;
}
