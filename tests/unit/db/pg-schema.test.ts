import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { PRISMA_LAYOUT } from "@/lib/database-kind";
import { derivePgSchema } from "@/scripts/db/derive-pg-schema";

describe("the PostgreSQL schema", () => {
  test("is the SQLite schema's data model (run `npm run db:schemas` after editing prisma/schema.prisma)", () => {
    const sqlite = readFileSync(PRISMA_LAYOUT.sqlite.schema, "utf8");
    expect(readFileSync(PRISMA_LAYOUT.postgresql.schema, "utf8")).toBe(derivePgSchema(sqlite));
  });

  test("changes only the provider and the client's output", () => {
    const derived = derivePgSchema(
      'generator client {\n  output = "../generated/prisma"\n}\ndatasource db {\n  provider = "sqlite"\n}\nmodel A { id Int @id }\n',
    );
    expect(derived).toContain('output = "../../generated/prisma-pg"');
    expect(derived).toContain('provider = "postgresql"');
    expect(derived).toContain("model A { id Int @id }");
  });

  test("refuses a schema whose datasource it cannot find", () => {
    expect(() => derivePgSchema('generator client {\n  output = "../generated/prisma"\n}\n')).toThrow(/expected/);
  });
});
