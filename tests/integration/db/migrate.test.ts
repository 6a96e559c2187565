import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { listMigrations, migrateDatabase } from "@/scripts/migrate";
import { createTestDbs } from "./helpers";

const dbs = createTestDbs();
afterAll(() => dbs.cleanup());

describe("migrations", () => {
  test("apply to an empty file (creating its directory), then are a fast no-op", async () => {
    const file = path.join(dbs.dir, "nested", "dir", "empty.db");
    const first = await migrateDatabase({ url: `file:${file}`, quiet: true });
    expect(first.skipped).toBe(false);
    expect(first.applied).toEqual(listMigrations());
    expect(existsSync(file)).toBe(true);

    const second = await migrateDatabase({ url: `file:${file}`, quiet: true });
    expect(second).toMatchObject({ skipped: true, applied: [] });

    const db = dbs.open(`file:${file}`);
    expect(await db.nodeTransition.count()).toBe(0);
    const applied = await db.$queryRawUnsafe<Array<{ migration_name: string }>>(
      "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL",
    );
    expect(applied.map((row) => row.migration_name)).toEqual(listMigrations());
  });

  test("the database runs in WAL mode with a busy timeout", async () => {
    const db = dbs.open(await dbs.freshUrl());
    const [mode] = await db.$queryRawUnsafe<Array<{ journal_mode: string }>>("PRAGMA journal_mode");
    expect(mode?.journal_mode).toBe("wal");
    const [busy] = await db.$queryRawUnsafe<Array<{ timeout: bigint | number }>>("PRAGMA busy_timeout");
    expect(Number(busy?.timeout)).toBe(5000);
  });
});
