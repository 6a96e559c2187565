// Authentication on the real server (next start, real SQLite, a one-node lab): every JSON API
// route refuses callers without valid credentials; tokens, sessions from a real sign-in, the CLI's
// token, disabling / enabling / deleting a person at the CLI and the demo login page all work as
// documented.
import { spawn, spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { userInfo } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TOKEN_RECHECK_MS } from "@/lib/auth/api-token";
import { ensureDemoUsers } from "@/lib/auth/demo-users";
import { ACCOUNT_DISABLED_CODE, ACCOUNT_DISABLED_MESSAGE } from "@/lib/auth/disabled";
import { createApiToken, revokeApiToken } from "@/lib/auth/users";
import { REPO } from "@/scripts/app-server";
import {
  createTestToken,
  createTestUser,
  postAuth,
  sessionCookieFrom,
  startTestApp,
  type TTestApp,
  testDatabase,
  withDb,
} from "../../helpers/app";
import { startTestLab } from "../../helpers/lab";
import { waitUntil } from "../../helpers/wait";

type TRoute = { path: string; methods: string[] };

/** Every route handler under app/api except better-auth's own and the public /api/health. */
function jsonApiRoutes(node: string): TRoute[] {
  const root = join(REPO, "app", "api");
  const found: TRoute[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === "route.ts") {
        const rel = relative(root, dir);
        if (rel === "health" || rel.startsWith("auth")) continue;
        const source = readFileSync(full, "utf8");
        const methods = [...source.matchAll(/export (?:const|async function|function) (GET|POST|PUT|PATCH|DELETE)\b/g)].map(
          (m) => m[1] as string,
        );
        found.push({ path: `/api/${rel.replaceAll("[name]", node).replaceAll("[action]", "cordon")}`, methods });
      }
    }
  };
  walk(root);
  return found.sort((a, b) => a.path.localeCompare(b.path));
}

describe("authentication and authorization on the API", () => {
  let lab: Awaited<ReturnType<typeof startTestLab>>;
  let app: TTestApp;
  let database: Awaited<ReturnType<typeof testDatabase>>;
  let node: string;
  let routes: TRoute[];
  let viewerToken: string;
  let revokedToken: string;
  let viewer: { email: string; password: string };
  const sessionCount = () => withDb(database.url, (db) => db.session.count());

  beforeAll(async () => {
    lab = await startTestLab({ scenario: "empty", nodes: 1 });
    database = await testDatabase();
    viewer = await createTestUser(database.url, "viewer");
    viewerToken = await createTestToken(database.url, "viewer");
    revokedToken = await withDb(database.url, async (db) => {
      const { token } = await createApiToken({ db, name: "soon-revoked", role: "admin" });
      await revokeApiToken({ db, name: "soon-revoked" });
      return token;
    });
    app = await startTestApp({ kubeconfig: lab.kubeconfig, databaseUrl: database.url });
    const view = await waitUntil(
      "the lab's node in /api/nodes",
      async () => {
        const v = await app.getJson<{ nodes: Array<{ name: string }> }>("/api/nodes");
        return v.nodes[0] ? v : null;
      },
      60_000,
    );
    node = view.nodes[0]?.name ?? "";
    routes = jsonApiRoutes(node);
  });
  afterAll(async () => {
    await app?.stop();
    await lab?.down();
  });

  const everyCall = () => routes.flatMap((r) => r.methods.map((method) => ({ method, path: r.path })));
  const call = (method: string, path: string, headers: Record<string, string> = {}) =>
    fetch(`${app.url}${path}`, {
      method,
      headers: { "Content-Type": "application/json", ...headers },
      body: method === "GET" ? undefined : JSON.stringify({ confirm: node, reason: "test" }),
    });

  it("finds the JSON routes to check", () => {
    const paths = routes.map((r) => r.path);
    expect(paths).toEqual(expect.arrayContaining(["/api/events", "/api/nodes", `/api/nodes/${node}`, "/api/overview", "/api/transitions"]));
    console.log(
      `checking ${everyCall().length} route/method pairs: ${everyCall()
        .map((c) => `${c.method} ${c.path}`)
        .join(", ")}`,
    );
  });

  it("every JSON API route answers 401 without credentials", async () => {
    for (const { method, path } of everyCall()) {
      const res = await call(method, path);
      expect(`${method} ${path} ${res.status}`).toBe(`${method} ${path} 401`);
      expect((await res.json()).error).toEqual({ code: "unauthorized", message: "sign in or send an API token" });
    }
  });

  /** `call` from another loopback source address: anonymous refusals are limited per address. */
  const callFrom = (localAddress: string, method: string, path: string, headers: Record<string, string>) =>
    new Promise<{ status: number }>((resolve, reject) => {
      // A declared length, as fetch sends: the server answers a refusal before reading a body and
      // closes a connection whose chunked body is still arriving.
      const body = method === "GET" ? undefined : JSON.stringify({ confirm: node, reason: "test" });
      const length: Record<string, string> = body ? { "Content-Length": String(Buffer.byteLength(body)) } : {};
      const req = httpRequest(
        `${app.url}${path}`,
        { method, localAddress, agent: false, headers: { "Content-Type": "application/json", ...length, ...headers } },
        (res) => {
          res.resume();
          res.on("end", () => resolve({ status: res.statusCode ?? 0 }));
        },
      );
      req.on("error", reject);
      req.end(body);
    });

  it("every JSON API route answers 401 with a bad, a revoked or a malformed token", async () => {
    const variants = ["Bearer nrt_not-a-real-token", `Bearer ${revokedToken}`, `Basic ${Buffer.from("a:b").toString("base64")}`, "Bearer"];
    // Each variant from its own address, so that together they stay under the anonymous limit.
    for (const [i, authorization] of variants.entries()) {
      for (const { method, path } of everyCall()) {
        const res = await callFrom(`127.0.0.${11 + i}`, method, path, { Authorization: authorization });
        expect(`${method} ${path} [${authorization.slice(0, 12)}] ${res.status}`).toBe(
          `${method} ${path} [${authorization.slice(0, 12)}] 401`,
        );
      }
    }
  });

  it("a viewer token can read, and gets 403 for an operator's action; its use is recorded", async () => {
    const auth = { Authorization: `Bearer ${viewerToken}` };
    for (const path of ["/api/nodes", `/api/nodes/${node}`, "/api/overview", "/api/transitions"]) {
      const res = await call("GET", path, auth);
      expect(`${path} ${res.status}`).toBe(`${path} 200`);
    }
    const action = await call("POST", `/api/nodes/${node}/actions/cordon`, auth);
    expect(action.status).toBe(403);
    expect((await action.json()).error.message).toBe("viewer may not node.cordon; needs operator");
    const row = await withDb(database.url, (db) => db.apiToken.findFirstOrThrow({ where: { role: "viewer" } }));
    expect(row.lastUsedAt).toBeInstanceOf(Date);
  });

  it("a token revoked while in use stops working within TOKEN_RECHECK_MS, and for good", async () => {
    const token = await withDb(database.url, async (db) => (await createApiToken({ db, name: "revoked-in-use", role: "viewer" })).token);
    const auth = { Authorization: `Bearer ${token}` };
    expect((await call("GET", "/api/nodes", auth)).status).toBe(200);
    await withDb(database.url, (db) => revokeApiToken({ db, name: "revoked-in-use" }));
    const revokedAt = Date.now();
    await waitUntil("the revoked token refused", async () => (await call("GET", "/api/nodes", auth)).status === 401, 5_000, 50);
    // A generous margin over the 1 s recheck: CI machines stall; the point is seconds, not minutes.
    expect(Date.now() - revokedAt).toBeLessThan(TOKEN_RECHECK_MS + 1_500);
    for (let i = 0; i < 5; i++) expect((await call("GET", "/api/overview", auth)).status).toBe(401);
  });

  it("/api/health is public but says only ok + connected status without credentials", async () => {
    const anonymous = await (await fetch(`${app.url}/api/health`)).json();
    expect(anonymous).toEqual({ ok: true, cluster: { connected: true, status: "connected" } });
    const full = await app.getJson("/api/health");
    expect(full.cluster).toMatchObject({ connected: true, status: "connected", name: "test" });
    expect(full.monitor).toBeTruthy();
  });

  it("a wrong password gets 401 from better-auth and no session", async () => {
    const before = await sessionCount();
    const res = await fetch(`${app.url}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Origin: app.url },
      body: JSON.stringify({ email: viewer.email, password: "definitely-not-it" }),
    });
    expect(res.status).toBe(401);
    expect(sessionCookieFrom(res)).toBe("");
    expect(await sessionCount()).toBe(before);
  });

  it("sign-up over HTTP is refused", async () => {
    const res = await fetch(`${app.url}/api/auth/sign-up/email`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Origin: app.url },
      body: JSON.stringify({ email: "intruder@example.com", password: "a-long-enough-password", name: "intruder", role: "admin" }),
    });
    expect(res.status).toBe(400);
    expect((await res.json()).message).toMatch(/sign up is not enabled/i);
    expect(await withDb(database.url, (db) => db.user.count({ where: { email: "intruder@example.com" } }))).toBe(0);
  });

  it("a session cookie from a real sign-in works on /api/nodes, and stops working after sign-out", async () => {
    const res = await fetch(`${app.url}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Origin: app.url },
      body: JSON.stringify({ email: viewer.email, password: viewer.password }),
    });
    expect(res.status).toBe(200);
    const cookie = sessionCookieFrom(res);
    expect(cookie).toMatch(/session_token=/);
    expect(res.headers.getSetCookie().join("\n")).toMatch(/HttpOnly/i);
    const nodes = await fetch(`${app.url}/api/nodes`, { headers: { Cookie: cookie } });
    expect(nodes.status).toBe(200);
    expect((await nodes.json()).nodes.map((n: { name: string }) => n.name)).toEqual([node]);
    // The session is the viewer: an operator action is refused with the role named.
    const action = await call("POST", `/api/nodes/${node}/actions/cordon`, { Cookie: cookie });
    expect(action.status).toBe(403);
    // Pages render for the signed-in user; without the cookie they redirect to the login page.
    const page = await fetch(`${app.url}/transitions`, { headers: { Cookie: cookie }, redirect: "manual" });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(viewer.email);
    const anonymousPage = await fetch(`${app.url}/transitions`, { redirect: "manual" });
    expect(anonymousPage.status).toBe(307);
    expect(anonymousPage.headers.get("location")).toBe("/login?next=%2Ftransitions");
    // A forged cookie passes proxy.ts's convenience check but not the server-side check.
    const forged = await fetch(`${app.url}/transitions`, {
      headers: { Cookie: cookie.replace(/=([^.;]+)/, "=forged") },
      redirect: "manual",
    });
    expect(forged.status).toBe(307);
    expect(forged.headers.get("location")).toBe("/login?next=%2Ftransitions");

    // A cross-site page cannot use the cookie (better-auth's origin check; same-origin here).
    const csrf = await fetch(`${app.url}/api/auth/sign-out`, {
      method: "POST",
      headers: { Cookie: cookie, Origin: "http://evil.example", "Content-Type": "application/json" },
      body: "{}",
    });
    expect(csrf.status).toBe(403);
    expect((await fetch(`${app.url}/api/nodes`, { headers: { Cookie: cookie } })).status).toBe(200);
    const out = await fetch(`${app.url}/api/auth/sign-out`, {
      method: "POST",
      headers: { Cookie: cookie, Origin: app.url, "Content-Type": "application/json" },
      body: "{}",
    });
    expect(out.status).toBe(200);
    expect((await fetch(`${app.url}/api/nodes`, { headers: { Cookie: cookie } })).status).toBe(401);
  });

  it("without NODE_RESCUE_BASE_URL the server says once that it trusts the Host header; better-auth's notice is gone", () => {
    // better-auth has started by now (the sign-ins above): its notice would have been logged.
    const log = app.output.join("");
    expect(log.match(/NODE_RESCUE_BASE_URL is not set: sign-in trusts each request's Host header/g)).toHaveLength(1);
    expect(log).not.toContain("Base URL is not set");
  });

  it("`npm run users -- token` prints a working token as the last line of stdout", async () => {
    const r = spawnSync("npm", ["run", "users", "--", "token", "--name", "cli-made", "--role", "viewer"], {
      cwd: REPO,
      env: { ...process.env, DATABASE_URL: database.url },
      encoding: "utf8",
    });
    expect(r.status, r.stderr).toBe(0);
    const token = r.stdout.trimEnd().split("\n").at(-1) ?? "";
    expect(token).toMatch(/^nrt_/);
    const res = await fetch(`${app.url}/api/nodes`, { headers: { Authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const dup = spawnSync("npm", ["run", "users", "--", "token", "--name", "cli-made", "--role", "viewer"], {
      cwd: REPO,
      env: { ...process.env, DATABASE_URL: database.url },
      encoding: "utf8",
    });
    expect(dup.status).toBe(2);
    expect(dup.stderr).toMatch(/a token named cli-made already exists/);
  });

  describe("revoking a person at the CLI", () => {
    const signIn = (email: string, password: string) => postAuth(app.url, "/api/auth/sign-in/email", { email, password });
    // Asynchronous on purpose: a blocked event loop (spawnSync) keeps undici from noticing that
    // the server closed an idle keep-alive socket, and the next fetch fails on it.
    const users = (...args: string[]) =>
      new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
        const child = spawn("npx", ["tsx", "scripts/users.ts", ...args], {
          cwd: REPO,
          env: { ...process.env, DATABASE_URL: database.url, NODE_RESCUE_CLUSTER_NAME: "test" },
        });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (b: Buffer) => {
          stdout += b;
        });
        child.stderr.on("data", (b: Buffer) => {
          stderr += b;
        });
        child.on("error", reject);
        child.on("close", (status) => resolve({ status, stdout, stderr }));
      });
    const nodesWith = async (cookie: string) => (await fetch(`${app.url}/api/nodes`, { headers: { Cookie: cookie } })).status;
    let person: { email: string; password: string };
    beforeAll(async () => {
      person = await createTestUser(database.url, "operator");
    });

    it("disable ends their sessions at once and refuses their sign-in; enable lets them back; delete removes them", async () => {
      const first = await signIn(person.email, person.password);
      expect(first.status).toBe(200);
      const cookie = sessionCookieFrom(first);
      expect(await nodesWith(cookie)).toBe(200);

      const disabled = await users("disable", "--email", person.email);
      expect(disabled.status, disabled.stderr).toBe(0);
      expect(disabled.stdout).toMatch(new RegExp(`disabled ${person.email} .*: 1 session\\(s\\) ended, sign-in refused`));
      // The very next request with the same cookie: 401 on the API, the login page for pages.
      expect(await nodesWith(cookie)).toBe(401);
      const page = await fetch(`${app.url}/transitions`, { headers: { Cookie: cookie }, redirect: "manual" });
      expect(page.status).toBe(307);
      expect(page.headers.get("location")).toBe("/login?next=%2Ftransitions");

      const refused = await signIn(person.email, person.password);
      expect(refused.status).toBe(403);
      expect(await refused.json()).toMatchObject({ code: ACCOUNT_DISABLED_CODE, message: ACCOUNT_DISABLED_MESSAGE });
      expect(sessionCookieFrom(refused)).toBe("");
      const row = await withDb(database.url, (db) =>
        db.user.findUniqueOrThrow({ where: { email: person.email }, include: { sessions: true } }),
      );
      expect(row.disabledAt).toBeInstanceOf(Date);
      expect(row.sessions).toEqual([]);
      expect((await users("list")).stdout).toMatch(new RegExp(`${person.email} +operator .*DISABLED since `));

      const enabled = await users("enable", "--email", person.email);
      expect(enabled.status, enabled.stderr).toBe(0);
      const again = await signIn(person.email, person.password);
      expect(again.status).toBe(200);
      const newCookie = sessionCookieFrom(again);
      expect(await nodesWith(newCookie)).toBe(200);
      expect(await nodesWith(cookie)).toBe(401); // the old session stays gone

      const deleted = await users("delete", "--email", person.email);
      expect(deleted.status, deleted.stderr).toBe(0);
      expect(await nodesWith(newCookie)).toBe(401);
      expect((await signIn(person.email, person.password)).status).toBe(401);
      const left = await withDb(database.url, async (db) => ({
        users: await db.user.count({ where: { email: person.email } }),
        sessions: await db.session.count({ where: { userId: row.id } }),
        accounts: await db.account.count({ where: { userId: row.id } }),
      }));
      expect(left).toEqual({ users: 0, sessions: 0, accounts: 0 });

      // One audit row per CLI action, by the OS user, under the cluster the dashboard shows.
      const audit = await withDb(database.url, (db) => db.auditEvent.findMany({ where: { target: person.email }, orderBy: { id: "asc" } }));
      expect(audit.map((a) => a.action)).toEqual(["user.disable", "user.enable", "user.delete"]);
      for (const a of audit) {
        expect(a).toMatchObject({
          phase: "outcome",
          outcome: "succeeded",
          cluster: "test",
          targetKind: "User",
          actorKind: "cli",
          actorId: null,
          actorName: userInfo().username,
        });
      }
      expect(new Set(audit.map((a) => a.actionId)).size).toBe(3);
      const shown = await app.getJson<{ items: Array<{ action: string; target: string }> }>("/api/audit");
      expect(shown.items.filter((i) => i.target === person.email).map((i) => i.action)).toEqual(
        expect.arrayContaining(["user.disable", "user.enable", "user.delete"]),
      );
    });

    it("a session that outlived the disabling (a race) is refused by the guard", async () => {
      const someone = await createTestUser(database.url, "viewer");
      const res = await signIn(someone.email, someone.password);
      expect(res.status).toBe(200);
      const cookie = sessionCookieFrom(res);
      expect(await nodesWith(cookie)).toBe(200);
      // Only the column, as if the session had been created after the CLI deleted the others.
      await withDb(database.url, (db) => db.user.update({ where: { email: someone.email }, data: { disabledAt: new Date() } }));
      expect(await withDb(database.url, (db) => db.session.count({ where: { user: { email: someone.email } } }))).toBe(1);
      expect(await nodesWith(cookie)).toBe(401);
    });

    it("set-role is audited; an unknown email is a clear error with a non-zero exit", async () => {
      const someone = await createTestUser(database.url, "viewer");
      const promoted = await users("set-role", "--email", someone.email, "--role", "admin");
      expect(promoted.status, promoted.stderr).toBe(0);
      const row = await withDb(database.url, (db) => db.auditEvent.findFirstOrThrow({ where: { target: someone.email } }));
      expect(row).toMatchObject({ action: "user.set-role", actorKind: "cli", outcome: "succeeded", message: "role viewer → admin" });
      for (const command of ["disable", "enable", "delete", "set-role"]) {
        const r = await users(command, "--email", "nobody@example.com", ...(command === "set-role" ? ["--role", "viewer"] : []));
        expect(`${command} ${r.status}`).toBe(`${command} 2`);
        expect(r.stderr).toContain("users: no user with email nobody@example.com");
      }
      expect((await users("disable")).stderr).toMatch(/--email is required/);
    });
  });

  it("the login page shows demo credentials only in demo mode", async () => {
    const demo = await withDb(database.url, (db) => ensureDemoUsers({ db, databaseUrl: database.url }));
    const normal = await (await fetch(`${app.url}/login`)).text();
    expect(normal).toContain('data-testid="login-form"');
    expect(normal).not.toContain("demo.node-rescue.dev");
    expect(normal).not.toContain('data-testid="demo-credentials"');
    for (const c of demo) expect(normal).not.toContain(c.password);

    const demoApp = await startTestApp({ kubeconfig: lab.kubeconfig, databaseUrl: database.url, env: { NODE_RESCUE_DEMO: "1" } });
    try {
      const html = await (await fetch(`${demoApp.url}/login`)).text();
      expect(html).toContain('data-testid="demo-credentials"');
      for (const c of demo) {
        expect(html).toContain(c.email);
        expect(html).toContain(c.password);
      }
      // And they work.
      const admin = demo.find((c) => c.role === "admin");
      const res = await fetch(`${demoApp.url}/api/auth/sign-in/email`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Origin: demoApp.url },
        body: JSON.stringify({ email: admin?.email, password: admin?.password }),
      });
      expect(res.status).toBe(200);
      expect((await res.json()).user.role).toBe("admin");
    } finally {
      await demoApp.stop();
    }
  });
});
