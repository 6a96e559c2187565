// The Prisma client: one per process, kept on globalThis (remember()) because Next.js may
// evaluate this module more than once in one server (and dev reload re-evaluates it).
// DATABASE_URL chooses the database: SQLite (`file:`, better-sqlite3) or PostgreSQL
// (`postgresql:`, pg). Both clients come from one data model (prisma/schema.prisma and the
// PostgreSQL schema derived from it), so the domain code is written once against TDb.
//
// No `import "server-only"` here: scripts (tsx) and integration tests (vitest) import this
// module directly, and `server-only` throws outside Next's React Server bundling. Nothing in
// a client component may import it; the Prisma runtime would not bundle for the browser anyway.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import Database from "better-sqlite3";
import { PrismaClient } from "@/generated/prisma/client";
import { PrismaClient as PgPrismaClient } from "@/generated/prisma-pg/client";
import { databaseKind } from "@/lib/database-kind";
import { env, sqliteFilePath } from "@/lib/env";
import { remember } from "@/lib/remember";

export type TDb = PrismaClient;

/** How long a writer waits for another connection's write lock before SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 5_000;

/**
 * WAL lets readers (request handlers) run while the poller writes, and it is persistent: once
 * set, every later connection to the file uses it. Setting it needs its own statement outside
 * any transaction, so it is done here on a short-lived raw connection, before Prisma connects.
 */
const enableWal = (file: string): void => {
  mkdirSync(path.dirname(file), { recursive: true });
  const raw = new Database(file, { timeout: BUSY_TIMEOUT_MS });
  try {
    raw.pragma("journal_mode = WAL");
  } finally {
    raw.close();
  }
};

/** Connections one process keeps open to PostgreSQL (pg's pool; its default is 10). */
export const PG_POOL_SIZE = 10;

/**
 * A new client for `url` (an absolute `file:` URL or a `postgresql:` one). Tests use this with a
 * temporary database; the app uses `getDb()`. The caller owns it and should `$disconnect()` when done.
 */
export const createDb = (url: string): TDb => {
  if (databaseKind(url) === "postgresql") {
    const adapter = new PrismaPg({ connectionString: url, max: PG_POOL_SIZE });
    // The same models, generated for another provider: its API is the SQLite client's plus
    // PostgreSQL-only options the domain code does not use (it is written against TDb).
    return new PgPrismaClient({ adapter }) as unknown as TDb;
  }
  const file = sqliteFilePath(url);
  if (file) enableWal(file);
  // better-sqlite3's `timeout` option is SQLite's busy_timeout for this connection.
  const adapter = new PrismaBetterSQLite3({ url, timeout: BUSY_TIMEOUT_MS });
  return new PrismaClient({ adapter });
};

/** The process-wide client for env().DATABASE_URL (kept on globalThis by remember()). */
export const getDb = (): TDb => remember("db", () => createDb(env().DATABASE_URL));
