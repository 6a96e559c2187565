// The single writer of IncidentEvent rows, inside the transaction of the facts they announce. A
// repeat (same incident, same dedupKey) is dropped by the unique key, so replaying a fact after a
// restart never announces it twice. Each event that is new (RETURNING says which) fans out into
// the notification outbox in the same transaction: one delivery per enabled endpoint subscribed
// to its type (lib/notifications/fan-out.ts), so an event and its deliveries commit together.
import { Prisma } from "@/generated/prisma/client";
import { fanOutDeliveries } from "@/lib/notifications/fan-out";
import type { TIncidentEventDraft } from "./types";

export async function insertIncidentEvents(
  tx: Prisma.TransactionClient,
  cluster: string,
  events: readonly { incidentId: number; event: TIncidentEventDraft }[],
): Promise<number> {
  const inserted: number[] = [];
  for (const { incidentId, event } of events) {
    const rows = await tx.$queryRaw<{ id: unknown }[]>(Prisma.sql`
      INSERT INTO "IncidentEvent" ("incidentId", "cluster", "type", "at", "dedupKey", "payload")
      VALUES (${incidentId}, ${cluster}, ${event.type}, ${event.at}, ${event.dedupKey}, ${JSON.stringify(event.payload)})
      ON CONFLICT ("incidentId", "dedupKey") DO NOTHING
      RETURNING "id"
    `);
    for (const r of rows) inserted.push(Number(r.id));
  }
  if (inserted.length) await fanOutDeliveries(tx, cluster, inserted);
  return inserted.length;
}
