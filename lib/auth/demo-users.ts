// `npm run demo`'s users: one per role, with generated passwords kept in `<db dir>/demo-users.json`
// (mode 0600) so a re-run reuses them. The login page shows them only with NODE_RESCUE_DEMO on;
// no other mode has any default password.
//
// No `import "server-only"`: scripts/demo.ts (tsx) and the tests import it.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { TDb } from "@/lib/db";
import { sqliteFilePath } from "@/lib/env";
import type { TRole } from "./roles";
import { createUser, findUserByEmail, generatePassword, setUserPassword, setUserRole } from "./users";

// better-auth rejects emails without a real-looking domain.
export const DEMO_USERS: ReadonlyArray<{ email: string; role: TRole }> = [
  { email: "viewer@demo.node-rescue.dev", role: "viewer" },
  { email: "operator@demo.node-rescue.dev", role: "operator" },
  { email: "admin@demo.node-rescue.dev", role: "admin" },
];

const ZCredentials = z.array(z.object({ email: z.string(), role: z.string(), password: z.string() }));
export type TDemoCredential = z.infer<typeof ZCredentials>[number];

export function demoCredentialsFile(databaseUrl: string): string {
  const file = sqliteFilePath(databaseUrl);
  if (!file) throw new Error("demo users need a SQLite DATABASE_URL (their passwords are kept next to it)");
  return path.join(path.dirname(file), "demo-users.json");
}

/** The stored demo credentials ([] when the demo never ran against this database). */
export function readDemoCredentials(databaseUrl: string): TDemoCredential[] {
  const file = demoCredentialsFile(databaseUrl);
  if (!existsSync(file)) return [];
  const parsed = ZCredentials.safeParse(JSON.parse(readFileSync(file, "utf8")));
  return parsed.success ? parsed.data : [];
}

/** Creates (or repairs) the three demo users; idempotent, reusing stored passwords. */
export async function ensureDemoUsers(opts: { db: TDb; databaseUrl: string }): Promise<TDemoCredential[]> {
  const stored = new Map(readDemoCredentials(opts.databaseUrl).map((c) => [c.email, c.password]));
  const result: TDemoCredential[] = [];
  for (const { email, role } of DEMO_USERS) {
    const known = stored.get(email);
    const existing = await findUserByEmail({ db: opts.db, email });
    if (!existing) {
      const { password } = await createUser({ db: opts.db, email, role, password: known });
      result.push({ email, role, password });
      continue;
    }
    if (existing.role !== role) await setUserRole({ db: opts.db, email, role });
    const password = known ?? generatePassword();
    if (!known) await setUserPassword({ db: opts.db, email, password });
    result.push({ email, role, password });
  }
  writeFileSync(demoCredentialsFile(opts.databaseUrl), `${JSON.stringify(result, null, 2)}\n`, { mode: 0o600 });
  return result;
}
