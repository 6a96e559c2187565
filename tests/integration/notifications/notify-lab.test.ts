// Notifications end to end on the seed lab and the real dashboard: endpoints configured through
// the API (admins only, audited, secrets never shown back), a short incident (kubelet stop →
// confirmed dead → cordon → kubelet start → closed) delivered in order to a CloudEvents, a Slack
// and a PagerDuty receiver on 127.0.0.1; a failing receiver retried with backoff, its failure
// visible through the API, everything in order once it recovers; and a dashboard restart with
// deliveries pending that loses none and repeats none that was acknowledged.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type TDb } from "@/lib/db";
import type { TDeliveryView } from "@/lib/notifications/deliveries";
import { pagerDutyDedupKey } from "@/lib/notifications/format-pagerduty";
import type { TNodesView } from "@/lib/views/nodes";
import { kubeletStart, kubeletStop } from "@/scripts/lab/lab";
import { freeLoopbackPorts } from "@/scripts/lab/processes";
import { SEED_VICTIM } from "@/scripts/lab/scenarios/seed";
import { createTestToken, startTestApp, type TTestApp, testDatabase } from "../../helpers/app";
import { startTestLab } from "../../helpers/lab";
import { startReceiver } from "../../helpers/receiver";
import { waitUntil } from "../../helpers/wait";

const CLUSTER = "notify-lab";
const SIGNING = "whsec-0123456789-signing-secret";
const ROUTING = "R0UT1NGKEY0123456789abcdefROUTE";
const SLACK_PATH = "/services/T0000/B0000/SLACKSECRETPATHxyz";

type TCloudEvent = { id: string; type: string; subject: string; data: { incidentId: number; link: string; nodes: string[] } };

describe("notifications on the seed lab", () => {
  let lab: Awaited<ReturnType<typeof startTestLab>>;
  let app: TTestApp;
  let db: TDb;
  let database: Awaited<ReturnType<typeof testDatabase>>;
  let port: number;
  let ce: Awaited<ReturnType<typeof startReceiver>>;
  let slack: Awaited<ReturnType<typeof startReceiver>>;
  let pd: Awaited<ReturnType<typeof startReceiver>>;
  let flaky: Awaited<ReturnType<typeof startReceiver>>;
  const ids = { ce: 0, slack: 0, pd: 0, flaky: 0 };
  let firstIncident = 0;

  const start = () =>
    startTestApp({
      kubeconfig: lab.kubeconfig,
      databaseUrl: database.url,
      cluster: CLUSTER,
      port,
      env: {
        NODE_RESCUE_DEAD_AFTER_SECONDS: "5",
        NODE_RESCUE_BASE_URL: `http://127.0.0.1:${port}`,
        NODE_RESCUE_NOTIFY_BACKOFF_MS: "300",
        NODE_RESCUE_NOTIFY_BACKOFF_CAP_MS: "2000",
      },
    });
  const json = (method: string, path: string, body?: unknown, token?: string) =>
    app.fetch(path, {
      method,
      headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const create = async (body: Record<string, unknown>) => {
    const res = await json("POST", "/api/notifications", body);
    expect(res.status, await res.clone().text()).toBe(201);
    return (await res.json()) as { id: number };
  };
  const deliveries = (id: number) => app.getJson<{ items: TDeliveryView[] }>(`/api/notifications/${id}/deliveries?limit=200`);
  const eventsOf = (incidentId: number) => db.incidentEvent.findMany({ where: { incidentId }, orderBy: { id: "asc" } });
  const nothingPending = async () => (await db.notificationDelivery.count({ where: { status: "pending" } })) === 0;

  beforeAll(async () => {
    [port] = (await freeLoopbackPorts(1)) as [number];
    [ce, slack, pd, flaky] = await Promise.all([startReceiver(), startReceiver(), startReceiver(), startReceiver({ status: 500 })]);
    lab = await startTestLab({ scenario: "seed" });
    database = await testDatabase();
    db = createDb(database.url);
    app = await start();
    await waitUntil(
      "six Ready nodes",
      async () => (await app.getJson<TNodesView>("/api/nodes")).nodes.filter((n) => n.state === "Ready").length === 6,
      60_000,
    );
  });
  afterAll(async () => {
    await app?.stop();
    await db?.$disconnect();
    await lab?.down();
    await Promise.all([ce?.close(), slack?.close(), pd?.close(), flaky?.close()]);
  });

  it("only admins may see or change endpoints", async () => {
    const viewer = await createTestToken(database.url, "viewer");
    const operator = await createTestToken(database.url, "operator");
    const calls: [string, string][] = [
      ["GET", "/api/notifications"],
      ["POST", "/api/notifications"],
      ["GET", "/api/notifications/1"],
      ["PUT", "/api/notifications/1"],
      ["DELETE", "/api/notifications/1"],
      ["POST", "/api/notifications/1/test"],
      ["POST", "/api/notifications/1/retry"],
      ["GET", "/api/notifications/1/deliveries"],
    ];
    for (const token of [viewer, operator]) {
      for (const [method, path] of calls) {
        const res = await json(
          method,
          path,
          method === "GET" ? undefined : { format: "slack", name: "x", url: "https://x.example" },
          token,
        );
        expect(`${method} ${path} ${res.status}`).toBe(`${method} ${path} 403`);
        expect((await res.json()).error.message).toMatch(/may not notifications.manage; needs admin/);
      }
    }
    expect((await json("GET", "/api/notifications")).status).toBe(200);
    // Refused changes by a known actor are audited.
    expect(await db.auditEvent.count({ where: { action: { startsWith: "notifications." }, outcome: "refused" } })).toBe(10);
  });

  it("validates bodies with messages that name the field", async () => {
    const bad = async (body: unknown) => {
      const res = await json("POST", "/api/notifications", body);
      expect(res.status).toBe(400);
      return (await res.json()).error.message as string;
    };
    expect(await bad({ format: "slack", name: "x", url: "javascript:alert(1)" })).toBe("url: must be an http:// or https:// URL");
    expect(await bad({ format: "pagerduty", name: "x" })).toBe("routingKey: the integration's routing key is required");
    expect(await bad({ format: "email", name: "x" })).toBe("format: one of cloudevents, slack, pagerduty");
    expect((await json("PUT", "/api/notifications/abc", {})).status).toBe(400);
    expect((await json("PUT", "/api/notifications/9999", { enabled: false })).status).toBe(404);
  });

  it("creates endpoints, shows their secrets masked only, keeps a secret an update leaves out, audits each change", async () => {
    ids.ce = (await create({ format: "cloudevents", name: "webhook", url: `${ce.url}/hooks/node-rescue`, secret: SIGNING })).id;
    ids.slack = (await create({ format: "slack", name: "slack", url: `${slack.url}${SLACK_PATH}` })).id;
    ids.pd = (await create({ format: "pagerduty", name: "pagerduty", routingKey: ROUTING, url: `${pd.url}/v2/enqueue` })).id;
    ids.flaky = (await create({ format: "cloudevents", name: "flaky", url: `${flaky.url}/x`, secret: SIGNING })).id;
    expect((await json("POST", "/api/notifications", { format: "slack", name: "slack", url: "https://x.example" })).status).toBe(409);

    const listed = await app.getJson<{
      endpoints: { name: string; url: string; routingKey: string | null; signed: boolean; events: string[] }[];
    }>("/api/notifications");
    const text = JSON.stringify(listed);
    for (const secret of [SIGNING, ROUTING, SLACK_PATH, "SLACKSECRETPATH"]) expect(text).not.toContain(secret);
    expect(listed.endpoints.find((e) => e.name === "slack")?.url).toBe(`${slack.url}/…Hxyz`);
    expect(listed.endpoints.find((e) => e.name === "pagerduty")).toMatchObject({
      routingKey: "…OUTE",
      events: ["incident.opened", "node.dead", "incident.closed"],
    });
    expect(listed.endpoints.find((e) => e.name === "webhook")).toMatchObject({
      signed: true,
      events: expect.arrayContaining(["action.taken"]),
    });
    const page = await app.fetch("/settings/notifications");
    expect(page.status).toBe(200);
    const html = await page.text();
    for (const secret of [SIGNING, ROUTING, SLACK_PATH]) expect(html).not.toContain(secret);

    // An update without the secret keeps it; the audit row says what changed, masked.
    const put = await json("PUT", `/api/notifications/${ids.flaky}`, { name: "flaky-receiver" });
    expect(put.status).toBe(200);
    expect((await db.notificationEndpoint.findUniqueOrThrow({ where: { id: ids.flaky } })).secret).toBe(SIGNING);
    const audit = await db.auditEvent.findMany({
      where: { action: { startsWith: "notifications." }, outcome: "succeeded" },
      orderBy: { id: "asc" },
    });
    expect(audit.map((a) => a.action)).toEqual([
      "notifications.create",
      "notifications.create",
      "notifications.create",
      "notifications.create",
      "notifications.update",
    ]);
    expect(audit.at(-1)?.message).toBe('updated endpoint "flaky-receiver": name: "flaky" → "flaky-receiver"');
    expect(audit.at(-1)).toMatchObject({
      targetKind: "NotificationEndpoint",
      target: "flaky-receiver",
      actorKind: "token",
      actorRole: "admin",
    });
    for (const a of audit) for (const secret of [SIGNING, ROUTING, SLACK_PATH]) expect(`${a.message}${a.results}`).not.toContain(secret);
  });

  it("send test reaches the receiver now, signed, and is audited and kept in the history", async () => {
    const res = await json("POST", `/api/notifications/${ids.ce}/test`);
    const body = await res.json();
    expect(res.status).toBe(200);
    expect(body).toMatchObject({ ok: true, status: 200, error: null });
    const got = ce.received.at(-1);
    expect((got?.json as TCloudEvent | undefined)?.type).toBe("dev.node-rescue.test");
    expect(got?.headers["x-node-rescue-signature"]).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    const failing = await (await json("POST", `/api/notifications/${ids.flaky}/test`)).json();
    expect(failing).toMatchObject({ ok: false, status: 500, error: "HTTP 500: receiver says no (500)" });
    expect((await deliveries(ids.flaky)).items[0]).toMatchObject({
      eventType: "test",
      status: "failed",
      lastError: "HTTP 500: receiver says no (500)",
    });
    expect(await db.auditEvent.count({ where: { action: "notifications.test", outcome: { in: ["succeeded", "failed"] } } })).toBe(2);
    ce.received.length = 0;
    flaky.received.length = 0;
  });

  it("a short incident is delivered in order in every format; a failing receiver is retried and its failure visible", async () => {
    kubeletStop(SEED_VICTIM, { dir: lab.dir });
    const opened = await waitUntil(
      "incident.opened",
      () => db.incidentEvent.findFirst({ where: { type: "incident.opened" } }),
      60_000,
      100,
    );
    firstIncident = opened.incidentId;
    const first = await waitUntil("the webhook got the opening", async () => ce.accepted()[0] ?? null, 30_000, 20);
    console.log(`incident.opened: recorded at ${opened.at.toISOString()}, at the webhook ${first.at - opened.at.getTime()} ms later`);
    await waitUntil("node.dead", () => db.incidentEvent.findFirst({ where: { type: "node.dead" } }), 60_000);
    const cordon = await json("POST", `/api/nodes/${SEED_VICTIM}/actions/cordon`, {
      confirm: SEED_VICTIM,
      reason: "dead kubelet, keep pods off",
    });
    expect(cordon.status, await cordon.clone().text()).toBe(200);
    await waitUntil("action.taken", () => db.incidentEvent.findFirst({ where: { type: "action.taken" } }), 30_000);

    // The failing receiver: retried with growing delays, the error visible through the API.
    const failing = await waitUntil(
      "three attempts at the failing receiver",
      async () => {
        const head = (await deliveries(ids.flaky)).items.find((d) => d.eventType === "incident.opened");
        return head && head.attempts >= 3 ? head : null;
      },
      30_000,
    );
    expect(failing).toMatchObject({ status: "pending", lastStatusCode: 500, lastError: "HTTP 500: receiver says no (500)" });
    const listed = await app.getJson<{ endpoints: { name: string; stats: { pending: number; lastError: string | null } }[] }>(
      "/api/notifications",
    );
    expect(listed.endpoints.find((e) => e.name === "flaky-receiver")?.stats).toMatchObject({
      lastError: "HTTP 500: receiver says no (500)",
    });
    // It holds its later events back: only the opening was tried.
    expect(new Set(flaky.received.map((r) => (r.json as TCloudEvent).id))).toEqual(new Set([`incident-event-${opened.id}`]));
    const gaps = flaky.received.slice(1).map((r, i) => r.at - (flaky.received[i]?.at ?? 0));
    console.log(`retry gaps at the failing receiver (base 300 ms, cap 2 s): ${gaps.join(", ")} ms`);

    kubeletStart(SEED_VICTIM, { dir: lab.dir });
    await waitUntil(
      "incident closed",
      () => db.incidentEvent.findFirst({ where: { incidentId: firstIncident, type: "incident.closed" } }),
      180_000,
      500,
    );
    flaky.setStatus(200);
    await waitUntil("nothing pending", nothingPending, 30_000);

    const events = await eventsOf(firstIncident);
    const expectedIds = events.map((e) => `incident-event-${e.id}`);
    expect(events[0]?.type).toBe("incident.opened");
    expect(events.at(-1)?.type).toBe("incident.closed");
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(["node.dead", "action.taken"]));
    for (const receiver of [ce, flaky]) {
      const got = receiver.accepted().map((r) => r.json as TCloudEvent);
      expect(got.map((g) => g.id)).toEqual(expectedIds);
      expect(got[0]?.data).toMatchObject({
        incidentId: firstIncident,
        link: `http://127.0.0.1:${port}/incidents/${firstIncident}`,
        nodes: [SEED_VICTIM],
      });
    }
    const slackTexts = slack.accepted().map((r) => (r.json as { text: string }).text);
    expect(slackTexts).toHaveLength(events.length);
    expect(slackTexts[0]).toContain(`<http://127.0.0.1:${port}/incidents/${firstIncident}|open incident>`);
    expect(slackTexts.at(-1)).toContain("closed");
    const pages = pd.accepted().map((r) => r.json as { event_action: string; dedup_key: string; routing_key: string });
    expect(pages[0]?.event_action).toBe("trigger");
    expect(pages.at(-1)?.event_action).toBe("resolve");
    expect(pages.map((p) => p.event_action).filter((a) => a === "resolve")).toHaveLength(1);
    expect(new Set(pages.map((p) => p.dedup_key))).toEqual(new Set([pagerDutyDedupKey(CLUSTER, firstIncident)]));
    expect(pages.every((p) => p.routing_key === ROUTING)).toBe(true);
    const flakyHistory = (await deliveries(ids.flaky)).items.filter((d) => d.eventId !== null);
    expect(flakyHistory.every((d) => d.status === "delivered")).toBe(true);
    expect(flakyHistory.find((d) => d.eventType === "incident.opened")?.attempts).toBeGreaterThanOrEqual(4);
  });

  it("a dashboard restart with deliveries pending loses none and repeats none that was acknowledged", async () => {
    ce.received.length = 0;
    flaky.received.length = 0;
    flaky.setStatus(503);
    await waitUntil(
      "acp-worker02 Ready",
      async () => (await app.getJson<TNodesView>("/api/nodes")).nodes.find((n) => n.name === "acp-worker02")?.state === "Ready",
      60_000,
    );
    kubeletStop("acp-worker02", { dir: lab.dir });
    const opened = await waitUntil(
      "a second incident",
      () => db.incidentEvent.findFirst({ where: { type: "incident.opened", incidentId: { not: firstIncident } } }),
      60_000,
      100,
    );
    await waitUntil("the webhook acknowledged the opening", async () => ce.accepted()[0] ?? null, 30_000, 20);
    await waitUntil("the failing receiver tried it", async () => flaky.received[0] ?? null, 30_000, 20);
    await app.stop();
    const pendingAtStop = await db.notificationDelivery.count({ where: { status: "pending", endpointId: ids.flaky } });
    expect(pendingAtStop).toBeGreaterThanOrEqual(1);
    flaky.setStatus(200);
    kubeletStart("acp-worker02", { dir: lab.dir });
    app = await start();
    await waitUntil(
      "incident closed",
      () => db.incidentEvent.findFirst({ where: { incidentId: opened.incidentId, type: "incident.closed" } }),
      180_000,
      500,
    );
    await waitUntil("nothing pending", nothingPending, 30_000);
    await new Promise((r) => setTimeout(r, 1_000));

    const expectedIds = (await eventsOf(opened.incidentId)).map((e) => `incident-event-${e.id}`);
    expect(flaky.accepted().map((r) => (r.json as TCloudEvent).id)).toEqual(expectedIds);
    // Acknowledged before the stop, not sent again after it: each id exactly once, in order.
    expect(ce.received.map((r) => (r.json as TCloudEvent).id)).toEqual(expectedIds);
    const rows = await db.notificationDelivery.findMany({ where: { incidentId: opened.incidentId } });
    expect(rows.every((r) => r.status === "delivered" || r.status === "skipped")).toBe(true);
    expect(rows.filter((r) => r.endpointId === ids.ce)).toHaveLength(expectedIds.length);
  });
});
