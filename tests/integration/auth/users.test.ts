// lib/auth/users, the demo users and the persisted secret, on a real database (no server): the
// project's (SQLite, or PostgreSQL in the postgres project); the demo's is SQLite by definition
// (its passwords are kept beside the file).
import { existsSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { verifyPassword } from "better-auth/crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashApiToken } from "@/lib/auth/api-token";
import { DEMO_USERS, demoCredentialsFile, ensureDemoUsers } from "@/lib/auth/demo-users";
import { loadOrCreateSecretFile } from "@/lib/auth/secret";
import { createApiToken, createUser, listApiTokens, listUsers, revokeApiToken, setUserRole, UserInputError } from "@/lib/auth/users";
import { createDb, type TDb } from "@/lib/db";
import { migrateDatabase } from "@/scripts/migrate";
import { testDatabase } from "../../helpers/app";

describe("users and API tokens (lib/auth/users)", () => {
  let db: TDb;
  let database: Awaited<ReturnType<typeof testDatabase>>;
  beforeAll(async () => {
    database = await testDatabase();
    db = createDb(database.url);
  });
  afterAll(async () => {
    await db?.$disconnect();
  });

  it("creates a user with a credential account better-auth can verify", async () => {
    const { user, password } = await createUser({ db, email: "Ops@Example.com", role: "operator" });
    expect(user).toMatchObject({ email: "ops@example.com", role: "operator" });
    expect(password.length).toBeGreaterThanOrEqual(20);
    const account = await db.account.findFirstOrThrow({ where: { userId: user.id, providerId: "credential" } });
    expect(account.password).not.toContain(password);
    expect(await verifyPassword({ hash: account.password ?? "", password })).toBe(true);
  });

  it("refuses a bad email, an unknown role, a short password and a duplicate, with clear messages", async () => {
    await expect(createUser({ db, email: "not-an-email", role: "viewer" })).rejects.toThrow(/email: not a valid email/);
    await expect(createUser({ db, email: "x@example.com", role: "root" })).rejects.toThrow(
      /role: "root" is not one of viewer, operator, admin/,
    );
    await expect(createUser({ db, email: "x@example.com", role: "viewer", password: "short" })).rejects.toThrow(/password: at least 12/);
    await expect(createUser({ db, email: "OPS@example.com", role: "viewer" })).rejects.toThrow(/already exists/);
    await expect(createUser({ db, email: "x@example.com", role: "root" })).rejects.toBeInstanceOf(UserInputError);
  });

  it("changes a role", async () => {
    await setUserRole({ db, email: "ops@example.com", role: "admin" });
    expect((await listUsers({ db })).find((u) => u.email === "ops@example.com")?.role).toBe("admin");
    await expect(setUserRole({ db, email: "nobody@example.com", role: "admin" })).rejects.toThrow(/no user/);
  });

  it("stores only the token's sha256, refuses duplicate names, and revokes", async () => {
    const { token, record } = await createApiToken({ db, name: "ci-read", role: "viewer" });
    const row = await db.apiToken.findUniqueOrThrow({ where: { id: record.id } });
    expect(row.tokenHash).toBe(hashApiToken(token));
    expect(JSON.stringify(row)).not.toContain(token);
    await expect(createApiToken({ db, name: "ci-read", role: "viewer" })).rejects.toThrow(/already exists/);
    await expect(createApiToken({ db, name: "bad name!", role: "viewer" })).rejects.toThrow(/token name/);
    const revoked = await revokeApiToken({ db, name: "ci-read" });
    expect(revoked.revokedAt).toBeInstanceOf(Date);
    expect((await listApiTokens({ db })).map((t) => [t.name, t.revokedAt !== null])).toEqual([["ci-read", true]]);
  });

  it("demo users: one per role, idempotent, passwords kept next to the database (0600)", async () => {
    const demo = { url: `file:${join(mkdtempSync(join(tmpdir(), "node-rescue-demo-")), "demo.db")}` };
    await migrateDatabase({ url: demo.url, quiet: true });
    const demoDb = createDb(demo.url);
    try {
      await checkDemoUsers(demoDb, demo.url);
    } finally {
      await demoDb.$disconnect();
    }
  });
});

async function checkDemoUsers(db: TDb, databaseUrl: string) {
  const first = await ensureDemoUsers({ db, databaseUrl });
  expect(first.map((c) => [c.email, c.role])).toEqual(DEMO_USERS.map((u) => [u.email, u.role]));
  const second = await ensureDemoUsers({ db, databaseUrl });
  expect(second).toEqual(first);
  const file = demoCredentialsFile(databaseUrl);
  expect(statSync(file).mode & 0o777).toBe(0o600);
  expect(JSON.parse(readFileSync(file, "utf8"))).toEqual(first);
  // Someone demoted the demo admin: a re-run restores the role.
  await setUserRole({ db, email: "admin@demo.node-rescue.dev", role: "viewer" });
  await ensureDemoUsers({ db, databaseUrl });
  expect((await listUsers({ db })).find((u) => u.email === "admin@demo.node-rescue.dev")?.role).toBe("admin");
}

describe("the generated secret", () => {
  it("is created once with mode 0600 and then reused", () => {
    const file = join(mkdtempSync(join(tmpdir(), "node-rescue-secret-")), "sub", ".node-rescue-secret");
    const a = loadOrCreateSecretFile(file);
    expect(existsSync(file)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(a.length).toBeGreaterThanOrEqual(32);
    expect(loadOrCreateSecretFile(file)).toBe(a);
  });
});
