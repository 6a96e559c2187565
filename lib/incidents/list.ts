// The incident history for the list page and GET /api/incidents: newest first (by first sign),
// keyset-paged with the shared cursor, filtered on the server.
import { z } from "zod";
import type { Prisma } from "@/generated/prisma/client";
import { encodeCursor, ZCursor } from "@/lib/api/cursor";
import type { TDb } from "@/lib/db";

export const ZListIncidentsOptions = z.object({
  cluster: z.string().min(1),
  node: z.string().min(1).max(253).optional(),
  /** A workload's name (any kind). */
  workload: z.string().min(1).max(253).optional(),
  namespace: z.string().min(1).max(63).optional(),
  status: z.enum(["open", "closed"]).optional(),
  /** First sign at or after / before. */
  from: z.date().optional(),
  to: z.date().optional(),
  actions: z.enum(["with", "without"]).optional(),
  /** Closed suspicions (heartbeat blips that never became a death) are folded away by default. */
  suspicions: z.enum(["include", "exclude", "only"]).default("exclude"),
  cursor: ZCursor.optional(),
  limit: z.number().int().min(1).max(200).default(50),
});
export type TListIncidentsOptions = z.input<typeof ZListIncidentsOptions>;

const ms = (a: Date | null, b: Date | null) => (a && b ? b.getTime() - a.getTime() : null);

export async function listIncidents(options: TListIncidentsOptions & { db: TDb; now?: Date }) {
  const { db, now = new Date(), ...rest } = options;
  const o = ZListIncidentsOptions.parse(rest);
  const and: Prisma.IncidentWhereInput[] = [{ cluster: o.cluster }];
  if (o.node)
    and.push({
      id: { in: await idsWhere(db.incidentNode.findMany({ where: { cluster: o.cluster, node: o.node }, select: { incidentId: true } })) },
    });
  if (o.workload || o.namespace) {
    const rows = await db.incidentWorkload.findMany({
      where: { cluster: o.cluster, ...(o.workload ? { name: o.workload } : {}), ...(o.namespace ? { namespace: o.namespace } : {}) },
      select: { incidentId: true },
    });
    and.push({ id: { in: [...new Set(rows.map((r) => r.incidentId))] } });
  }
  if (o.status) and.push({ closedAt: o.status === "open" ? null : { not: null } });
  if (o.from) and.push({ openedAt: { gte: o.from } });
  if (o.to) and.push({ openedAt: { lt: o.to } });
  if (o.actions) and.push({ actionCount: o.actions === "with" ? { gt: 0 } : 0 });
  if (o.suspicions === "exclude") and.push({ OR: [{ confirmedAt: { not: null } }, { closedAt: null }] });
  if (o.suspicions === "only") and.push({ confirmedAt: null });
  if (o.cursor) {
    const at = new Date(o.cursor.t);
    and.push({ OR: [{ openedAt: { lt: at } }, { openedAt: at, id: { lt: o.cursor.i } }] });
  }
  const rows = await db.incident.findMany({ where: { AND: and }, orderBy: [{ openedAt: "desc" }, { id: "desc" }], take: o.limit + 1 });
  const page = rows.slice(0, o.limit);
  const last = page.at(-1);
  return {
    items: page.map((i) => ({
      id: i.id,
      status: i.closedAt ? ("closed" as const) : ("open" as const),
      suspicion: i.confirmedAt === null,
      nodes: i.nodeNames ? i.nodeNames.split(", ") : [],
      nodeCount: i.nodeCount,
      openedAt: i.openedAt.toISOString(),
      closedAt: i.closedAt?.toISOString() ?? null,
      phases: {
        firstSignAt: i.openedAt.toISOString(),
        confirmedAt: i.confirmedAt?.toISOString() ?? null,
        firstActionAt: i.firstActionAt?.toISOString() ?? null,
        remediatedAt: i.remediatedAt?.toISOString() ?? null,
        recoveredAt: i.recoveredAt?.toISOString() ?? null,
        closedAt: i.closedAt?.toISOString() ?? null,
      },
      figures: {
        durationMs: (i.closedAt ?? now).getTime() - i.openedAt.getTime(),
        timeToActMs: ms(i.confirmedAt, i.firstActionAt),
        timeToRemediateMs: ms(i.openedAt, i.remediatedAt),
        timeToRecoverMs: i.workloadsHit > 0 ? ms(i.openedAt, i.recoveredAt) : null,
        workloadsAffected: i.workloadCount,
        workloadsHit: i.workloadsHit,
        actions: i.actionCount,
      },
    })),
    nextCursor: rows.length > o.limit && last ? encodeCursor(last.openedAt, last.id) : null,
  };
}
export type TIncidentPage = Awaited<ReturnType<typeof listIncidents>>;
export type TIncidentListItem = TIncidentPage["items"][number];

async function idsWhere(rows: Promise<{ incidentId: number }[]>) {
  return [...new Set((await rows).map((r) => r.incidentId))];
}
