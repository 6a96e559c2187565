// Which database a DATABASE_URL names. The one place that tells SQLite from PostgreSQL, so the
// client, the migrations, the auth adapter and the CLI configuration choose the same way.
//
// No `import "server-only"`: prisma.config.ts, scripts and tests import it too.
export type TDatabaseKind = "sqlite" | "postgresql";

/** "sqlite" for `file:` URLs, "postgresql" for `postgres:`/`postgresql:` ones. */
export const databaseKind = (url: string): TDatabaseKind => {
  if (url.startsWith("file:")) return "sqlite";
  if (/^postgres(ql)?:/.test(url)) return "postgresql";
  throw new Error("DATABASE_URL must start with file: (SQLite) or postgresql:");
};

/** Where each kind's Prisma schema and migrations live (relative to the repository root). */
export const PRISMA_LAYOUT: Record<TDatabaseKind, { schema: string; migrations: string }> = {
  sqlite: { schema: "prisma/schema.prisma", migrations: "prisma/migrations" },
  postgresql: { schema: "prisma/postgresql/schema.prisma", migrations: "prisma/postgresql/migrations" },
};
