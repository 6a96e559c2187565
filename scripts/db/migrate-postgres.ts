// Applies prisma/postgresql/migrations to a PostgreSQL database. Prisma's own `migrate deploy`
// cannot here: its WebAssembly schema engine through @prisma/adapter-pg fails to read the
// catalog ("Column type 'name' could not be deserialized", prisma/orm#27403), and the native
// engine cannot be downloaded. This does what deploy does, in the same bookkeeping table
// (`_prisma_migrations`, same columns and checksums), so a later `prisma migrate deploy` or
// `migrate status` sees the same history:
// - under Prisma's own advisory lock (72707369): two replicas starting at once migrate once;
// - each migration in one transaction with its row (PostgreSQL's DDL is transactional): a failed
//   one leaves nothing behind and is reported with the database's message;
// - an applied migration whose file changed since is an error, not silently skipped.
import { createHash, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";

/** The key Prisma Migrate locks with (pg_advisory_lock), so its runs and ours exclude each other. */
const PRISMA_MIGRATE_LOCK = 72707369;

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

export const checksumOf = (sql: string) => createHash("sha256").update(sql).digest("hex");

/** Applies the pending ones of `migrations` (directory names, sorted) from `dir`; returns their names. */
export async function migratePostgres(opts: { url: string; dir: string; migrations: string[] }): Promise<string[]> {
  const client = new pg.Client({ connectionString: opts.url });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [PRISMA_MIGRATE_LOCK]);
    await client.query(CREATE_TABLE);
    const { rows } = await client.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      `SELECT "migration_name", "checksum", "finished_at" FROM "_prisma_migrations" WHERE "rolled_back_at" IS NULL`,
    );
    const recorded = new Map(rows.map((r) => [r.migration_name, r]));
    const applied: string[] = [];
    for (const name of opts.migrations) {
      const sql = readFileSync(path.join(opts.dir, name, "migration.sql"), "utf8");
      const row = recorded.get(name);
      if (row && row.finished_at === null) throw new Error(`migration ${name} failed earlier and was not rolled back: resolve it first`);
      if (row && row.checksum !== checksumOf(sql)) throw new Error(`migration ${name} was modified after it was applied`);
      if (row) continue;
      await client.query("BEGIN");
      try {
        await client.query(sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" ("id", "checksum", "finished_at", "migration_name", "started_at", "applied_steps_count")
           VALUES ($1, $2, now(), $3, now(), 1)`,
          [randomUUID(), checksumOf(sql), name],
        );
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw new Error(`migration ${name} failed: ${error instanceof Error ? error.message : error}`);
      }
      applied.push(name);
    }
    return applied;
  } finally {
    await client.end();
  }
}
