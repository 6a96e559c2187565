// better-auth's secret (it signs the session cookie). NODE_RESCUE_SECRET wins. Without it we do
// not refuse to start and we never fall back to a built-in default: a random 48-byte secret is
// generated ONCE and persisted next to the SQLite file (`<db dir>/.node-rescue-secret`, mode
// 0600), so sessions survive restarts and every process using the same database (server, CLI)
// agrees on it. Whoever can read the database directory could forge cookies anyway — the secret
// lives with the data it protects. It is only read on the server and never sent to a browser.
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { env, sqliteFilePath } from "@/lib/env";
import { remember } from "@/lib/remember";

export const SECRET_FILE_NAME = ".node-rescue-secret";
const MIN_LENGTH = 32;

/** Reads `file`, or creates it with a fresh secret (exclusive create: two processes agree). */
export function loadOrCreateSecretFile(file: string): string {
  mkdirSync(path.dirname(file), { recursive: true });
  try {
    writeFileSync(file, `${randomBytes(48).toString("base64url")}\n`, { mode: 0o600, flag: "wx" });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
  const secret = readFileSync(file, "utf8").trim();
  if (secret.length < MIN_LENGTH) throw new Error(`${file} holds fewer than ${MIN_LENGTH} characters; delete it to generate a new secret`);
  return secret;
}

/** The secret for this process (env, else the persisted file). */
export const authSecret = (): string =>
  remember("auth-secret", () => {
    const e = env();
    if (e.NODE_RESCUE_SECRET) return e.NODE_RESCUE_SECRET;
    const dbFile = sqliteFilePath(e.DATABASE_URL);
    if (!dbFile)
      throw new Error("set NODE_RESCUE_SECRET (at least 32 characters): there is no SQLite directory to keep a generated one in");
    return loadOrCreateSecretFile(path.join(path.dirname(dbFile), SECRET_FILE_NAME));
  });
