// PostgreSQL's migrations (scripts/db/migrate-postgres.ts through scripts/migrate.ts) on the
// project's private server: applied once even by two replicas starting together, a failed one
// leaves nothing behind, an edited one is refused, and the result has the same tables and
// columns as SQLite's migration history, so neither history can fall behind the other.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, describe, expect, inject, test } from "vitest";
import { migratePostgres } from "@/scripts/db/migrate-postgres";
import { listMigrations, migrateDatabase } from "@/scripts/migrate";
import { freshDatabaseUrl } from "../helpers/database";

const server = inject("postgresServer");
const clients: pg.Client[] = [];
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(clients.map((c) => c.end()));
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function connect(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  clients.push(client);
  return client;
}

/** A database with nothing in it, not even the migrations table. */
async function emptyDatabase(): Promise<string> {
  const name = `empty_${Math.random().toString(36).slice(2)}`;
  await (await connect(`${server}/postgres`)).query(`CREATE DATABASE "${name}"`);
  return `${server}/${name}`;
}

const columnsOf = (rows: Array<{ table: string; column: string; nullable: boolean }>) =>
  rows.map((r) => `${r.table}.${r.column}${r.nullable ? "?" : ""}`).sort();

describe("PostgreSQL migrations", () => {
  test("apply to an empty database once, then are a no-op", async () => {
    const url = await emptyDatabase();
    const first = await migrateDatabase({ url, quiet: true });
    expect(first.applied).toEqual(listMigrations("postgresql"));
    const second = await migrateDatabase({ url, quiet: true });
    expect(second).toMatchObject({ skipped: true, applied: [] });
    const { rows } = await (await connect(url)).query(`SELECT "migration_name" FROM "_prisma_migrations" WHERE "finished_at" IS NOT NULL`);
    expect(rows.map((r) => r.migration_name)).toEqual(listMigrations("postgresql"));
  });

  test("two replicas starting together migrate once (Prisma's advisory lock)", async () => {
    const url = await emptyDatabase();
    const [a, b] = await Promise.all([migrateDatabase({ url, quiet: true }), migrateDatabase({ url, quiet: true })]);
    expect([a.applied, b.applied].sort((x, y) => y.length - x.length)).toEqual([listMigrations("postgresql"), []]);
    const { rows } = await (await connect(url)).query(`SELECT count(*)::int AS n FROM "_prisma_migrations"`);
    expect(rows[0].n).toBe(listMigrations("postgresql").length);
  });

  test("a failing migration leaves nothing behind and names the database's error", async () => {
    const url = await emptyDatabase();
    const dir = mkdtempSync(path.join(tmpdir(), "node-rescue-migrations-"));
    dirs.push(dir);
    const write = (name: string, sql: string) => {
      mkdirSync(path.join(dir, name));
      writeFileSync(path.join(dir, name, "migration.sql"), sql);
    };
    write("1_good", `CREATE TABLE "Good" ("id" INTEGER PRIMARY KEY);`);
    write("2_bad", `CREATE TABLE "Half" ("id" INTEGER PRIMARY KEY);\nINSERT INTO "Nowhere" VALUES (1);`);
    await expect(migratePostgres({ url, dir, migrations: ["1_good", "2_bad"] })).rejects.toThrow(
      /migration 2_bad failed: relation "Nowhere" does not exist/,
    );
    const db = await connect(url);
    const tables = await db.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`);
    expect(tables.rows.map((r) => r.table_name)).toEqual(["Good", "_prisma_migrations"]);
    const recorded = await db.query(`SELECT "migration_name" FROM "_prisma_migrations"`);
    expect(recorded.rows.map((r) => r.migration_name)).toEqual(["1_good"]);
  });

  test("a migration edited after it was applied is refused", async () => {
    const url = await freshDatabaseUrl();
    const [first] = listMigrations("postgresql");
    await (await connect(url)).query(`UPDATE "_prisma_migrations" SET "checksum" = 'edited' WHERE "migration_name" = $1`, [first]);
    await expect(migrateDatabase({ url, quiet: true })).rejects.toThrow(`migration ${first} was modified after it was applied`);
  });

  test("the result has SQLite's tables and columns (neither history fell behind)", async () => {
    const url = await freshDatabaseUrl();
    const { rows } = await (await connect(url)).query(
      `SELECT table_name AS "table", column_name AS "column", is_nullable = 'YES' AS "nullable"
       FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`,
    );
    const dir = mkdtempSync(path.join(tmpdir(), "node-rescue-sqlite-"));
    dirs.push(dir);
    const file = path.join(dir, "compare.db");
    await migrateDatabase({ url: `file:${file}`, quiet: true });
    const sqlite = new Database(file, { readonly: true });
    try {
      const tables = sqlite
        .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_prisma_migrations'`)
        .all() as Array<{ name: string }>;
      const sqliteColumns = tables.flatMap(({ name }) =>
        (
          sqlite.prepare(`SELECT name, "notnull", pk FROM pragma_table_info(?)`).all(name) as Array<{
            name: string;
            notnull: number;
            pk: number;
          }>
        ).map(
          // SQLite's INTEGER PRIMARY KEY columns are NOT NULL without saying so.
          (c) => ({ table: name, column: c.name, nullable: c.notnull === 0 && c.pk === 0 }),
        ),
      );
      expect(columnsOf(rows)).toEqual(columnsOf(sqliteColumns));
      expect(columnsOf(rows).length).toBeGreaterThan(100);
    } finally {
      sqlite.close();
    }
  });
});
