// Writes a new migration for both databases from the edit of prisma/schema.prisma since HEAD:
//   npm run db:migration -- <name>
// SQLite: `prisma migrate diff` of HEAD's schema against the edited one (offline). PostgreSQL: the
// same for the derived schema; Prisma's diff opens a connection even between two schema files, so
// a private server (scripts/db/postgres-server.ts) runs for the few seconds it takes.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { z } from "zod";
import { PRISMA_LAYOUT, type TDatabaseKind } from "../lib/database-kind";
import { derivePgSchema } from "./db/derive-pg-schema";
import { startPostgres } from "./db/postgres-server";

const name = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/, "name: lowercase letters, digits and _")
  .parse(process.argv[2]);
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const work = mkdtempSync(path.join(tmpdir(), "node-rescue-migration-"));
const prisma = path.join("node_modules", "prisma", "build", "index.js");

function diff(kind: TDatabaseKind, previous: string, url: string) {
  const from = path.join(work, `${kind}.prisma`);
  writeFileSync(from, previous);
  const r = spawnSync(
    process.execPath,
    [prisma, "migrate", "diff", "--from-schema-datamodel", from, "--to-schema-datamodel", PRISMA_LAYOUT[kind].schema, "--script"],
    { encoding: "utf8", env: { ...process.env, DATABASE_URL: url } },
  );
  if (r.status !== 0) throw new Error(`prisma migrate diff (${kind}) failed:\n${r.stdout}${r.stderr}`);
  const dir = path.join(PRISMA_LAYOUT[kind].migrations, `${stamp}_${name}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "migration.sql"), r.stdout);
  console.log(`wrote ${dir}/migration.sql`);
}

const headSchema = execFileSync("git", ["show", `HEAD:${PRISMA_LAYOUT.sqlite.schema}`], { encoding: "utf8" });
writeFileSync(PRISMA_LAYOUT.postgresql.schema, derivePgSchema(readFileSync(PRISMA_LAYOUT.sqlite.schema, "utf8")));
diff("sqlite", headSchema, `file:${path.join(work, "diff.db")}`);
const pg = await startPostgres();
try {
  diff("postgresql", derivePgSchema(headSchema), pg.url("postgres"));
} finally {
  pg.stop();
}
