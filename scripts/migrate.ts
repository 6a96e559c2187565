// Applies pending migrations to the database DATABASE_URL names. SQLite: `prisma migrate deploy`
// through the CLI (JS schema engine, prisma.config.ts), creating the database directory first;
// fast path: when every migration is already recorded in `_prisma_migrations`, the CLI (about a
// second of start-up) is not run at all. PostgreSQL: prisma/postgresql/migrations through
// scripts/db/migrate-postgres.ts (Prisma's bookkeeping, without its schema engine).
//
//   tsx scripts/migrate.ts                 # DATABASE_URL from lib/env (default data/node-rescue.db)
//   DATABASE_URL=file:/tmp/x.db tsx scripts/migrate.ts
//   DATABASE_URL=postgresql://user@host/db tsx scripts/migrate.ts
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import Database from "better-sqlite3";
import { databaseKind, PRISMA_LAYOUT, type TDatabaseKind } from "../lib/database-kind";
import { env, sqliteFilePath } from "../lib/env";
import { migratePostgres } from "./db/migrate-postgres";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const migrationsDir = (kind: TDatabaseKind) => path.join(repoRoot, PRISMA_LAYOUT[kind].migrations);
const prismaCli = path.join(repoRoot, "node_modules", "prisma", "build", "index.js");

/** Migration directory names of one database kind (each holds a migration.sql). */
export const listMigrations = (kind: TDatabaseKind = "sqlite"): string[] =>
  readdirSync(migrationsDir(kind), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .filter((entry) => existsSync(path.join(migrationsDir(kind), entry.name, "migration.sql")))
    .map((entry) => entry.name)
    .sort();

/** Migrations not yet recorded as successfully applied in the SQLite file. */
const pendingMigrations = (file: string): string[] => {
  const all = listMigrations();
  if (!existsSync(file)) return all;
  const raw = new Database(file, { fileMustExist: true });
  try {
    const table = raw.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'").get();
    if (!table) return all;
    const rows = raw
      .prepare("SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL")
      .all() as Array<{ migration_name: string }>;
    const applied = new Set(rows.map((row) => row.migration_name));
    return all.filter((name) => !applied.has(name));
  } finally {
    raw.close();
  }
};

/** WAL is persistent in the file; lib/db.ts sets it too, this makes the file WAL from birth. */
const enableWal = (file: string): void => {
  const raw = new Database(file);
  try {
    raw.pragma("journal_mode = WAL");
  } finally {
    raw.close();
  }
};

export type TMigrateResult = { url: string; applied: string[]; skipped: boolean; ms: number };

/** Brings the database at `url` (default: env().DATABASE_URL) up to date. Throws on failure. */
export const migrateDatabase = async (options: { url?: string; quiet?: boolean } = {}): Promise<TMigrateResult> => {
  const started = performance.now();
  const url = options.url ?? env().DATABASE_URL;
  if (databaseKind(url) === "postgresql") {
    const applied = await migratePostgres({ url, dir: migrationsDir("postgresql"), migrations: listMigrations("postgresql") });
    return { url, applied, skipped: applied.length === 0, ms: performance.now() - started };
  }
  const file = sqliteFilePath(url);
  if (!file) throw new Error(`a SQLite DATABASE_URL must name a file, got ${url}`);
  mkdirSync(path.dirname(file), { recursive: true });

  const pending = pendingMigrations(file);
  if (pending.length === 0) {
    enableWal(file);
    return { url, applied: [], skipped: true, ms: performance.now() - started };
  }

  const result = spawnSync(process.execPath, [prismaCli, "migrate", "deploy"], {
    cwd: repoRoot,
    // The child inherits the environment; DATABASE_URL is what prisma.config.ts and the
    // schema's env("DATABASE_URL") read.
    env: { ...process.env, DATABASE_URL: url, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
    encoding: "utf8",
  });
  if (result.status !== 0) {
    throw new Error(`prisma migrate deploy failed (exit ${result.status ?? result.signal}):\n${result.stdout}${result.stderr}`);
  }
  if (!options.quiet) process.stdout.write(result.stdout);

  // Also the last close after the CLI: it checkpoints anything the CLI left in a WAL file.
  enableWal(file);
  const stillPending = pendingMigrations(file);
  if (stillPending.length > 0) {
    throw new Error(`migrations still pending after deploy: ${stillPending.join(", ")}`);
  }
  return { url, applied: pending, skipped: false, ms: performance.now() - started };
};

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  try {
    const result = await migrateDatabase();
    const what = result.skipped ? "up to date" : `applied ${result.applied.join(", ")}`;
    console.log(`migrate: ${result.url}: ${what} (${Math.round(result.ms)} ms)`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
