// The address better-auth's sign-in limiter keys on, with our options, through better-auth's own
// resolver (the function its rate limiter calls).
import { getIP } from "better-auth/api";
import { describe, expect, it } from "vitest";
import { AUTH_IP_ADDRESS_OPTIONS, AUTH_RATE_LIMIT_OPTIONS } from "@/lib/auth/rate-limit";
import { CLIENT_ADDRESS_HEADER } from "@/lib/http/client-address";

const options = { advanced: { ipAddress: AUTH_IP_ADDRESS_OPTIONS } };
const ipOf = (headers: Record<string, string>) => getIP(new Headers(headers), options);

describe("sign-in rate limit keying", () => {
  it("uses the server-decided client address header", () => {
    expect(ipOf({ [CLIENT_ADDRESS_HEADER]: "198.51.100.7" })).toBe("198.51.100.7");
    expect(ipOf({ [CLIENT_ADDRESS_HEADER]: "198.51.100.7", "x-forwarded-for": "203.0.113.9" })).toBe("198.51.100.7");
  });

  it("never falls back to X-Forwarded-For or X-Real-IP, which clients write", () => {
    // better-auth's default options do read X-Forwarded-For: the option is what changes it.
    expect(getIP(new Headers({ "x-forwarded-for": "203.0.113.9" }), {})).toBe("203.0.113.9");
    for (const spoofed of ["x-forwarded-for", "x-real-ip"].map((name) => ({ [name]: "203.0.113.9" }))) {
      // In production better-auth answers null here (one shared bucket); under vitest, 127.0.0.1.
      expect(ipOf(spoofed)).not.toBe("203.0.113.9");
    }
  });

  it("keeps 3 sign-in attempts per 10 s", () => {
    expect(AUTH_RATE_LIMIT_OPTIONS.customRules["/sign-in/email"]).toEqual({ window: 10, max: 3 });
  });
});
