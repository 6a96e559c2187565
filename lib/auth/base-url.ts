// Where sign-in takes the dashboard's origin from. With NODE_RESCUE_BASE_URL, that URL only.
// Without it, each request's Host (or X-Forwarded-Host/-Proto) header: lib/auth/auth.ts trusts
// exactly the origin a request was sent to, so http://127.0.0.1:<port>, localhost and LAN names
// all work. That is a choice, said once at server start (instrumentation.ts) instead of by
// better-auth's generic "Base URL is not set" warning, which this module's log filter drops.
// No `import "server-only"`: unit tests import it.
import type { TServerEnv } from "@/lib/env";

/** The start-up warning for a server without NODE_RESCUE_BASE_URL, or null when it is set. */
export function baseUrlWarning(e: Pick<TServerEnv, "NODE_RESCUE_BASE_URL">): string | null {
  if (e.NODE_RESCUE_BASE_URL) return null;
  return (
    "[node-rescue] NODE_RESCUE_BASE_URL is not set: sign-in trusts each request's Host header (or " +
    "X-Forwarded-Host/-Proto) as the dashboard's origin. Set NODE_RESCUE_BASE_URL to the public URL " +
    "to trust that origin only (required for single sign-on)."
  );
}

type TLevel = "debug" | "info" | "warn" | "error";

/** better-auth's warning about the mode baseUrlWarning announces; it repeats on every start. */
export const isBaseUrlUnsetNotice = (level: TLevel, message: string): boolean =>
  level === "warn" && message.includes("Base URL is not set");

/** better-auth's `logger.log`: its lines as it prints them, minus the notice above. */
export function logBetterAuth(level: TLevel, message: string, ...args: unknown[]): void {
  if (isBaseUrlUnsetNotice(level, message)) return;
  const line = `${new Date().toISOString()} ${level.toUpperCase()} [Better Auth]: ${message}`;
  if (level === "error") console.error(line, ...args);
  else if (level === "warn") console.warn(line, ...args);
  else console.log(line, ...args);
}
