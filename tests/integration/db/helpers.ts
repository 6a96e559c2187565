// Real databases for the database tests, migrated with the same scripts/migrate.ts the app uses:
// SQLite files in a temp dir (each a copy of a template migrated once), or PostgreSQL databases
// in the postgres project (tests/helpers/database.ts).
import { copyFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createDb, type TDb } from "@/lib/db";
import { migrateDatabase } from "@/scripts/migrate";
import { freshDatabaseUrl, testDatabaseKind } from "../../helpers/database";

export type TTestDbs = {
  dir: string;
  /** A migrated empty database. */
  freshUrl: () => Promise<string>;
  /** A client for `url`, disconnected by cleanup(). */
  open: (url: string) => TDb;
  cleanup: () => Promise<void>;
};

export const createTestDbs = (): TTestDbs => {
  const dir = mkdtempSync(path.join(tmpdir(), "node-rescue-db-"));
  const clients: TDb[] = [];
  let template: string | undefined;
  let counter = 0;

  const freshUrl = async () => {
    if (testDatabaseKind() === "postgresql") return freshDatabaseUrl();
    if (!template) {
      template = path.join(dir, "template.db");
      await migrateDatabase({ url: `file:${template}`, quiet: true });
      // migrate closes its connections, which checkpoints the WAL into the main file.
      if (existsSync(`${template}-wal`)) throw new Error("template still has a WAL file");
    }
    counter += 1;
    const file = path.join(dir, `db-${counter}.db`);
    copyFileSync(template, file);
    return `file:${file}`;
  };

  const open = (url: string) => {
    const db = createDb(url);
    clients.push(db);
    return db;
  };

  const cleanup = async () => {
    await Promise.all(clients.map((db) => db.$disconnect()));
    rmSync(dir, { recursive: true, force: true });
  };

  return { dir, freshUrl, open, cleanup };
};

export const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, seconds));
