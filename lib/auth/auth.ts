// The better-auth instance: email + password against our Prisma database, server-side sessions
// in a signed cookie, `role` and `disabledAt` columns users cannot set, no sign-up over HTTP
// (accounts come from `npm run users` and the demo), no session for a disabled user, and optional
// OIDC configured from the environment only.
// Created lazily (first request), once per process: `next build` imports route modules, and it
// must not need a secret or a database for that.
import "server-only";
import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { APIError } from "better-auth/api";
import { nextCookies } from "better-auth/next-js";
import { genericOAuth } from "better-auth/plugins/generic-oauth";
import { databaseKind } from "@/lib/database-kind";
import { getDb } from "@/lib/db";
import { env } from "@/lib/env";
import { expectedOrigin } from "@/lib/http/same-origin";
import { remember } from "@/lib/remember";
import { logBetterAuth } from "./base-url";
import { ACCOUNT_DISABLED_CODE, ACCOUNT_DISABLED_MESSAGE, isDisabled } from "./disabled";
import { OIDC_PROVIDER_ID, oidcConfig, roleForProfile, type TOidcConfig } from "./oidc";
import { oidcRoleOfThisRequest, rememberOidcRole } from "./oidc-role";
import { AUTH_IP_ADDRESS_OPTIONS, AUTH_RATE_LIMIT_OPTIONS } from "./rate-limit";
import { authSecret } from "./secret";

/** Sessions last 12 h and slide forward (at most once an hour) while the dashboard is used. */
const SESSION_SECONDS = 12 * 60 * 60;

function oidcPlugin(oidc: TOidcConfig) {
  return genericOAuth({
    config: [
      {
        providerId: OIDC_PROVIDER_ID,
        name: "SSO",
        discoveryUrl: `${oidc.issuer}/.well-known/openid-configuration`,
        requireIdTokenVerification: true,
        clientId: oidc.clientId,
        clientSecret: oidc.clientSecret,
        scopes: oidc.scopes,
        pkce: true,
        // The role goes to the user row through the hooks below (lib/auth/oidc-role.ts says why).
        mapProfileToUser: async (profile) => {
          await rememberOidcRole(roleForProfile(profile, oidc));
          return {};
        },
      },
    ],
  });
}

/**
 * Without NODE_RESCUE_BASE_URL, better-auth derives its own origin from the request URL, which
 * `next start` builds as http://localhost:<port> whatever the browser used (127.0.0.1, a LAN
 * name), and then refuses the browser's sign-in/sign-out as "Invalid origin". Trust exactly the
 * origin the request was sent to instead (expectedOrigin, the one place that decides it): a
 * same-origin check — a cross-site page cannot set those headers on a victim's request.
 */
function requestOrigin(request?: Request): string[] {
  const origin = request ? expectedOrigin({ headers: request.headers, requestUrl: request.url }) : null;
  return origin ? [origin] : [];
}

function createAuth() {
  const e = env();
  const db = getDb();
  const oidc = oidcConfig(e);
  return betterAuth({
    appName: "node-rescue",
    // Unset: taken per request (see requestOrigin), announced at start (lib/auth/base-url.ts).
    baseURL: e.NODE_RESCUE_BASE_URL,
    basePath: "/api/auth",
    // With a configured base URL, better-auth trusts exactly that origin.
    trustedOrigins: e.NODE_RESCUE_BASE_URL ? [] : requestOrigin,
    secret: authSecret(),
    database: prismaAdapter(db, { provider: databaseKind(e.DATABASE_URL) }),
    telemetry: { enabled: false },
    logger: { log: logBetterAuth },
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: 12 },
    session: { expiresIn: SESSION_SECONDS, updateAge: 60 * 60 },
    rateLimit: AUTH_RATE_LIMIT_OPTIONS,
    advanced: {
      ipAddress: AUTH_IP_ADDRESS_OPTIONS,
      // Secure cookies follow the public URL when it is known (plain-HTTP installs on a LAN set
      // NODE_RESCUE_BASE_URL=http://…); otherwise better-auth's default (Secure in production —
      // browsers accept that on http://127.0.0.1 and localhost).
      ...(e.NODE_RESCUE_BASE_URL ? { useSecureCookies: e.NODE_RESCUE_BASE_URL.startsWith("https:") } : {}),
    },
    user: {
      additionalFields: {
        role: { type: "string", required: false, defaultValue: "viewer", input: false },
        // Read by the guard on every request; set and cleared only by the CLI.
        disabledAt: { type: "date", required: false, input: false },
      },
    },
    databaseHooks: {
      user: {
        create: {
          // OIDC first sign-in: the role its groups map to (email/password users come from the CLI).
          before: async (user) => {
            const role = await oidcRoleOfThisRequest();
            return role ? { data: { ...user, role } } : undefined;
          },
        },
      },
      session: {
        create: {
          before: async (session) => {
            const user = await db.user.findUnique({ where: { id: session.userId }, select: { role: true, disabledAt: true } });
            // Every sign-in method ends in a new session: refusing it here refuses them all.
            if (user && isDisabled(user))
              throw new APIError("FORBIDDEN", { code: ACCOUNT_DISABLED_CODE, message: ACCOUNT_DISABLED_MESSAGE });
            // OIDC later sign-ins: group membership may have changed at the IdP.
            const role = await oidcRoleOfThisRequest();
            if (role && role !== user?.role) await db.user.update({ where: { id: session.userId }, data: { role } });
          },
        },
      },
    },
    // nextCookies last: lets server actions set cookies through next/headers.
    plugins: [...(oidc ? [oidcPlugin(oidc)] : []), nextCookies()],
  });
}

export type TAuth = ReturnType<typeof createAuth>;

export const getAuth = (): TAuth => remember("auth", createAuth);
