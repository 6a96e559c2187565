// Accounts and API tokens, written straight to the database: there is no sign-up over HTTP, so
// the CLI (scripts/users.ts), the demo and the tests create users here. A user row plus a
// "credential" account holding the password hash is exactly what better-auth's own sign-up
// writes, so better-auth signs these users in as its own.
//
// Disabling, enabling, deleting and re-roling a person at the CLI write one audit row each, in
// the same transaction as the change.
//
// No `import "server-only"`: the CLI (tsx) and vitest import this module.
import { randomBytes, randomUUID } from "node:crypto";
import { hashPassword } from "better-auth/crypto";
import { z } from "zod";
import { type TCliActor, writeOutcome } from "@/lib/audit/write";
import type { TDb } from "@/lib/db";
import { generateApiToken, hashApiToken } from "./api-token";
import { ROLES, type TRole, ZRole } from "./roles";

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 128;

/** Bad input or a conflict, worded for the person at the CLI. */
export class UserInputError extends Error {
  override name = "UserInputError";
}

const parse = <T>(schema: z.ZodType<T>, value: unknown, what: string): T => {
  const result = schema.safeParse(value);
  if (!result.success) throw new UserInputError(`${what}: ${result.error.issues[0]?.message ?? "invalid"}`);
  return result.data;
};

export const ZEmail = z
  .email("not a valid email address (better-auth needs a real-looking domain, e.g. ops@example.com)")
  .trim()
  .toLowerCase();
export const ZPassword = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(MAX_PASSWORD_LENGTH, `at most ${MAX_PASSWORD_LENGTH} characters`);
export const ZTokenName = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, "1-63 letters, digits, '.', '_' or '-', starting with a letter or digit");
const parseRole = (role: unknown): TRole => {
  const result = ZRole.safeParse(role);
  if (!result.success) throw new UserInputError(`role: "${String(role)}" is not one of ${ROLES.join(", ")}`);
  return result.data;
};

/** 24 URL-safe characters (144 bits). */
export const generatePassword = (): string => randomBytes(18).toString("base64url");

export type TUserRow = { id: string; email: string; name: string; role: string; disabledAt: Date | null; createdAt: Date };

/** Who changed an account, for the audit row, and the cluster whose audit log shows it. */
export type TUserAudit = { actor: TCliActor; cluster: string };

type TTx = Parameters<Parameters<TDb["$transaction"]>[0]>[0];

const auditUserChange = (tx: TTx, audit: TUserAudit, action: string, email: string, message: string) =>
  writeOutcome(tx, {
    actionId: randomUUID(),
    cluster: audit.cluster,
    action,
    targetKind: "User",
    target: email,
    actor: audit.actor,
    outcome: "succeeded",
    message,
  });

async function requireUser(db: TTx, rawEmail: string) {
  const email = parse(ZEmail, rawEmail, "email");
  const user = await db.user.findUnique({ where: { email } });
  if (!user) throw new UserInputError(`no user with email ${email}`);
  return user;
}

/**
 * Creates a user with the credential account better-auth signs in with. Without `password` one
 * is generated; the plain password is returned (and stored nowhere).
 */
export async function createUser(opts: {
  db: TDb;
  email: string;
  role: string;
  password?: string;
  name?: string;
}): Promise<{ user: TUserRow; password: string }> {
  const email = parse(ZEmail, opts.email, "email");
  const role = parseRole(opts.role);
  const password = parse(ZPassword, opts.password ?? generatePassword(), "password");
  if (await opts.db.user.findUnique({ where: { email } })) throw new UserInputError(`a user with email ${email} already exists`);
  const hash = await hashPassword(password);
  const id = randomUUID();
  const user = await opts.db.$transaction(async (tx) => {
    const created = await tx.user.create({
      data: { id, email, name: opts.name?.trim() || email.split("@")[0] || email, role, emailVerified: true },
    });
    await tx.account.create({ data: { id: randomUUID(), accountId: id, providerId: "credential", userId: id, password: hash } });
    return created;
  });
  return { user: pickUser(user), password };
}

/** Replaces a user's password (the demo reuses accounts whose password it lost). */
export async function setUserPassword(opts: { db: TDb; email: string; password: string }): Promise<void> {
  const email = parse(ZEmail, opts.email, "email");
  const password = parse(ZPassword, opts.password, "password");
  const user = await opts.db.user.findUnique({ where: { email } });
  if (!user) throw new UserInputError(`no user with email ${email}`);
  const hash = await hashPassword(password);
  const updated = await opts.db.account.updateMany({ where: { userId: user.id, providerId: "credential" }, data: { password: hash } });
  if (updated.count === 0) {
    await opts.db.account.create({
      data: { id: randomUUID(), accountId: user.id, providerId: "credential", userId: user.id, password: hash },
    });
  }
}

/**
 * Changes a user's role; takes effect on their next request (sessions read the user row). With
 * `audit` (the CLI) the change is recorded; the demo's silent role repair passes none.
 */
export async function setUserRole(opts: { db: TDb; email: string; role: string; audit?: TUserAudit }): Promise<TUserRow> {
  const role = parseRole(opts.role);
  const { audit } = opts;
  return opts.db.$transaction(async (tx) => {
    const user = await requireUser(tx, opts.email);
    const updated = await tx.user.update({ where: { id: user.id }, data: { role } });
    if (audit) await auditUserChange(tx, audit, "user.set-role", user.email, `role ${user.role} → ${role}`);
    return pickUser(updated);
  });
}

/**
 * Revokes a person: marks them disabled (better-auth then refuses their sign-ins, lib/auth/auth.ts)
 * and deletes all their sessions at once, so their next request with an old cookie gets a 401.
 * Disabling twice keeps the first date.
 */
export async function disableUser(opts: { db: TDb; email: string; audit: TUserAudit }): Promise<{ user: TUserRow; sessionsEnded: number }> {
  return opts.db.$transaction(async (tx) => {
    const user = await requireUser(tx, opts.email);
    const disabledAt = user.disabledAt ?? new Date();
    const updated = await tx.user.update({ where: { id: user.id }, data: { disabledAt } });
    const { count } = await tx.session.deleteMany({ where: { userId: user.id } });
    const was = user.disabledAt ? "already disabled; " : "";
    await auditUserChange(tx, opts.audit, "user.disable", user.email, `${was}${count} session(s) ended; sign-in refused`);
    return { user: pickUser(updated), sessionsEnded: count };
  });
}

/** Lets a disabled person sign in again (their old sessions stay gone). */
export async function enableUser(opts: { db: TDb; email: string; audit: TUserAudit }): Promise<TUserRow> {
  return opts.db.$transaction(async (tx) => {
    const user = await requireUser(tx, opts.email);
    const updated = await tx.user.update({ where: { id: user.id }, data: { disabledAt: null } });
    await auditUserChange(tx, opts.audit, "user.enable", user.email, user.disabledAt ? "sign-in allowed again" : "was not disabled");
    return pickUser(updated);
  });
}

/**
 * Removes a user; their sessions and accounts go with them (foreign-key cascade). Audit rows name
 * actors and targets by text, so the history keeps this person's email.
 */
export async function deleteUser(opts: { db: TDb; email: string; audit: TUserAudit }): Promise<TUserRow> {
  return opts.db.$transaction(async (tx) => {
    const user = await requireUser(tx, opts.email);
    await tx.user.delete({ where: { id: user.id } });
    await auditUserChange(tx, opts.audit, "user.delete", user.email, `deleted (${user.role})`);
    return pickUser(user);
  });
}

export async function findUserByEmail(opts: { db: TDb; email: string }): Promise<TUserRow | null> {
  const email = parse(ZEmail, opts.email, "email");
  const user = await opts.db.user.findUnique({ where: { email } });
  return user ? pickUser(user) : null;
}

export async function listUsers(opts: { db: TDb }): Promise<TUserRow[]> {
  return (await opts.db.user.findMany({ orderBy: { email: "asc" } })).map(pickUser);
}

export type TApiTokenRow = { id: string; name: string; role: string; createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null };

/** Creates a token; the plain token is returned once (only its SHA-256 is stored). */
export async function createApiToken(opts: { db: TDb; name: string; role: string }): Promise<{ token: string; record: TApiTokenRow }> {
  const name = parse(ZTokenName, opts.name, "token name");
  const role = parseRole(opts.role);
  if (await opts.db.apiToken.findUnique({ where: { name } })) {
    throw new UserInputError(`a token named ${name} already exists (revoked tokens keep their name for the audit log)`);
  }
  const token = generateApiToken();
  const record = await opts.db.apiToken.create({ data: { id: randomUUID(), name, role, tokenHash: hashApiToken(token) } });
  return { token, record: pickToken(record) };
}

export async function revokeApiToken(opts: { db: TDb; name: string }): Promise<TApiTokenRow> {
  const name = parse(ZTokenName, opts.name, "token name");
  const existing = await opts.db.apiToken.findUnique({ where: { name } });
  if (!existing) throw new UserInputError(`no token named ${name}`);
  if (existing.revokedAt) return pickToken(existing);
  return pickToken(await opts.db.apiToken.update({ where: { id: existing.id }, data: { revokedAt: new Date() } }));
}

export async function listApiTokens(opts: { db: TDb }): Promise<TApiTokenRow[]> {
  return (await opts.db.apiToken.findMany({ orderBy: { name: "asc" } })).map(pickToken);
}

const pickUser = (u: TUserRow): TUserRow => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: u.role,
  disabledAt: u.disabledAt,
  createdAt: u.createdAt,
});
const pickToken = (t: TApiTokenRow): TApiTokenRow => ({
  id: t.id,
  name: t.name,
  role: t.role,
  createdAt: t.createdAt,
  lastUsedAt: t.lastUsedAt,
  revokedAt: t.revokedAt,
});
