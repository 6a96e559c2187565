// A node's recorded health over a window (GET /api/nodes/<name>/history): the last transition
// before the window says how it starts, the ones inside it how it goes on (index
// cluster+node+observedAt). The spans themselves are pure (health-spans.ts).
import type { TDb } from "@/lib/db";
import type { TNodeState } from "@/lib/health/states";
import { HISTORY_WINDOWS, healthSpans, type THistoryWindow, timeInStates } from "./health-spans";

/** A node flapping all week still answers quickly: beyond this many changes the strip ends early. */
export const MAX_HISTORY_CHANGES = 5_000;

export async function loadNodeHistory(db: TDb, opts: { cluster: string; node: string; window: THistoryWindow; now?: Date }) {
  const to = opts.now ?? new Date();
  const from = new Date(to.getTime() - HISTORY_WINDOWS[opts.window]);
  const select = { toState: true, observedAt: true } as const;
  const [before, inside] = await Promise.all([
    db.nodeTransition.findFirst({
      where: { cluster: opts.cluster, node: opts.node, observedAt: { lt: from } },
      orderBy: [{ observedAt: "desc" }, { id: "desc" }],
      select,
    }),
    db.nodeTransition.findMany({
      where: { cluster: opts.cluster, node: opts.node, observedAt: { gte: from, lte: to } },
      orderBy: [{ observedAt: "asc" }, { id: "asc" }],
      select,
      take: MAX_HISTORY_CHANGES + 1,
    }),
  ]);
  const truncated = inside.length > MAX_HISTORY_CHANGES;
  const changes = inside.slice(0, MAX_HISTORY_CHANGES).map((r) => ({ state: r.toState as TNodeState, at: r.observedAt }));
  const end = truncated ? (changes.at(-1)?.at ?? to) : to;
  const spans = healthSpans({
    before: before ? { state: before.toState as TNodeState, at: before.observedAt } : null,
    changes,
    from,
    to: end,
  });
  return {
    node: opts.node,
    window: opts.window,
    from: from.toISOString(),
    to: to.toISOString(),
    /** Nothing recorded for this node before or during the window. */
    empty: spans.length === 0,
    truncated,
    changes: changes.length,
    spans,
    msInState: timeInStates(spans),
  };
}
export type TNodeHistory = Awaited<ReturnType<typeof loadNodeHistory>>;
