// An endpoint's delivery history, newest first, paged with `before` (a delivery id).
import type { TDb } from "@/lib/db";

export type TDeliveryView = {
  id: number;
  eventId: number | null;
  eventType: string;
  incidentId: number | null;
  status: string;
  attempts: number;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: string | null;
  createdAt: string;
};

export async function listDeliveries(db: TDb, endpointId: number, opts: { limit: number; before?: number }) {
  const rows = await db.notificationDelivery.findMany({
    where: { endpointId, ...(opts.before ? { id: { lt: opts.before } } : {}) },
    orderBy: { id: "desc" },
    take: opts.limit + 1,
  });
  const items = rows.slice(0, opts.limit).map(
    (d): TDeliveryView => ({
      id: d.id,
      eventId: d.eventId,
      eventType: d.eventType,
      incidentId: d.incidentId,
      status: d.status,
      attempts: d.attempts,
      nextAttemptAt: d.status === "pending" ? d.nextAttemptAt.toISOString() : null,
      lastAttemptAt: d.lastAttemptAt?.toISOString() ?? null,
      lastStatusCode: d.lastStatusCode,
      lastError: d.lastError,
      deliveredAt: d.deliveredAt?.toISOString() ?? null,
      createdAt: d.createdAt.toISOString(),
    }),
  );
  return { items, nextBefore: rows.length > opts.limit ? (items.at(-1)?.id ?? null) : null };
}
