// Joins the audit log to the incidents: every outcome that reached Kubernetes (succeeded or
// failed) on a member node while its incident was open becomes an IncidentAction, once (the
// primary key), with an action.taken event. Run after each audit write, every few seconds, and
// before an incident closes, so an action that arrived at another process is not missed.
import { z } from "zod";
import { Prisma } from "@/generated/prisma/client";
import { insertIncidentEvents } from "./insert-events";
import { REMEDIATING_ACTIONS } from "./types";

const ZAuditRow = z.object({
  incidentId: z.coerce.number().int(),
  auditEventId: z.coerce.number().int(),
  actionId: z.string(),
  action: z.string(),
  node: z.string(),
  outcome: z.string(),
  actorKind: z.string(),
  actorName: z.string(),
  actorRole: z.string().nullable(),
  reason: z.string().nullable(),
  message: z.string().nullable(),
  at: z.coerce.date(),
});

/** Links new actions of the open incidents (or of `incidentIds`, open or not); returns how many. */
export async function linkActions(tx: Prisma.TransactionClient, cluster: string, incidentIds?: readonly number[]): Promise<number> {
  const which = incidentIds
    ? Prisma.sql`i."id" IN (${Prisma.join(incidentIds.length ? incidentIds : [-1])})`
    : Prisma.sql`i."closedAt" IS NULL`;
  const raw = await tx.$queryRaw<unknown[]>(Prisma.sql`
    SELECT i."id" AS "incidentId", a."id" AS "auditEventId", a."actionId", a."action", a."target" AS "node", a."outcome",
      a."actorKind", a."actorName", a."actorRole", a."reason", a."message", a."at"
    FROM "Incident" i
    JOIN "IncidentNode" m ON m."incidentId" = i."id"
    JOIN "AuditEvent" a ON a."cluster" = i."cluster" AND a."target" = m."node"
    WHERE i."cluster" = ${cluster} AND ${which}
      AND a."phase" = 'outcome' AND a."outcome" IN ('succeeded', 'failed') AND a."targetKind" = 'Node'
      AND a."at" >= i."openedAt" AND (i."closedAt" IS NULL OR a."at" <= i."closedAt")
      AND NOT EXISTS (SELECT 1 FROM "IncidentAction" x WHERE x."incidentId" = i."id" AND x."auditEventId" = a."id")
    ORDER BY a."id"
  `);
  if (raw.length === 0) return 0;
  const rows = raw.map((r) => ZAuditRow.parse(r));
  for (const r of rows) {
    await tx.incidentAction.create({
      data: {
        incidentId: r.incidentId,
        auditEventId: r.auditEventId,
        actionId: r.actionId,
        action: r.action,
        node: r.node,
        outcome: r.outcome,
        actorKind: r.actorKind,
        actorName: r.actorName,
        actorRole: r.actorRole,
        reason: r.reason,
        at: r.at,
      },
    });
    const remediates = r.outcome === "succeeded" && REMEDIATING_ACTIONS.has(r.action);
    const incident = await tx.incident.findUniqueOrThrow({ where: { id: r.incidentId } });
    await tx.incident.update({
      where: { id: r.incidentId },
      data: {
        actionCount: { increment: 1 },
        firstActionAt: incident.firstActionAt && incident.firstActionAt <= r.at ? incident.firstActionAt : r.at,
        ...(remediates && !(incident.remediatedAt && incident.remediatedAt <= r.at) ? { remediatedAt: r.at } : {}),
      },
    });
    if (remediates) {
      await tx.incidentNode.updateMany({
        where: { incidentId: r.incidentId, node: r.node, remediatedAt: null },
        data: { remediatedAt: r.at },
      });
    }
    await insertIncidentEvents(tx, cluster, [
      {
        incidentId: r.incidentId,
        event: {
          type: "action.taken",
          at: r.at,
          dedupKey: `action:${r.auditEventId}`,
          payload: {
            action: r.action,
            node: r.node,
            outcome: r.outcome,
            actor: { kind: r.actorKind, name: r.actorName, role: r.actorRole },
            reason: r.reason,
            message: r.message,
            auditEventId: r.auditEventId,
          },
        },
      },
    ]);
  }
  return rows.length;
}
