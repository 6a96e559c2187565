// What the anonymous refusal buckets add up to, per source address, over a time range: for the
// audit page's one line and for scripts watching for probes. Newest sources first.
import type { TDb } from "@/lib/db";

export type TAnonymousSource = {
  sourceIp: string;
  count: number;
  actions: string[];
  firstAt: string;
  lastAt: string;
  userAgent: string | null;
};

export async function summarizeAnonymousRefusals(opts: { db: TDb; cluster: string; from: Date; to: Date; limit?: number }) {
  const rows = await opts.db.anonymousRefusal.findMany({
    where: { cluster: opts.cluster, minute: { gte: new Date(Math.floor(opts.from.getTime() / 60_000) * 60_000), lte: opts.to } },
    orderBy: { lastAt: "desc" },
  });
  const bySource = new Map<string, TAnonymousSource>();
  for (const r of rows) {
    const s = bySource.get(r.sourceIp);
    if (!s) {
      bySource.set(r.sourceIp, {
        sourceIp: r.sourceIp,
        count: r.count,
        actions: [r.action],
        firstAt: r.firstAt.toISOString(),
        lastAt: r.lastAt.toISOString(),
        userAgent: r.userAgent,
      });
      continue;
    }
    s.count += r.count;
    if (!s.actions.includes(r.action)) s.actions.push(r.action);
    if (r.firstAt.toISOString() < s.firstAt) s.firstAt = r.firstAt.toISOString();
  }
  const sources = [...bySource.values()];
  return {
    from: opts.from.toISOString(),
    to: opts.to.toISOString(),
    total: sources.reduce((n, s) => n + s.count, 0),
    sources: sources.slice(0, opts.limit ?? 100),
    sourceCount: sources.length,
  };
}
