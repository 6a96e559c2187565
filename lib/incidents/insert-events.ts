// The single writer of IncidentEvent rows, inside the transaction of the facts they announce. A
// repeat (same incident, same dedupKey) is dropped by the unique key, so replaying a fact after a
// restart never announces it twice. Notifications fan out from these rows (the outbox).
import { Prisma } from "@/generated/prisma/client";
import type { TIncidentEventDraft } from "./types";

export async function insertIncidentEvents(
  tx: Prisma.TransactionClient,
  cluster: string,
  events: readonly { incidentId: number; event: TIncidentEventDraft }[],
): Promise<number> {
  let inserted = 0;
  for (const { incidentId, event } of events) {
    inserted += await tx.$executeRaw(Prisma.sql`
      INSERT INTO "IncidentEvent" ("incidentId", "cluster", "type", "at", "dedupKey", "payload")
      VALUES (${incidentId}, ${cluster}, ${event.type}, ${event.at}, ${event.dedupKey}, ${JSON.stringify(event.payload)})
      ON CONFLICT ("incidentId", "dedupKey") DO NOTHING
    `);
  }
  return inserted;
}
