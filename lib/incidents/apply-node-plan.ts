// Writes a node plan (plan-node-changes.ts) inside the transaction that inserted its transitions:
// new incidents, their members (multi-row upserts: a 5,000-node storm is a few statements), the
// incidents' counts, events, and returned nodes. Plain SQL with quoted identifiers and ON CONFLICT,
// which SQLite and PostgreSQL both accept.
import { Prisma } from "@/generated/prisma/client";
import { insertIncidentEvents } from "./insert-events";
import type { TMember, TNodePlan } from "./plan-node-changes";

/** 13 parameters a row. */
const ROWS_PER_STATEMENT = 400;
const NAMES_SHOWN = 20;

/** Applies the plan; returns the ids of the incidents it touched (real ids, new ones included). */
export async function applyNodePlan(tx: Prisma.TransactionClient, cluster: string, plan: TNodePlan): Promise<number[]> {
  const realId = new Map<number, number>();
  for (const incident of plan.opened) {
    const created = await tx.incident.create({
      data: { cluster, openedAt: incident.openedAt, confirmedAt: incident.confirmedAt, nodeCount: 0, nodeNames: "" },
      select: { id: true },
    });
    realId.set(incident.id, created.id);
  }
  const idOf = (id: number) => realId.get(id) ?? id;

  const upserts: { incidentId: number; member: TMember }[] = [];
  for (const { incident, changedMembers } of plan.touched.values()) {
    for (const node of changedMembers) {
      const member = incident.members.get(node);
      if (member) upserts.push({ incidentId: idOf(incident.id), member });
    }
  }
  for (let start = 0; start < upserts.length; start += ROWS_PER_STATEMENT) {
    const values = upserts.slice(start, start + ROWS_PER_STATEMENT).map(
      ({ incidentId, member: m }) =>
        Prisma.sql`(${incidentId}, ${cluster}, ${m.node}, ${m.nodeUid}, ${m.state}, ${m.firstSignAt}, ${m.lastHeartbeatAt},
          ${m.confirmedAt}, ${m.deletedAt}, ${m.backAt}, ${JSON.stringify(m.labels)}, ${m.transitionId}, ${null})`,
    );
    await tx.$executeRaw(Prisma.sql`
      INSERT INTO "IncidentNode" ("incidentId", "cluster", "node", "nodeUid", "state", "firstSignAt", "lastHeartbeatAt",
        "confirmedAt", "deletedAt", "backAt", "labels", "transitionId", "remediatedAt")
      VALUES ${Prisma.join(values)}
      ON CONFLICT ("incidentId", "node") DO UPDATE SET
        "nodeUid" = excluded."nodeUid", "state" = excluded."state", "confirmedAt" = excluded."confirmedAt",
        "deletedAt" = excluded."deletedAt", "backAt" = excluded."backAt"
    `);
  }

  const touched: number[] = [];
  for (const { incident } of plan.touched.values()) {
    const id = idOf(incident.id);
    touched.push(id);
    const names = [...incident.members.keys()].sort();
    await tx.incident.update({
      where: { id },
      data: {
        confirmedAt: incident.confirmedAt,
        nodeCount: names.length,
        nodeNames: names.slice(0, NAMES_SHOWN).join(", ") + (names.length > NAMES_SHOWN ? ", …" : ""),
      },
    });
  }

  await insertIncidentEvents(
    tx,
    cluster,
    plan.events.map((e) => ({ ...e, incidentId: idOf(e.incidentId) })),
  );

  for (const { node, at } of plan.returned) {
    // The node's latest incident, if it was deleted in it and has not been seen back (the first
    // Ready after its deletion, whether it re-registered Ready or NotReady first).
    await tx.$executeRaw(Prisma.sql`
      UPDATE "IncidentNode" SET "returnedAt" = ${at}
      WHERE "cluster" = ${cluster} AND "node" = ${node} AND "deletedAt" IS NOT NULL AND "returnedAt" IS NULL
        AND "incidentId" = (SELECT MAX("incidentId") FROM "IncidentNode" WHERE "cluster" = ${cluster} AND "node" = ${node})
    `);
  }
  return touched;
}
