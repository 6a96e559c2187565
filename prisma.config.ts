// Prisma CLI configuration. The JS (WebAssembly) schema engine with a driver adapter keeps
// `prisma generate`, `migrate deploy` and `migrate diff` offline: the native engines cannot be
// downloaded here (see /work/shared/STACK.md). DATABASE_URL chooses the database: a `file:` URL
// the SQLite schema and migrations (better-sqlite3), a `postgresql:` one the PostgreSQL schema
// and migrations under prisma/postgresql (pg). Both clients are generated at install.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { defineConfig } from "prisma/config";
import { databaseKind, PRISMA_LAYOUT } from "./lib/database-kind";
import { exportDatabaseUrl, sqliteFilePath } from "./lib/env";

// The schemas read env("DATABASE_URL"); make sure it is set (defaulted, absolute) before the
// CLI evaluates them, so `prisma generate` works without any variable set.
const url = exportDatabaseUrl();
const kind = databaseKind(url);

export default defineConfig({
  schema: PRISMA_LAYOUT[kind].schema,
  migrations: { path: PRISMA_LAYOUT[kind].migrations },
  experimental: { adapter: true },
  engine: "js",
  adapter: async () => {
    if (kind === "postgresql") return new PrismaPg({ connectionString: url });
    // Even `migrate diff --from-empty` opens the database: its directory must exist.
    const file = sqliteFilePath(url);
    if (file) mkdirSync(path.dirname(file), { recursive: true });
    return new PrismaBetterSQLite3({ url });
  },
});
