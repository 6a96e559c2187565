// The rows behind the trends: one narrow read of the incidents in the window (index
// cluster+openedAt; two dates and two flags a row, in plain SQL that runs unchanged on
// PostgreSQL — Prisma's findMany of the same rows took about 3 times as long at 10,000 incidents) and
// two grouped counts for the most-affected nodes and workloads. Aggregation is pure (trends.ts).
import { Prisma } from "@/generated/prisma/client";
import type { TDb } from "@/lib/db";
import { buildTrends, type TIncidentTrends, type TTrendIncident, trendsSince } from "./trends";

/** How many nodes and workloads the "most affected" lists show. */
export const TOP_AFFECTED = 10;

type TRawRow = {
  id: number | bigint;
  openedAt: Date | string;
  recoveredAt: Date | string | null;
  confirmed: number | bigint;
  closed: number | bigint;
};

// Raw rows: SQLite hands back integers as bigint or number, dates as Date or stored text (a
// CASE expression loses the column's type). Converted by hand: a schema parse per row cost as
// much as the query at 10,000 rows.
const asDate = (v: Date | string) => (v instanceof Date ? v : new Date(v));
const toTrendIncident = (r: TRawRow): TTrendIncident => ({
  id: Number(r.id),
  openedAt: asDate(r.openedAt),
  recoveredAt: r.recoveredAt === null ? null : asDate(r.recoveredAt),
  confirmed: Number(r.confirmed) === 1,
  closed: Number(r.closed) === 1,
});

export async function loadTrends(db: TDb, cluster: string, weeks: number, now = new Date()): Promise<TIncidentTrends> {
  const since = trendsSince(now, weeks);
  const rows = await db.$queryRaw<TRawRow[]>(Prisma.sql`
    SELECT "id", "openedAt",
      CASE WHEN "workloadsHit" > 0 THEN "recoveredAt" ELSE NULL END AS "recoveredAt",
      CASE WHEN "confirmedAt" IS NULL THEN 0 ELSE 1 END AS "confirmed",
      CASE WHEN "closedAt" IS NULL THEN 0 ELSE 1 END AS "closed"
    FROM "Incident"
    WHERE "cluster" = ${cluster} AND "openedAt" >= ${since}`);
  // Only incidents a node was confirmed dead in count (suspicions are heartbeat blips).
  const nodes = await db.incidentNode.groupBy({
    by: ["node"],
    where: { cluster, firstSignAt: { gte: since }, confirmedAt: { not: null } },
    _count: { _all: true },
    orderBy: [{ _count: { node: "desc" } }, { node: "asc" }],
    take: TOP_AFFECTED,
  });
  // Workloads that lost ready replicas (degraded or down), not every one that merely ran there.
  const workloads = await db.incidentWorkload.groupBy({
    by: ["kind", "namespace", "name"],
    where: { cluster, affectedAt: { gte: since }, firstDegradedAt: { not: null } },
    _count: { _all: true },
    orderBy: [{ _count: { name: "desc" } }, { namespace: "asc" }, { name: "asc" }],
    take: TOP_AFFECTED,
  });
  return buildTrends({
    incidents: rows.map(toTrendIncident),
    nodes: nodes.map((n) => ({ node: n.node, incidents: n._count._all })),
    workloads: workloads.map((w) => ({ kind: w.kind, namespace: w.namespace, name: w.name, incidents: w._count._all })),
    weeks,
    now,
  });
}
