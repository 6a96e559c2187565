// The outbox's write side: for new IncidentEvent rows, one pending NotificationDelivery per
// enabled endpoint of the cluster subscribed to the event's type, in the caller's transaction (the
// one that inserted the events). One statement for the whole batch; plain SQL that PostgreSQL
// accepts unchanged. `createdAt` and the first `nextAttemptAt` are the event's own time.
import { Prisma } from "@/generated/prisma/client";

export async function fanOutDeliveries(tx: Prisma.TransactionClient, cluster: string, eventIds: readonly number[]): Promise<number> {
  if (eventIds.length === 0) return 0;
  return tx.$executeRaw(Prisma.sql`
    INSERT INTO "NotificationDelivery" ("endpointId", "eventId", "incidentId", "eventType", "status", "attempts", "nextAttemptAt", "createdAt")
    SELECT n."id", v."id", v."incidentId", v."type", 'pending', 0, v."at", v."at"
    FROM "IncidentEvent" v
    JOIN "NotificationEndpoint" n ON n."cluster" = v."cluster" AND n."enabled" = TRUE AND n."events" LIKE '%"' || v."type" || '"%'
    WHERE v."cluster" = ${cluster} AND v."id" IN (${Prisma.join(eventIds)})
    ORDER BY v."id", n."id"
    ON CONFLICT ("endpointId", "eventId") DO NOTHING
  `);
}
