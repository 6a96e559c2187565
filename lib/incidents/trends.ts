// Incident trends, aggregated from a few columns per incident: pure (no clock, no I/O).
// lib/incidents/load-trends.ts reads the rows; GET /api/incidents/trends serves the result.

const WEEK_MS = 7 * 24 * 3_600_000;

/** Linear-interpolation quantile (numpy's default) of numbers sorted ascending; null when empty. */
export function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const pos = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(pos);
  const a = sorted[lo] as number;
  const b = sorted[Math.min(lo + 1, sorted.length - 1)] as number;
  return a + (b - a) * (pos - lo);
}
export const median = (sorted: readonly number[]) => quantile(sorted, 0.5);
export const p90 = (sorted: readonly number[]) => quantile(sorted, 0.9);

/** Monday 00:00 UTC of the week holding `at` (ISO weeks start on Monday). */
export function weekStart(at: Date): Date {
  const day = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  const sinceMonday = (day.getUTCDay() + 6) % 7;
  return new Date(day.getTime() - sinceMonday * 24 * 3_600_000);
}

/** The first instant counted: Monday of the week `weeks - 1` weeks before `now`'s. */
export const trendsSince = (now: Date, weeks: number) => new Date(weekStart(now).getTime() - (weeks - 1) * WEEK_MS);

/** What the trends need of one incident (load-trends.ts reads just these columns). */
export type TTrendIncident = {
  id: number;
  openedAt: Date;
  /** Every affected workload whole again; only for incidents that took a workload down. */
  recoveredAt: Date | null;
  /** A node was confirmed dead (NotReady/Unknown): false for a suspicion. */
  confirmed: boolean;
  closed: boolean;
};

export function buildTrends(opts: {
  incidents: readonly TTrendIncident[];
  nodes: readonly { node: string; incidents: number }[];
  workloads: readonly { kind: string; namespace: string; name: string; incidents: number }[];
  weeks: number;
  now: Date;
}) {
  const since = trendsSince(opts.now, opts.weeks);
  const perWeek = Array.from({ length: opts.weeks }, (_, i) => ({
    weekStart: new Date(since.getTime() + i * WEEK_MS).toISOString(),
    incidents: 0,
    suspicions: 0,
    open: 0,
  }));
  const recover: { id: number; openedAt: string; timeToRecoverMs: number }[] = [];
  for (const i of opts.incidents) {
    const bucket = perWeek[Math.floor((i.openedAt.getTime() - since.getTime()) / WEEK_MS)];
    if (!bucket) continue;
    if (!i.confirmed && i.closed) bucket.suspicions += 1;
    else bucket.incidents += 1;
    if (!i.closed) bucket.open += 1;
    if (i.recoveredAt)
      recover.push({ id: i.id, openedAt: i.openedAt.toISOString(), timeToRecoverMs: i.recoveredAt.getTime() - i.openedAt.getTime() });
  }
  recover.sort((a, b) => Date.parse(a.openedAt) - Date.parse(b.openedAt) || a.id - b.id);
  const sorted = recover.map((r) => r.timeToRecoverMs).sort((a, b) => a - b);
  return {
    weeks: opts.weeks,
    from: since.toISOString(),
    to: opts.now.toISOString(),
    /** Incidents (a node confirmed dead, or still open) and closed suspicions (heartbeat blips) per week. */
    perWeek,
    /** Time to recover of each incident that took a workload down and recovered, oldest first. */
    timeToRecover: {
      points: recover,
      medianMs: median(sorted),
      p90Ms: p90(sorted),
    },
    mostAffectedNodes: opts.nodes,
    mostAffectedWorkloads: opts.workloads.map((w) => ({ ...w, key: `${w.kind}/${w.namespace}/${w.name}` })),
  };
}
export type TIncidentTrends = ReturnType<typeof buildTrends>;
