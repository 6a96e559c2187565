// "Send test": a synthetic event sent now, straight to the endpoint (not through the queue, so a
// failing endpoint's backlog does not hide the answer), recorded in its delivery history and
// audited. PagerDuty gets a trigger and its resolve, so the test page closes itself.
import { randomUUID } from "node:crypto";
import { ApiError } from "@/lib/api/errors";
import { type TAuditAttempt, writeOutcome } from "@/lib/audit/write";
import type { TDb } from "@/lib/db";
import { formatCloudEvent } from "./format-cloudevents";
import { formatPagerDuty } from "./format-pagerduty";
import { formatSlack } from "./format-slack";
import { sendOutgoing } from "./send";
import { TEST_EVENT_TYPE, type TNotification, type TOutgoing, ZNotificationFormat } from "./types";

export async function sendTestNotification(
  db: TDb,
  attempt: TAuditAttempt,
  id: number,
  opts: { baseUrl: string | null; timeoutMs: number },
) {
  const endpoint = await db.notificationEndpoint.findFirst({ where: { id, cluster: attempt.cluster } });
  if (!endpoint) throw new ApiError("not_found", `notification endpoint ${id} does not exist`);
  const now = new Date();
  const notification: TNotification = {
    id: `test-${randomUUID()}`,
    type: TEST_EVENT_TYPE,
    at: now,
    cluster: attempt.cluster,
    incidentId: 0,
    link: opts.baseUrl ? `${opts.baseUrl.replace(/\/+$/, "")}/settings/notifications` : null,
    nodes: [],
    payload: { message: `Test notification sent by ${attempt.actor?.name ?? "unknown"} from node-rescue`, endpoint: endpoint.name },
  };
  const target = { url: endpoint.url, secret: endpoint.secret };
  const format = ZNotificationFormat.parse(endpoint.format);
  const requests: TOutgoing[] = [];
  if (format === "cloudevents") requests.push(formatCloudEvent(notification, target, now));
  if (format === "slack") requests.push(formatSlack(notification, target));
  if (format === "pagerduty") {
    const trigger = formatPagerDuty(notification, target);
    const resolve = formatPagerDuty({ ...notification, type: "incident.closed" }, target);
    if (trigger && resolve) {
      // The resolve must carry the trigger's dedup key.
      const key = (JSON.parse(trigger.body) as { dedup_key: string }).dedup_key;
      requests.push(trigger, { ...resolve, body: JSON.stringify({ ...JSON.parse(resolve.body), dedup_key: key }) });
    }
  }
  let result = await sendOutgoing(requests[0] as TOutgoing, { timeoutMs: opts.timeoutMs });
  for (const next of requests.slice(1)) if (result.ok) result = await sendOutgoing(next, { timeoutMs: opts.timeoutMs });
  const at = new Date();
  const delivery = await db.notificationDelivery.create({
    data: {
      endpointId: id,
      eventId: null,
      eventType: TEST_EVENT_TYPE,
      status: result.ok ? "delivered" : "failed",
      attempts: 1,
      nextAttemptAt: now,
      lastAttemptAt: at,
      lastStatusCode: result.status,
      lastError: result.error,
      deliveredAt: result.ok ? at : null,
      createdAt: now,
    },
  });
  const message = result.ok
    ? `test notification ${notification.id} delivered to "${endpoint.name}" (HTTP ${result.status}, ${result.ms} ms)`
    : `test notification ${notification.id} to "${endpoint.name}" failed: ${result.error}`;
  await writeOutcome(db, {
    ...attempt,
    target: endpoint.name,
    outcome: result.ok ? "succeeded" : "failed",
    message,
    results: { deliveryId: delivery.id, status: result.status, ms: result.ms },
  });
  return {
    ok: result.ok,
    status: result.status,
    error: result.error,
    ms: result.ms,
    deliveryId: delivery.id,
    notificationId: notification.id,
  };
}
