import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { issuesMessage } from "@/lib/api/issues";
import { backoffDelayMs, givenUp, retryAfterMs } from "@/lib/notifications/backoff";
import { formatNotification, formatSupports } from "@/lib/notifications/format";
import { formatCloudEvent, SIGNATURE_HEADER, toCloudEvent } from "@/lib/notifications/format-cloudevents";
import { pagerDutyDedupKey, toPagerDutyEvent } from "@/lib/notifications/format-pagerduty";
import { escapeSlack, toSlackMessage } from "@/lib/notifications/format-slack";
import { maskSecret, maskUrl } from "@/lib/notifications/mask";
import { ZCreateEndpoint, ZUpdateEndpoint } from "@/lib/notifications/schemas";
import { summarize } from "@/lib/notifications/summary";
import type { TNotification } from "@/lib/notifications/types";

const at = new Date("2026-12-03T10:00:00.000Z");
const base: TNotification = {
  id: "incident-event-7",
  type: "incident.opened",
  at,
  cluster: "prod",
  incidentId: 42,
  link: "https://rescue.example/incidents/42",
  nodes: ["acp-worker01"],
  payload: { node: "acp-worker01", state: "HeartbeatLate", reason: "lease not renewed for 12 s" },
};

describe("CloudEvents 1.0 (structured mode)", () => {
  it("has the required attributes, a stable id and the incident in data", () => {
    expect(toCloudEvent(base)).toEqual({
      specversion: "1.0",
      id: "incident-event-7",
      source: "urn:node-rescue:cluster:prod",
      type: "dev.node-rescue.incident.opened",
      time: "2026-12-03T10:00:00.000Z",
      subject: "incidents/42",
      datacontenttype: "application/json",
      data: { cluster: "prod", incidentId: 42, link: base.link, nodes: ["acp-worker01"], event: base.payload },
    });
  });
  it("is signed with HMAC-SHA256 over '<t>.<body>' when a secret is set", () => {
    const out = formatCloudEvent(base, { url: "https://hooks.example/x", secret: "s3cret-s3cret-s3cret" }, at);
    expect(out.headers["Content-Type"]).toBe("application/cloudevents+json");
    const sig = out.headers[SIGNATURE_HEADER] ?? "";
    const t = Math.floor(at.getTime() / 1000);
    expect(sig).toBe(`t=${t},v1=${createHmac("sha256", "s3cret-s3cret-s3cret").update(`${t}.${out.body}`).digest("hex")}`);
    expect(formatCloudEvent(base, { url: "https://hooks.example/x", secret: null }, at).headers[SIGNATURE_HEADER]).toBeUndefined();
  });
});

describe("Slack", () => {
  it("has a text fallback with the incident link and Block Kit blocks with a button to it", () => {
    const msg = toSlackMessage(base);
    expect(msg.text).toBe(
      "[prod] incident #42 opened: acp-worker01 is HeartbeatLate (lease not renewed for 12 s) <https://rescue.example/incidents/42|open incident>",
    );
    expect(msg.blocks[0]).toMatchObject({ type: "header", text: { type: "plain_text" } });
    expect(msg.blocks).toContainEqual({
      type: "actions",
      elements: [{ type: "button", text: { type: "plain_text", text: "Open incident" }, url: base.link, action_id: "open-incident" }],
    });
  });
  it("escapes mrkdwn control characters from the cluster's data", () => {
    expect(escapeSlack("a <b> & c")).toBe("a &lt;b&gt; &amp; c");
    const msg = toSlackMessage({
      ...base,
      type: "action.taken",
      payload: { action: "node.delete", node: "n1", outcome: "succeeded", actor: { name: "<!channel>", role: "admin" }, reason: "x & y" },
    });
    expect(msg.text).toContain("by &lt;!channel&gt;, admin");
    expect(JSON.stringify(msg.blocks)).not.toContain("<!channel>");
  });
  it("has no link without a base URL", () => {
    const msg = toSlackMessage({ ...base, link: null });
    expect(msg.text).not.toContain("<");
    expect(msg.blocks.some((b) => (b as { type: string }).type === "actions")).toBe(false);
  });
});

describe("PagerDuty Events v2", () => {
  it("triggers on open (warning) and node dead (critical), resolves on close, with one dedup key per incident", () => {
    const open = toPagerDutyEvent(base, "rk");
    const dead = toPagerDutyEvent({ ...base, type: "node.dead", payload: { nodes: ["acp-worker01"] } }, "rk");
    const closed = toPagerDutyEvent({ ...base, type: "incident.closed" }, "rk");
    expect(open).toMatchObject({
      routing_key: "rk",
      event_action: "trigger",
      dedup_key: "node-rescue/prod/incident-42",
      payload: { severity: "warning", source: "acp-worker01", timestamp: at.toISOString() },
    });
    expect(open && "payload" in open ? open.payload.summary : null).toBe(
      "[prod] incident #42 opened: acp-worker01 is HeartbeatLate (lease not renewed for 12 s)",
    );
    expect(open && "payload" in open ? open.payload.custom_details : null).toMatchObject({ incidentId: 42, nodes: ["acp-worker01"] });
    expect(dead).toMatchObject({ event_action: "trigger", dedup_key: pagerDutyDedupKey("prod", 42), payload: { severity: "critical" } });
    expect(closed).toEqual({ routing_key: "rk", dedup_key: "node-rescue/prod/incident-42", event_action: "resolve" });
  });
  it("says nothing about actions and recovered workloads", () => {
    expect(toPagerDutyEvent({ ...base, type: "action.taken" }, "rk")).toBeNull();
    expect(formatNotification({ ...base, type: "workload.recovered" }, { format: "pagerduty", url: "u", secret: "rk" }, at)).toBeNull();
    expect(formatSupports("pagerduty", "action.taken")).toBe(false);
    expect(formatSupports("slack", "action.taken")).toBe(true);
  });
});

describe("backoff", () => {
  const b = { baseMs: 1_000, capMs: 60_000 };
  it("doubles from the base with jitter in [d/2, d], up to the cap", () => {
    expect([1, 2, 3, 4].map((n) => backoffDelayMs(n, b, () => 0))).toEqual([500, 1_000, 2_000, 4_000]);
    expect([1, 2, 3, 4].map((n) => backoffDelayMs(n, b, () => 1))).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(backoffDelayMs(30, b, () => 1)).toBe(60_000);
    expect(backoffDelayMs(1_000, b, () => 0.5)).toBe(45_000);
  });
  it("reads Retry-After in seconds or as a date, bounded by the cap", () => {
    const now = new Date("2026-12-03T10:00:00Z");
    expect(retryAfterMs("3", now, 60_000)).toBe(3_000);
    expect(retryAfterMs("3600", now, 60_000)).toBe(60_000);
    expect(retryAfterMs("Thu, 03 Dec 2026 10:00:10 GMT", now, 60_000)).toBe(10_000);
    expect(retryAfterMs("soon", now, 60_000)).toBeNull();
    expect(retryAfterMs(null, now, 60_000)).toBeNull();
  });
  it("gives up after the last attempt or the maximum age", () => {
    const createdAt = new Date(0);
    expect(givenUp({ attempts: 3, createdAt, now: new Date(1_000), maxAttempts: 3, maxAgeMs: 10_000 })).toBe(true);
    expect(givenUp({ attempts: 2, createdAt, now: new Date(1_000), maxAttempts: 3, maxAgeMs: 10_000 })).toBe(false);
    expect(givenUp({ attempts: 1, createdAt, now: new Date(10_000), maxAttempts: 3, maxAgeMs: 10_000 })).toBe(true);
  });
});

describe("masking", () => {
  it("keeps the scheme, host and last four characters only", () => {
    expect(maskUrl("https://hooks.slack.com/services/T000/B000/abcdefghabcd")).toBe("https://hooks.slack.com/…abcd");
    expect(maskUrl("https://user:pw@example.com/hook?token=0123456789wxyz")).toBe("https://example.com/…wxyz");
    expect(maskUrl("https://example.com/")).toBe("https://example.com/…");
    expect(maskSecret("R0123456789abcdef0123456789abcd")).toBe("…abcd");
    expect(maskSecret("short")).toBe("…");
  });
});

describe("request bodies", () => {
  it("accepts each format with its own fields", () => {
    expect(ZCreateEndpoint.parse({ format: "slack", name: "ops", url: "https://hooks.slack.com/services/x" })).toMatchObject({
      format: "slack",
    });
    expect(
      ZCreateEndpoint.parse({ format: "pagerduty", name: "pd", routingKey: "rk", events: ["incident.opened", "incident.opened"] }),
    ).toMatchObject({
      events: ["incident.opened"],
    });
  });
  it("says which field is wrong", () => {
    const msg = (body: unknown) => {
      const r = ZCreateEndpoint.safeParse(body);
      return r.success ? "ok" : issuesMessage(r.error.issues);
    };
    expect(msg({ format: "slack", name: "x", url: "ftp://x" })).toBe("url: must be an http:// or https:// URL");
    expect(msg({ format: "teams", name: "x", url: "https://x" })).toBe("format: one of cloudevents, slack, pagerduty");
    expect(msg({ format: "pagerduty", name: "x" })).toBe("routingKey: the integration's routing key is required");
    expect(msg({ format: "cloudevents", name: "x", url: "https://x", secret: "short" })).toBe("secret: at least 16 characters");
    expect(msg({ format: "slack", name: "x", url: "https://x", events: ["node.born"] })).toMatch(/^events: each one of incident.opened/);
    expect(msg({ format: "slack", name: "x", url: "https://x", extra: 1 })).toMatch(/extra/);
    expect(ZUpdateEndpoint.safeParse({ secret: null }).success).toBe(true);
  });
});

describe("summarize: workloads recovered", () => {
  it("names the first five of one evaluation's workloads and counts the rest", () => {
    const workloads = Array.from({ length: 7 }, (_, i) => ({
      kind: "Deployment",
      namespace: "ns",
      name: `web-${i}`,
      desired: 1,
      ready: 1,
    }));
    const n = { ...base, type: "workload.recovered" as const, payload: { count: 60, workloads } };
    expect(summarize(n)).toBe(
      "[prod] incident #42: Deployment ns/web-0, Deployment ns/web-1, Deployment ns/web-2, Deployment ns/web-3, Deployment ns/web-4 and 55 more whole again",
    );
  });
});
