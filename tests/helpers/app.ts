// The real dashboard (next start on the production build) against a lab, with its own database.
// Every API route needs credentials: startTestApp creates an admin API token on the test database
// before the server starts and returns helpers that send it as `Authorization: Bearer`.
import { randomBytes, randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { TRole } from "@/lib/auth/roles";
import { createApiToken, createUser } from "@/lib/auth/users";
import { databaseKind } from "@/lib/database-kind";
import { createDb } from "@/lib/db";
import { startAppServer, type TAppServer } from "@/scripts/app-server";
import { freeLoopbackPorts } from "@/scripts/lab/processes";
import { freshDatabaseUrl } from "./database";
import { waitUntil } from "./wait";

/** This file's own migrated database: SQLite, or PostgreSQL in the postgres project. */
export async function testDatabase() {
  return { url: await freshDatabaseUrl() };
}

/** Runs `fn` with a short-lived Prisma client on the test database. */
export async function withDb<T>(databaseUrl: string, fn: (db: ReturnType<typeof createDb>) => Promise<T>): Promise<T> {
  const db = createDb(databaseUrl);
  try {
    return await fn(db);
  } finally {
    await db.$disconnect();
  }
}

/** A fresh API token on the test database (unique name), for `Authorization: Bearer`. */
export const createTestToken = (databaseUrl: string, role: TRole = "admin") =>
  withDb(databaseUrl, async (db) => (await createApiToken({ db, name: `test-${role}-${randomUUID().slice(0, 8)}`, role })).token);

/** A fresh user on the test database; returns the email and password to sign in with. */
export const createTestUser = (databaseUrl: string, role: TRole) =>
  withDb(databaseUrl, async (db) => {
    const email = `${role}-${randomUUID().slice(0, 8)}@test.node-rescue.dev`;
    const { password } = await createUser({ db, email, role });
    return { email, password };
  });

export type TTestApp = TAppServer & {
  /** The admin API token the helpers send. */
  token: string;
  /** fetch(app.url + path) with the token (init.headers may override it). */
  fetch: (path: string, init?: RequestInit) => Promise<Response>;
  /** GET a JSON route with the token; throws on a non-2xx answer. */
  // biome-ignore lint/suspicious/noExplicitAny: tests read loosely typed JSON, as the old helper did
  getJson: <T = any>(path: string) => Promise<T>;
};

export async function startTestApp(opts: {
  kubeconfig: string;
  databaseUrl: string;
  cluster?: string;
  port?: number;
  env?: Record<string, string | undefined>;
  wrap?: Parameters<typeof startAppServer>[0]["wrap"];
}): Promise<TTestApp> {
  const port = opts.port ?? (await freeLoopbackPorts(1))[0];
  if (port === undefined) throw new Error("no free port");
  const token = await createTestToken(opts.databaseUrl, "admin");
  const server = await startAppServer({
    port,
    wrap: opts.wrap,
    env: {
      KUBECONFIG: opts.kubeconfig,
      DATABASE_URL: opts.databaseUrl,
      // On PostgreSQL there is no directory to keep a generated secret in: production passes it
      // from a Secret, and so does this.
      NODE_RESCUE_SECRET: databaseKind(opts.databaseUrl) === "postgresql" ? randomBytes(32).toString("base64url") : undefined,
      NODE_RESCUE_CLUSTER_NAME: opts.cluster ?? "test",
      // Vitest sets TEST=true, and better-auth in "test mode" skips its origin (CSRF) check and
      // rate-limits everyone as 127.0.0.1: the server under test must run as in production.
      TEST: undefined,
      VITEST: undefined,
      ...opts.env,
    },
  });
  const authedFetch = (path: string, init: RequestInit = {}) =>
    fetch(`${server.url}${path}`, {
      ...init,
      headers: { Authorization: `Bearer ${token}`, ...(init.headers as Record<string, string> | undefined) },
    });
  return Object.assign(server, {
    token,
    fetch: authedFetch,
    // biome-ignore lint/suspicious/noExplicitAny: see TTestApp
    getJson: async <T = any>(path: string): Promise<T> => {
      const res = await authedFetch(path);
      if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    },
  });
}

/**
 * POST a better-auth endpoint as the dashboard's own page would (same Origin), waiting out
 * better-auth's real sign-in limiter (3 per 10 s; one bucket for all callers of a test server).
 */
export async function postAuth(appUrl: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(`${appUrl}${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Origin: appUrl, ...headers },
      body: JSON.stringify(body),
    });
    if (res.status !== 429 || attempt >= 5) return res;
    await sleep((Number(res.headers.get("x-retry-after")) || 1) * 1_000);
  }
}

/** The session cookie a better-auth answer sets, as a Cookie header ("" when it sets none). */
export const sessionCookieFrom = (res: Response) =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0] ?? "")
    .filter((c) => c.includes("session_token=") && !c.endsWith("="))
    .join("; ");

/** The name of a node the dashboard shows Ready, once it does. */
export async function readyNodeName(app: TTestApp): Promise<string> {
  const node = await waitUntil(
    "a Ready node in /api/nodes",
    async () => (await app.getJson<{ nodes: Array<{ name: string; state: string }> }>("/api/nodes")).nodes.find((n) => n.state === "Ready"),
    60_000,
  );
  return node.name;
}
