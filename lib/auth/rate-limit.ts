// better-auth's sign-in throttle, keyed on the client address node-rescue's server decided
// (CLIENT_ADDRESS_HEADER) and on nothing a client can write. Without that header (a server that
// did not set it) better-auth finds no address and counts every caller in one shared bucket:
// stricter, never spoofable — it must not fall back to X-Forwarded-For.
import { CLIENT_ADDRESS_HEADER } from "@/lib/http/client-address";

/** `advanced.ipAddress`: replaces better-auth's default ["x-forwarded-for"]. */
export const AUTH_IP_ADDRESS_OPTIONS = { ipAddressHeaders: [CLIENT_ADDRESS_HEADER] };

/** 3 password attempts per 10 s per client address (better-auth's own sign-in rule, pinned here). */
export const SIGN_IN_RATE_LIMIT = { window: 10, max: 3 };

/** `rateLimit`: on in production only (better-auth's default), the sign-in rule explicit. */
export const AUTH_RATE_LIMIT_OPTIONS = { customRules: { "/sign-in/email": SIGN_IN_RATE_LIMIT } };
