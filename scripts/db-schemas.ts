// Writes prisma/postgresql/schema.prisma from prisma/schema.prisma (`npm run db:schemas`).
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PRISMA_LAYOUT } from "../lib/database-kind";
import { derivePgSchema } from "./db/derive-pg-schema";

const target = PRISMA_LAYOUT.postgresql.schema;
mkdirSync(path.dirname(target), { recursive: true });
writeFileSync(target, derivePgSchema(readFileSync(PRISMA_LAYOUT.sqlite.schema, "utf8")));
console.log(`wrote ${target}`);
