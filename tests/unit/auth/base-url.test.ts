// Without NODE_RESCUE_BASE_URL: one warning of ours at start, and better-auth's own generic
// "Base URL is not set" notice (checked against what better-auth really logs) dropped.
import { randomBytes } from "node:crypto";
import { betterAuth } from "better-auth";
import { afterEach, describe, expect, it, vi } from "vitest";
import { baseUrlWarning, isBaseUrlUnsetNotice, logBetterAuth } from "@/lib/auth/base-url";
import { parseEnv } from "@/lib/env";

/** What better-auth logs while starting with these options. */
async function startupLog(baseURL?: string) {
  const seen: Array<Parameters<typeof isBaseUrlUnsetNotice>> = [];
  const auth = betterAuth({
    baseURL,
    secret: randomBytes(32).toString("base64"),
    telemetry: { enabled: false },
    logger: { log: (level, message) => seen.push([level, message]) },
  });
  await auth.$context;
  return seen;
}

describe("base URL", () => {
  afterEach(() => vi.restoreAllMocks());

  it("warns at start only when NODE_RESCUE_BASE_URL is unset, naming the trusted header", () => {
    expect(baseUrlWarning(parseEnv({}))).toMatch(/NODE_RESCUE_BASE_URL is not set: sign-in trusts each request's Host header/);
    expect(baseUrlWarning(parseEnv({ NODE_RESCUE_BASE_URL: "https://rescue.example.com" }))).toBeNull();
  });

  it("recognises better-auth's own notice, which it logs only without a base URL", async () => {
    const without = await startupLog();
    expect(without.filter(([level, message]) => isBaseUrlUnsetNotice(level, message))).toHaveLength(1);
    const withUrl = await startupLog("https://rescue.example.com");
    expect(withUrl.filter(([level, message]) => isBaseUrlUnsetNotice(level, message))).toEqual([]);
  });

  it("the log filter drops that notice and prints everything else", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    logBetterAuth("warn", "[better-auth] Base URL is not set. Set the baseURL option or BETTER_AUTH_URL env, …");
    expect(warn).not.toHaveBeenCalled();
    logBetterAuth("warn", "Rate limiting could not determine a client IP");
    logBetterAuth("error", "Invalid origin: http://evil.example", { detail: 1 });
    expect(warn.mock.calls[0]?.[0]).toMatch(/WARN \[Better Auth\]: Rate limiting could not determine a client IP$/);
    expect(error.mock.calls[0]).toEqual([expect.stringMatching(/ERROR \[Better Auth\]: Invalid origin/), { detail: 1 }]);
  });
});
