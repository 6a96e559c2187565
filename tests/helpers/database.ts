// The database a test runs on. SQLite files by default; PostgreSQL in the `postgres` project,
// whose global setup (tests/global-setup-postgres.ts) starts a private server and migrates a
// template database once: every fresh database is then a copy of it (CREATE DATABASE … TEMPLATE),
// as every fresh SQLite file is a copy of a migrated one.
import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { inject } from "vitest";
import type { TDatabaseKind } from "@/lib/database-kind";
import { migrateDatabase } from "@/scripts/migrate";

declare module "vitest" {
  export interface ProvidedContext {
    /** The test PostgreSQL server's base URL (no database name); unset outside the postgres project. */
    postgresServer: string;
    postgresTemplate: string;
  }
}

/** Which database this project's tests run on. */
export const testDatabaseKind = (): TDatabaseKind => (inject("postgresServer") ? "postgresql" : "sqlite");

/** A new, migrated, empty database: its URL. */
export async function freshDatabaseUrl(): Promise<string> {
  const server = inject("postgresServer");
  if (!server) {
    const url = `file:${join(mkdtempSync(join(tmpdir(), "node-rescue-db-")), "test.db")}`;
    await migrateDatabase({ url, quiet: true });
    return url;
  }
  const name = `test_${randomUUID().replaceAll("-", "")}`;
  const admin = new pg.Client({ connectionString: `${server}/postgres` });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${inject("postgresTemplate")}"`);
  } finally {
    await admin.end();
  }
  return `${server}/${name}`;
}
