// Prisma CLI configuration. The JS (WebAssembly) schema engine with the better-sqlite3 adapter
// keeps `prisma generate`, `migrate deploy` and `migrate diff` offline: the native engines
// cannot be downloaded here (see /work/shared/STACK.md).
import { mkdirSync } from "node:fs";
import path from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { defineConfig } from "prisma/config";
import { exportDatabaseUrl, sqliteFilePath } from "./lib/env";

// schema.prisma reads env("DATABASE_URL"); make sure it is set (defaulted, absolute) before the
// CLI evaluates the schema, so `prisma generate` works without any variable set.
const url = exportDatabaseUrl();

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  experimental: { adapter: true },
  engine: "js",
  adapter: async () => {
    // Even `migrate diff --from-empty` opens the database: its directory must exist.
    const file = sqliteFilePath(url);
    if (file) mkdirSync(path.dirname(file), { recursive: true });
    return new PrismaBetterSQLite3({ url });
  },
});
