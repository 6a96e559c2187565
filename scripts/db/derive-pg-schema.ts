// The PostgreSQL schema is the SQLite one with another datasource provider and client output:
// the data model is written once (prisma/schema.prisma) and kept portable. Pure, so a unit test
// can check that the committed prisma/postgresql/schema.prisma is current.

const HEADER = `// GENERATED from prisma/schema.prisma by \`npm run db:schemas\`: edit that file, not this one.
// The same data model for PostgreSQL (client in generated/prisma-pg, migrations beside this file).
`;

/** prisma/postgresql/schema.prisma's text for the SQLite schema's text. Throws if a marker moved. */
export function derivePgSchema(sqliteSchema: string): string {
  const replacements: Array<[RegExp, string]> = [
    [/^(\s*provider\s*=\s*)"sqlite"/m, '$1"postgresql"'],
    [/^(\s*output\s*=\s*)"\.\.\/generated\/prisma"/m, '$1"../../generated/prisma-pg"'],
  ];
  let text = sqliteSchema;
  for (const [pattern, replacement] of replacements) {
    if (!pattern.test(text)) throw new Error(`prisma/schema.prisma: expected ${pattern} (the PostgreSQL schema is derived from it)`);
    text = text.replace(pattern, replacement);
  }
  return HEADER + text;
}
