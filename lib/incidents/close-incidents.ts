// Closes the incidents among `ids` whose every node is Ready or gone and whose every affected
// workload is whole (or gone), at `at`: the time of the fact that completed it. Their last actions
// are linked first, so nothing done before the close is left out, and an incident waits while an
// action on one of its nodes is still running (the recorder tries again when its outcome lands).
import { Prisma } from "@/generated/prisma/client";
import { insertIncidentEvents } from "./insert-events";
import { linkActions } from "./link-actions";

export async function closeSettledIncidents(tx: Prisma.TransactionClient, cluster: string, ids: readonly number[], at: Date) {
  const closed: number[] = [];
  for (const id of ids) {
    const incident = await tx.incident.findUnique({ where: { id } });
    if (!incident || incident.closedAt) continue;
    const [unsettledNodes, unsettledWorkloads] = await Promise.all([
      tx.incidentNode.count({ where: { incidentId: id, state: { notIn: ["Ready", "Deleted"] } } }),
      tx.incidentWorkload.count({ where: { incidentId: id, state: { notIn: ["whole", "gone"] } } }),
    ]);
    if (unsettledNodes > 0 || unsettledWorkloads > 0) continue;
    // An action still running on a member (intent, no outcome yet) belongs to this incident: its
    // workloads can be whole before its outcome is written (a delete finishes the orphans first).
    if (await actionInFlight(tx, cluster, id)) continue;
    await linkActions(tx, cluster, [id]);
    const hit = await tx.incidentWorkload.aggregate({ where: { incidentId: id, firstDegradedAt: { not: null } }, _max: { wholeAt: true } });
    const nodes = await tx.incidentNode.findMany({ where: { incidentId: id }, select: { node: true, state: true } });
    await tx.incident.update({ where: { id }, data: { closedAt: at, recoveredAt: hit._max.wholeAt ?? null } });
    await insertIncidentEvents(tx, cluster, [
      {
        incidentId: id,
        event: {
          type: "incident.closed",
          at,
          dedupKey: "closed",
          payload: {
            confirmed: incident.confirmedAt !== null,
            openedAt: incident.openedAt.toISOString(),
            nodes: nodes.map((n) => ({ node: n.node, state: n.state })),
          },
        },
      },
    ]);
    closed.push(id);
  }
  return closed;
}

/** Whether a node of incident `id` has an action whose intent is written and whose outcome is not. */
async function actionInFlight(tx: Prisma.TransactionClient, cluster: string, id: number): Promise<boolean> {
  const rows = await tx.$queryRaw<unknown[]>(Prisma.sql`
    SELECT 1 FROM "AuditEvent" i
    WHERE i."cluster" = ${cluster} AND i."phase" = 'intent' AND i."targetKind" = 'Node'
      AND i."target" IN (SELECT n."node" FROM "IncidentNode" n WHERE n."incidentId" = ${id})
      AND NOT EXISTS (SELECT 1 FROM "AuditEvent" o WHERE o."actionId" = i."actionId" AND o."phase" = 'outcome')
    LIMIT 1`);
  return rows.length > 0;
}
