// The running server under attack, as a hostile page, a forger of headers and a flooder would
// try it: each case asserts the refusal, the audit row it leaves (or that it leaves none) and
// that the cluster did not change. One-node lab, real sign-in cookies, real SQLite.
import { request as httpRequest } from "node:http";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ANONYMOUS_LIMIT_PER_MINUTE } from "@/lib/audit/anonymous";
import { MAX_STREAMS_PER_ACTOR } from "@/lib/http/stream-slots";
import {
  createTestToken,
  createTestUser,
  readyNodeName,
  sessionCookieFrom,
  startTestApp,
  type TTestApp,
  testDatabase,
  withDb,
} from "../../helpers/app";
import { startTestLab } from "../../helpers/lab";
import { waitUntil } from "../../helpers/wait";

/** A raw HTTP/1.1 request: undici's fetch refuses to send some headers (Host, oversize ones). */
function rawRequest(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string | Buffer; chunks?: Buffer[] }) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = httpRequest(url, { method: opts.method ?? "GET", headers: opts.headers, agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c) => {
        body += c;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      res.on("error", reject);
    });
    req.on("error", (err) => {
      // The server may close the connection right after its answer to an oversize upload.
      if ((err as NodeJS.ErrnoException).code === "EPIPE" || (err as NodeJS.ErrnoException).code === "ECONNRESET") return;
      reject(err);
    });
    if (opts.chunks) {
      const write = (i: number) => {
        if (i >= (opts.chunks?.length ?? 0) || req.destroyed) return req.end();
        req.write(opts.chunks?.[i], () => setImmediate(() => write(i + 1)));
      };
      write(0);
    } else req.end(opts.body);
  });
}

describe("the server under attack", () => {
  let lab: Awaited<ReturnType<typeof startTestLab>>;
  let app: TTestApp;
  let database: Awaited<ReturnType<typeof testDatabase>>;
  let node: string;
  let core: CoreV1Api;
  let adminCookie: string;
  let viewerToken: string;
  const auditRows = () => withDb(database.url, (db) => db.auditEvent.findMany({ orderBy: { id: "asc" } }));
  const newRows = async (before: number) => (await auditRows()).slice(before);
  const unschedulable = async () => (await core.readNode({ name: node })).spec?.unschedulable ?? false;
  const body = () => JSON.stringify({ confirm: node, reason: "attack test of node-rescue" });
  const cordonUrl = () => `${app.url}/api/nodes/${node}/actions/cordon`;

  beforeAll(async () => {
    lab = await startTestLab({ scenario: "empty", nodes: 1 });
    database = await testDatabase();
    const admin = await createTestUser(database.url, "admin");
    viewerToken = await createTestToken(database.url, "viewer");
    app = await startTestApp({ kubeconfig: lab.kubeconfig, databaseUrl: database.url });
    const kc = new KubeConfig();
    kc.loadFromFile(lab.kubeconfig);
    core = kc.makeApiClient(CoreV1Api);
    node = await readyNodeName(app);
    const signIn = await fetch(`${app.url}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Origin: app.url },
      body: JSON.stringify({ email: admin.email, password: admin.password }),
    });
    expect(signIn.status).toBe(200);
    adminCookie = sessionCookieFrom(signIn);
    expect(adminCookie).toMatch(/session_token=/);
  });
  afterAll(async () => {
    await app?.stop();
    await lab?.down();
  });

  describe("cross-site request forgery", () => {
    const otherPort = () => `http://127.0.0.1:${app.port + 1}`;
    const forged: Array<[string, () => Record<string, string>, RegExp]> = [
      ["a foreign Origin", () => ({ Origin: "http://evil.example", "Content-Type": "application/json" }), /Origin http:\/\/evil\.example/],
      ["Origin null", () => ({ Origin: "null", "Content-Type": "application/json" }), /Origin null/],
      ["no Origin", () => ({ "Content-Type": "application/json" }), /no Origin/],
      [
        "another port on the same host",
        () => ({ Origin: otherPort(), "Content-Type": "application/json" }),
        /is not http:\/\/127\.0\.0\.1/,
      ],
      [
        "Sec-Fetch-Site cross-site",
        () => ({ Origin: app.url, "Sec-Fetch-Site": "cross-site", "Content-Type": "application/json" }),
        /cross-site/,
      ],
      [
        "Sec-Fetch-Site same-site",
        () => ({ Origin: app.url, "Sec-Fetch-Site": "same-site", "Content-Type": "application/json" }),
        /same-site/,
      ],
      ["a form's text/plain body", () => ({ Origin: app.url, "Content-Type": "text/plain" }), /application\/json/],
    ];

    it.each(forged)("refuses an admin's cookie with %s: 403, audited with the origin, node unchanged", async (_what, headers, message) => {
      const before = (await auditRows()).length;
      const res = await fetch(cordonUrl(), { method: "POST", headers: { Cookie: adminCookie, ...headers() }, body: body() });
      expect(res.status).toBe(403);
      expect((await res.json()).error.message).toMatch(message);
      const rows = await newRows(before);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ phase: "outcome", outcome: "refused", actorKind: "user", actorRole: "admin", action: "node.cordon" });
      expect(rows[0]?.origin ?? null).toBe(headers().Origin ?? null);
      expect(rows[0]?.message).toMatch(message);
      expect(await unschedulable()).toBe(false);
    });

    it("accepts the dashboard's own pages (same origin, JSON) and records their origin", async () => {
      const before = (await auditRows()).length;
      const res = await fetch(cordonUrl(), {
        method: "POST",
        headers: { Cookie: adminCookie, Origin: app.url, "Sec-Fetch-Site": "same-origin", "Content-Type": "application/json" },
        body: body(),
      });
      expect(res.status).toBe(200);
      expect(await unschedulable()).toBe(true);
      const rows = await newRows(before);
      expect(rows.map((r) => [r.phase, r.outcome, r.origin])).toEqual([
        ["intent", null, app.url],
        ["outcome", "succeeded", app.url],
      ]);
      const undo = await fetch(`${app.url}/api/nodes/${node}/actions/uncordon`, {
        method: "POST",
        headers: { Cookie: adminCookie, Origin: app.url, "Content-Type": "application/json" },
        body: body(),
      });
      expect(undo.status).toBe(200);
      expect(await unschedulable()).toBe(false);
    });

    it("keeps bearer tokens usable from scripts (no Origin needed)", async () => {
      const res = await fetch(`${app.url}/api/nodes/${node}/actions/uncordon`, {
        method: "POST",
        headers: { Authorization: `Bearer ${app.token}`, "Content-Type": "application/json" },
        body: body(),
      });
      expect(res.status).toBe(200);
    });

    it("refuses a sign-in posted from another origin, and creates no session", async () => {
      const sessions = () => withDb(database.url, (db) => db.session.count());
      const before = await sessions();
      const res = await fetch(`${app.url}/api/auth/sign-in/email`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Origin: "http://evil.example" },
        body: JSON.stringify({ email: "nobody@example.com", password: "whatever-it-is" }),
      });
      expect(res.status).toBe(403);
      expect(await sessions()).toBe(before);
    });
  });

  describe("client addresses", () => {
    it("records the socket address, not forged forwarding headers", async () => {
      const before = (await auditRows()).length;
      const res = await fetch(cordonUrl(), {
        method: "POST",
        headers: {
          Authorization: `Bearer ${viewerToken}`,
          "Content-Type": "application/json",
          "X-Forwarded-For": "6.6.6.6",
          "X-Real-IP": "7.7.7.7",
          "X-Node-Rescue-Client-Address": "8.8.8.8",
        },
        body: body(),
      });
      expect(res.status).toBe(403);
      const [row] = await newRows(before);
      expect(row?.sourceIp).toBe("127.0.0.1");
    });

    it("does not give a fresh sign-in allowance to each forged X-Forwarded-For", async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        const res = await fetch(`${app.url}/api/auth/sign-in/email`, {
          method: "POST",
          headers: { "Content-Type": "application/json", Origin: app.url, "X-Forwarded-For": `203.0.113.${i + 1}` },
          body: JSON.stringify({ email: "guess@example.com", password: `guess-number-${i}` }),
        });
        statuses.push(res.status);
      }
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(3);
    });
  });

  describe("floods and size limits", () => {
    it("counts anonymous refusals per source and minute instead of a row each, and answers 429 past the limit", async () => {
      const auditBefore = (await auditRows()).length;
      const total = ANONYMOUS_LIMIT_PER_MINUTE + 10;
      const statuses: number[] = [];
      const longAgent = `flood/${"x".repeat(6000)}`;
      for (let i = 0; i < total; i++) {
        const res = await fetch(cordonUrl(), {
          method: "POST",
          headers: { "Content-Type": "application/json", "User-Agent": longAgent },
          body: body(),
        });
        statuses.push(res.status);
      }
      // Two minutes may be touched; each allows the limit again.
      expect(statuses.filter((s) => s === 401).length).toBeGreaterThanOrEqual(ANONYMOUS_LIMIT_PER_MINUTE);
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
      expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
      const buckets = await waitUntil(
        "the anonymous refusal buckets flushed",
        () =>
          withDb(database.url, async (db) => {
            const rows = await db.anonymousRefusal.findMany({ where: { action: "node.cordon" } });
            return rows.reduce((n, r) => n + r.count, 0) >= total ? rows : null;
          }),
        30_000,
      );
      expect(buckets.length).toBeLessThanOrEqual(2);
      expect(buckets.every((b) => b.sourceIp === "127.0.0.1" && (b.userAgent?.length ?? 0) === 512)).toBe(true);
      expect(await newRows(auditBefore)).toHaveLength(0);
      // What the audit page and scripts see: the sum per source.
      const summary = await app.getJson("/api/audit/anonymous");
      expect(summary.sources).toEqual([expect.objectContaining({ sourceIp: "127.0.0.1", actions: ["node.cordon"] })]);
      expect(summary.total).toBeGreaterThanOrEqual(total);
    });

    it("caps the user agent stored in authenticated audit rows at 512 characters", async () => {
      const before = (await auditRows()).length;
      const res = await fetch(cordonUrl(), {
        method: "POST",
        headers: { Authorization: `Bearer ${viewerToken}`, "Content-Type": "application/json", "User-Agent": `long/${"y".repeat(6000)}` },
        body: body(),
      });
      expect(res.status).toBe(403);
      const [row] = await newRows(before);
      expect(row?.userAgent).toHaveLength(512);
    });

    it("refuses a declared body over 64 KiB before reading it", async () => {
      const big = JSON.stringify({ confirm: node, reason: "z".repeat(100_000) });
      const res = await rawRequest(cordonUrl(), {
        method: "POST",
        headers: { Authorization: `Bearer ${app.token}`, "Content-Type": "application/json", "Content-Length": String(big.length) },
        body: big,
      });
      expect(res.status).toBe(413);
      expect(await unschedulable()).toBe(false);
    });

    it("stops reading a chunked body at 64 KiB: 413, audited, node unchanged", async () => {
      const before = (await auditRows()).length;
      const chunks = Array.from({ length: 40 }, () => Buffer.alloc(4096, 0x20));
      const res = await rawRequest(cordonUrl(), {
        method: "POST",
        headers: { Authorization: `Bearer ${app.token}`, "Content-Type": "application/json", "Transfer-Encoding": "chunked" },
        chunks,
      });
      expect(res.status).toBe(413);
      const rows = await newRows(before);
      expect(rows.map((r) => [r.outcome, r.message])).toEqual([["refused", expect.stringMatching(/larger than 65536 bytes/)]]);
      expect(await unschedulable()).toBe(false);
    });

    it("caps sign-in bodies too", async () => {
      const chunks = Array.from({ length: 40 }, () => Buffer.alloc(4096, 0x20));
      const res = await rawRequest(`${app.url}/api/auth/sign-in/email`, {
        method: "POST",
        headers: { Origin: app.url, "Content-Type": "application/json", "Transfer-Encoding": "chunked" },
        chunks,
      });
      expect(res.status).toBe(413);
    });

    it("answers a request head over 8 KiB with 431, on any route and without credentials", async () => {
      for (const path of ["/login", "/api/health", "/api/nodes"]) {
        const res = await rawRequest(`${app.url}${path}`, { headers: { "User-Agent": "u".repeat(16_000) } });
        expect(res.status, path).toBe(431);
      }
    });

    it(`allows ${MAX_STREAMS_PER_ACTOR} event streams per token, refuses the next, and frees a slot when one closes`, async () => {
      const streams = Array.from({ length: MAX_STREAMS_PER_ACTOR }, () => new AbortController());
      const opened = await Promise.all(
        streams.map((c) => fetch(`${app.url}/api/events`, { headers: { Authorization: `Bearer ${viewerToken}` }, signal: c.signal })),
      );
      expect(opened.map((r) => r.status)).toEqual(streams.map(() => 200));
      const refused = await fetch(`${app.url}/api/events`, { headers: { Authorization: `Bearer ${viewerToken}` } });
      expect(refused.status).toBe(429);
      streams[0]?.abort();
      const again = await waitUntil("a freed stream slot", async () => {
        const r = await fetch(`${app.url}/api/events`, { headers: { Authorization: `Bearer ${viewerToken}` } });
        if (r.status === 200) return r;
        await r.body?.cancel();
        return null;
      });
      await again.body?.cancel();
      for (const c of streams) c.abort();
    });
  });

  describe("smaller ones", () => {
    it("answers an out-of-range cursor 400, not 500", async () => {
      const cursor = Buffer.from(JSON.stringify({ t: 1e20, i: 1 })).toString("base64url");
      for (const path of ["/api/transitions", "/api/audit"]) {
        const res = await app.fetch(`${path}?cursor=${cursor}`);
        expect(res.status, path).toBe(400);
      }
    });

    it("audits an unknown action slug", async () => {
      const before = (await auditRows()).length;
      const res = await fetch(`${app.url}/api/nodes/${node}/actions/reboot`, {
        method: "POST",
        headers: { Authorization: `Bearer ${app.token}`, "Content-Type": "application/json" },
        body: body(),
      });
      expect(res.status).toBe(404);
      const rows = await newRows(before);
      expect(rows.map((r) => [r.action, r.outcome])).toEqual([["unknown:reboot", "refused"]]);
    });

    it("refuses UPDATE and DELETE on the audit log in the database itself", async () => {
      const rows = await auditRows();
      expect(rows.length).toBeGreaterThan(0);
      await withDb(database.url, async (db) => {
        await expect(db.$executeRawUnsafe(`UPDATE "AuditEvent" SET "reason" = 'rewritten'`)).rejects.toThrow(/append-only/);
        await expect(db.$executeRawUnsafe(`DELETE FROM "AuditEvent"`)).rejects.toThrow(/append-only/);
      });
      expect(await auditRows()).toEqual(rows);
    });

    it("sends security headers: a nonce CSP on pages, a deny-all CSP elsewhere", async () => {
      const page = await fetch(`${app.url}/login`);
      const csp = page.headers.get("content-security-policy") ?? "";
      expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
      expect(csp).toContain("frame-ancestors 'none'");
      const nonce = /'nonce-([^']+)'/.exec(csp)?.[1] ?? "";
      expect(await page.text()).toContain(`nonce="${nonce}"`);
      for (const res of [page, await app.fetch("/api/nodes")]) {
        expect(res.headers.get("x-frame-options")).toBe("DENY");
        expect(res.headers.get("x-content-type-options")).toBe("nosniff");
        expect(res.headers.get("referrer-policy")).toBe("same-origin");
        expect(res.headers.get("strict-transport-security")).toBeNull();
      }
      expect((await app.fetch("/api/nodes")).headers.get("content-security-policy")).toContain("default-src 'none'");
    });
  });

  describe("behind a trusted proxy, without a cluster", () => {
    let proxied: TTestApp;
    beforeAll(async () => {
      proxied = await startTestApp({
        kubeconfig: "/nonexistent/kubeconfig",
        databaseUrl: database.url,
        env: { NODE_RESCUE_TRUSTED_PROXIES: "127.0.0.1, 10.0.0.0/8", NODE_RESCUE_BASE_URL: "https://rescue.example" },
      });
    });
    afterAll(async () => proxied?.stop());

    it("takes the rightmost untrusted hop as the client, and audits the no-cluster 503", async () => {
      const before = (await auditRows()).length;
      const res = await fetch(`${proxied.url}/api/nodes/${node}/actions/cordon`, {
        method: "POST",
        headers: {
          Authorization: `Bearer ${proxied.token}`,
          "Content-Type": "application/json",
          // forged by the client, then appended by two proxies of ours (10.x and the socket's 127.0.0.1)
          "X-Forwarded-For": "6.6.6.6, 198.51.100.7, 10.1.2.3",
        },
        body: body(),
      });
      expect(res.status).toBe(503);
      const rows = await newRows(before);
      expect(rows.map((r) => [r.outcome, r.sourceIp])).toEqual([["refused", "198.51.100.7"]]);
    });

    it("sends HSTS when the public URL is https, and trusts only that origin", async () => {
      const res = await proxied.fetch("/api/nodes");
      expect(res.headers.get("strict-transport-security")).toMatch(/max-age=\d+/);
      const csrf = await fetch(`${proxied.url}/api/auth/sign-in/email`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Origin: proxied.url },
        body: JSON.stringify({ email: "a@example.com", password: "whatever-it-is" }),
      });
      expect(csrf.status).toBe(403);
    });
  });
});
