// The outbox on a real SQLite file with real HTTP receivers on 127.0.0.1 (no lab, no app server):
// events inserted through the single writer fan out in their own transaction, the notifier sends
// them per endpoint in event order, a failing receiver is retried with backoff and holds back
// what follows it, a stopped notifier leaves pending deliveries for the next one, and a delivery
// whose attempts run out is given up without blocking the rest until an admin retries it, and
// /metrics counts it all from the outbox.
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type TDb } from "@/lib/db";
import { insertIncidentEvents } from "@/lib/incidents/insert-events";
import type { TIncidentEventType } from "@/lib/incidents/types";
import { createMetrics } from "@/lib/metrics/registry";
import { pagerDutyDedupKey } from "@/lib/notifications/format-pagerduty";
import { startNotifier, type TNotifierOptions } from "@/lib/notifications/notifier";
import { retryFailedDeliveries } from "@/lib/notifications/retry-deliveries";
import { testDatabase } from "../../helpers/app";
import { startReceiver } from "../../helpers/receiver";
import { waitUntil } from "../../helpers/wait";

const CLUSTER = "outbox-test";

describe("the notification outbox", () => {
  let db: TDb;
  let ce: Awaited<ReturnType<typeof startReceiver>>;
  let slack: Awaited<ReturnType<typeof startReceiver>>;
  let pd: Awaited<ReturnType<typeof startReceiver>>;
  const ids: Record<string, number> = {};
  let seq = 0;

  const options = (over: Partial<TNotifierOptions> = {}): TNotifierOptions => ({
    db,
    cluster: CLUSTER,
    owner: "test-owner",
    baseUrl: "http://dashboard.example",
    backoff: { baseMs: 200, capMs: 800 },
    maxAttempts: 50,
    maxAgeMs: 3_600_000,
    timeoutMs: 2_000,
    pollMs: 200,
    log: () => {},
    ...over,
  });

  const emit = (incidentId: number, types: TIncidentEventType[]) =>
    db.$transaction((tx) =>
      insertIncidentEvents(
        tx,
        CLUSTER,
        types.map((type) => ({
          incidentId,
          event: { type, at: new Date(), dedupKey: `${type}:${++seq}`, payload: { node: "acp-worker01", nodes: ["acp-worker01"], seq } },
        })),
      ),
    );
  const endpoint = (name: string, format: string, url: string, secret: string | null, events?: string[]) =>
    db.notificationEndpoint.create({
      data: {
        cluster: CLUSTER,
        name,
        format,
        url,
        secret,
        createdBy: "test",
        events: JSON.stringify(
          events ??
            (format === "pagerduty"
              ? ["incident.opened", "node.dead", "incident.closed"]
              : ["incident.opened", "node.dead", "action.taken", "workload.recovered", "incident.closed"]),
        ),
      },
    });

  beforeAll(async () => {
    db = createDb((await testDatabase()).url);
    [ce, slack, pd] = await Promise.all([startReceiver(), startReceiver(), startReceiver()]);
    ids.ce = (await endpoint("webhook", "cloudevents", `${ce.url}/hook`, "0123456789abcdef-signing")).id;
    ids.slack = (await endpoint("slack", "slack", `${slack.url}/services/T000/B000/XXXX`, null)).id;
    ids.pd = (await endpoint("pagerduty", "pagerduty", `${pd.url}/v2/enqueue`, "routing-key-0123456789")).id;
    await db.notificationEndpoint.create({
      data: {
        cluster: CLUSTER,
        name: "off",
        format: "slack",
        url: `${slack.url}/off`,
        enabled: false,
        events: '["incident.opened"]',
        createdBy: "t",
      },
    });
  });
  afterAll(async () => {
    await Promise.all([ce?.close(), slack?.close(), pd?.close()]);
    await db?.$disconnect();
  });

  it("fans out each new event once, in its transaction, to the enabled endpoints subscribed to it", async () => {
    const types: TIncidentEventType[] = ["incident.opened", "node.dead", "action.taken", "workload.recovered", "incident.closed"];
    expect(await emit(1, types)).toBe(5);
    // A repeat of the same facts (a replay after a restart) adds neither events nor deliveries.
    const again = await db.$transaction((tx) =>
      insertIncidentEvents(tx, CLUSTER, [
        { incidentId: 1, event: { type: "incident.opened", at: new Date(), dedupKey: "incident.opened:1", payload: {} } },
      ]),
    );
    expect(again).toBe(0);
    const rows = await db.notificationDelivery.findMany({ orderBy: { id: "asc" } });
    expect(rows.filter((r) => r.endpointId === ids.ce).map((r) => r.eventType)).toEqual(types);
    expect(rows.filter((r) => r.endpointId === ids.pd).map((r) => r.eventType)).toEqual([
      "incident.opened",
      "node.dead",
      "incident.closed",
    ]);
    expect(rows).toHaveLength(5 + 5 + 3);
    expect(rows.every((r) => r.status === "pending" && r.attempts === 0)).toBe(true);
  });

  it("delivers them in event order in each format", async () => {
    const started = Date.now();
    const notifier = startNotifier(options());
    await waitUntil("all delivered", async () => (await db.notificationDelivery.count({ where: { status: "pending" } })) === 0, 20_000, 50);
    await notifier.stop();
    console.log(`13 deliveries to 3 receivers in ${Date.now() - started} ms`);
    const events = await db.incidentEvent.findMany({ where: { incidentId: 1 }, orderBy: { id: "asc" } });
    const ceBodies = ce.accepted().map((r) => r.json as { id: string; type: string; specversion: string });
    expect(ceBodies.map((b) => b.id)).toEqual(events.map((e) => `incident-event-${e.id}`));
    expect(ceBodies.map((b) => b.type)).toEqual(events.map((e) => `dev.node-rescue.${e.type}`));
    expect(ce.received[0]?.headers["content-type"]).toBe("application/cloudevents+json");
    expect(ce.received[0]?.headers["x-node-rescue-signature"]).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    const slackTexts = slack.accepted().map((r) => (r.json as { text: string; blocks: unknown[] }).text);
    expect(slackTexts).toHaveLength(5);
    expect(slackTexts[0]).toContain("<http://dashboard.example/incidents/1|open incident>");
    expect(slack.accepted().every((r) => r.path === "/services/T000/B000/XXXX")).toBe(true);
    const pdBodies = pd.accepted().map((r) => r.json as { event_action: string; dedup_key: string; routing_key: string });
    expect(pdBodies.map((b) => b.event_action)).toEqual(["trigger", "trigger", "resolve"]);
    expect(new Set(pdBodies.map((b) => b.dedup_key))).toEqual(new Set([pagerDutyDedupKey(CLUSTER, 1)]));
    expect(pdBodies[0]?.routing_key).toBe("routing-key-0123456789");
    const delivered = await db.notificationDelivery.findMany({ where: { status: "delivered" } });
    expect(delivered).toHaveLength(13);
    expect(delivered.every((d) => d.attempts === 1 && d.lastStatusCode === 200 && d.deliveredAt)).toBe(true);
  });

  it("retries a failing receiver with growing delays, holds its later events back, then delivers them in order", async () => {
    ce.received.length = 0;
    ce.setStatus(500);
    const notifier = startNotifier(options());
    await emit(2, ["incident.opened", "node.dead"]);
    await waitUntil("four failed attempts", async () => (ce.received.length >= 4 ? true : null), 20_000, 20);
    const head = await db.notificationDelivery.findFirstOrThrow({
      where: { endpointId: ids.ce, incidentId: 2 },
      orderBy: { eventId: "asc" },
    });
    expect(head.status).toBe("pending");
    expect(head.attempts).toBeGreaterThanOrEqual(3);
    expect(head.lastStatusCode).toBe(500);
    expect(head.lastError).toBe("HTTP 500: receiver says no (500)");
    // Only the first event was tried: the second waits behind it.
    const tried = new Set(ce.received.map((r) => (r.json as { id: string }).id));
    expect(tried).toEqual(new Set([`incident-event-${head.eventId}`]));
    const gaps = ce.received.slice(1, 4).map((r, i) => r.at - (ce.received[i]?.at ?? 0));
    console.log(`retry gaps (base 200 ms, cap 800 ms): ${gaps.join(", ")} ms`);
    expect(gaps[0]).toBeGreaterThanOrEqual(90); // attempt 1 → 2: [100, 200] ms
    expect(gaps[2]).toBeGreaterThanOrEqual(380); // attempt 3 → 4: [400, 800] ms
    ce.setStatus(200);
    await waitUntil(
      "both delivered",
      async () => (await db.notificationDelivery.count({ where: { endpointId: ids.ce, status: "pending" } })) === 0,
      20_000,
      50,
    );
    await notifier.stop();
    const ok = ce.accepted().map((r) => (r.json as { type: string }).type);
    expect(ok).toEqual(["dev.node-rescue.incident.opened", "dev.node-rescue.node.dead"]);
  });

  it("a stopped notifier leaves pending deliveries to the next one, and an acknowledged one is not sent again", async () => {
    ce.received.length = 0;
    ce.setStatus(503);
    const first = startNotifier(options({ owner: "first" }));
    await emit(3, ["incident.opened"]);
    await waitUntil("a failed attempt", async () => (ce.received.length >= 1 ? true : null), 10_000, 20);
    await first.stop();
    ce.setStatus(200);
    const second = startNotifier(options({ owner: "second" }));
    await waitUntil(
      "delivered",
      async () => (await db.notificationDelivery.count({ where: { endpointId: ids.ce, status: "pending" } })) === 0,
      10_000,
      50,
    );
    await new Promise((r) => setTimeout(r, 500));
    await second.stop();
    expect(ce.accepted()).toHaveLength(1);
    // Nothing acknowledged earlier (incidents 1 and 2) was sent again by the new notifier.
    expect(ce.received.every((r) => (r.json as { subject: string }).subject === "incidents/3")).toBe(true);
  });

  it("a delivery claimed by a process that died is sent again once its claim expires", async () => {
    await emit(4, ["incident.opened"]);
    const row = await db.notificationDelivery.findFirstOrThrow({ where: { endpointId: ids.ce, incidentId: 4 } });
    await db.notificationDelivery.update({
      where: { id: row.id },
      data: { claimedBy: "dead-process", claimedUntil: new Date(Date.now() + 1_000) },
    });
    ce.received.length = 0;
    const notifier = startNotifier(options());
    await new Promise((r) => setTimeout(r, 500));
    expect(ce.received).toHaveLength(0); // still claimed
    await waitUntil("sent after the claim expired", async () => (ce.accepted().length === 1 ? true : null), 10_000, 50);
    await notifier.stop();
  });

  it("gives up after the last attempt (failed, visible) and goes on with the next event", async () => {
    ce.received.length = 0;
    ce.setStatus(404);
    const notifier = startNotifier(options({ maxAttempts: 2 }));
    await emit(5, ["incident.opened", "incident.closed"]);
    await waitUntil(
      "given up",
      async () => (await db.notificationDelivery.count({ where: { endpointId: ids.ce, incidentId: 5, status: "failed" } })) >= 1,
      10_000,
      50,
    );
    ce.setStatus(200);
    await waitUntil("the close delivered", async () => (ce.accepted().length === 1 ? true : null), 10_000, 50);
    await notifier.stop();
    const rows = await db.notificationDelivery.findMany({ where: { endpointId: ids.ce, incidentId: 5 }, orderBy: { eventId: "asc" } });
    // The worker moves on to the close at once: it may meet the 404 too before the receiver is fixed.
    expect(rows.map((r) => [r.eventType, r.status])).toEqual([
      ["incident.opened", "failed"],
      ["incident.closed", "delivered"],
    ]);
    expect(rows[0]?.attempts).toBe(2);
    expect(rows[0]?.lastError).toMatch(/^HTTP 404/);
  });

  it("an admin's retry sends a given-up delivery again with a fresh attempt budget, audited", async () => {
    ce.received.length = 0;
    ce.setStatus(500);
    const notifier = startNotifier(options({ maxAttempts: 1 }));
    await emit(7, ["incident.opened"]);
    const failed = await waitUntil(
      "given up",
      async () => db.notificationDelivery.findFirst({ where: { endpointId: ids.ce, incidentId: 7, status: "failed" } }),
      10_000,
      50,
    );
    expect(failed.attempts).toBe(1);
    ce.setStatus(200);
    const actor = { kind: "user" as const, id: "u1", name: "admin@example.com", role: "admin" as const, ip: null, userAgent: null };
    const attempt = { actionId: randomUUID(), cluster: CLUSTER, action: "notifications.retry", target: "endpoint", actor };
    // Those given up in earlier tests come back too (the previous one's, at least), in event order.
    const given = await db.notificationDelivery.findMany({ where: { endpointId: ids.ce, status: "failed" }, orderBy: { eventId: "asc" } });
    expect(given.length).toBeGreaterThanOrEqual(2);
    const retried = await retryFailedDeliveries(db, attempt, ids.ce as number);
    expect(retried).toEqual({ retried: given.length, message: `retrying ${given.length} failed deliveries of endpoint "webhook"` });
    await waitUntil("delivered after the retry", async () => (ce.accepted().length === given.length ? true : null), 10_000, 50);
    await notifier.stop();
    expect(ce.accepted().map((r) => (r.json as { id: string }).id)).toEqual(given.map((d) => `incident-event-${d.eventId}`));
    const row = await db.notificationDelivery.findUniqueOrThrow({ where: { id: failed.id } });
    expect(row).toMatchObject({ status: "delivered", attempts: 1, lastError: null });
    expect(row.retriedAt?.getTime()).toBeGreaterThanOrEqual(failed.lastAttemptAt?.getTime() ?? Number.POSITIVE_INFINITY);
    const audit = await db.auditEvent.findFirstOrThrow({ where: { actionId: attempt.actionId } });
    expect(audit).toMatchObject({ action: "notifications.retry", target: "webhook", outcome: "succeeded", actorName: "admin@example.com" });
    // Nothing left to retry: said so, and audited too.
    const none = await retryFailedDeliveries(db, { ...attempt, actionId: randomUUID() }, ids.ce as number);
    expect(none).toEqual({ retried: 0, message: 'endpoint "webhook" has no failed deliveries to retry' });
  });

  it("does not follow a redirect to another host", async () => {
    const other = await startReceiver();
    const server = createServer((_req, res) => {
      res.writeHead(307, { Location: `${other.url}/steal` });
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as { port: number }).port;
    const ep = await endpoint("redirecting", "cloudevents", `http://127.0.0.1:${port}/hook`, null, ["incident.opened"]);
    const notifier = startNotifier(options());
    await emit(6, ["incident.opened"]);
    const row = await waitUntil(
      "a failed attempt",
      async () => {
        const d = await db.notificationDelivery.findFirst({ where: { endpointId: ep.id, attempts: { gte: 1 } } });
        return d ?? null;
      },
      10_000,
      50,
    );
    await notifier.stop();
    server.close();
    await other.close();
    expect(row.lastError).toBe(`HTTP 307: redirect to ${other.url} not followed`);
    expect(other.received).toHaveLength(0);
  });

  it("/metrics counts deliveries by format and result, and the attempts receivers did not acknowledge", async () => {
    const rows = await db.notificationDelivery.findMany({ where: { eventId: { not: null } } });
    const endpoints = await db.notificationEndpoint.findMany({ where: { cluster: CLUSTER } });
    const formatOf = (id: number) => endpoints.find((e) => e.id === id)?.format;
    const text = await createMetrics({ db, cluster: CLUSTER, monitor: () => null }).render();
    const value = (name: string, labels: string) => Number(text.match(new RegExp(`^${name}\\{${labels}\\} (\\S+)$`, "m"))?.[1] ?? 0);
    for (const format of ["cloudevents", "slack", "pagerduty"]) {
      const mine = rows.filter((r) => formatOf(r.endpointId) === format);
      for (const result of ["delivered", "failed", "skipped"])
        expect(value("node_rescue_webhook_deliveries_total", `format="${format}",result="${result}"`)).toBe(
          mine.filter((r) => r.status === result).length,
        );
      const unacknowledged = mine.reduce((n, r) => n + r.attempts - (r.status === "delivered" ? 1 : 0), 0);
      expect(value("node_rescue_webhook_failed_attempts_total", `format="${format}"`)).toBe(unacknowledged);
    }
    // This file's receivers failed on purpose: 500s, 404s, a redirect that was not followed.
    expect(value("node_rescue_webhook_failed_attempts_total", 'format="cloudevents"')).toBeGreaterThanOrEqual(4);
    expect(value("node_rescue_webhook_deliveries_total", 'format="cloudevents",result="delivered"')).toBeGreaterThan(0);
    expect(value("node_rescue_webhook_deliveries_pending", 'format="cloudevents"')).toBe(
      rows.filter((r) => r.status === "pending" && formatOf(r.endpointId) === "cloudevents").length,
    );
  });
});
