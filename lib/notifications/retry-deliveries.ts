// An admin's "retry failed": an endpoint's given-up deliveries go back to pending, due now, with a
// fresh attempt budget (attempts and the age limit count from retriedAt). Audited in the same
// transaction. The notifier sends them in event order, ahead of the endpoint's later events.
import { ApiError } from "@/lib/api/errors";
import type { TAuditAttempt } from "@/lib/audit/write";
import { writeOutcome } from "@/lib/audit/write";
import type { TDb } from "@/lib/db";

export async function retryFailedDeliveries(db: TDb, attempt: TAuditAttempt, endpointId: number, now = new Date()) {
  return db.$transaction(async (tx) => {
    const endpoint = await tx.notificationEndpoint.findFirst({ where: { id: endpointId, cluster: attempt.cluster } });
    if (!endpoint) throw new ApiError("not_found", `notification endpoint ${endpointId} does not exist`);
    const retried = await tx.notificationDelivery.updateMany({
      where: { endpointId, status: "failed", eventId: { not: null } },
      data: { status: "pending", attempts: 0, retriedAt: now, nextAttemptAt: now, claimedBy: null, claimedUntil: null },
    });
    const message =
      retried.count === 0
        ? `endpoint "${endpoint.name}" has no failed deliveries to retry`
        : `retrying ${retried.count} failed ${retried.count === 1 ? "delivery" : "deliveries"} of endpoint "${endpoint.name}"${endpoint.enabled ? "" : " (disabled: they wait until it is enabled)"}`;
    await writeOutcome(tx, { ...attempt, target: endpoint.name, outcome: "succeeded", message, results: { retried: retried.count } });
    return { retried: retried.count, message };
  });
}
