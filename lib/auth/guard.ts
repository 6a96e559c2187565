// Who is calling, and may they? Every API route (lib/api/route.ts), the SSE stream, server
// actions and the dashboard layout go through here; proxy.ts and hidden buttons are only
// conveniences.
//
// Two ways in: better-auth's session cookie (browsers), or `Authorization: Bearer <token>`
// (scripts; lib/auth/users.ts createApiToken). A request that sends an Authorization header is
// judged by it alone — a bad token is not rescued by a cookie.
import "server-only";
import { headers as nextHeaders } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { ApiError } from "@/lib/api/errors";
import { getDb } from "@/lib/db";
import { env } from "@/lib/env";
import { clientAddressOf } from "@/lib/http/client-address";
import { checkSameOrigin, expectedOrigin, isStateChanging } from "@/lib/http/same-origin";
import { remember } from "@/lib/remember";
import { hashApiToken, TOKEN_RECHECK_MS } from "./api-token";
import { getAuth } from "./auth";
import { isDisabled } from "./disabled";
import { loginPath } from "./next-path";
import { PATH_HEADER } from "./path-header";
import { can, PERMISSIONS, type TPermission } from "./permissions";
import { type TActor, type TRole, ZRole } from "./roles";

/** lastUsedAt is written at most once a minute per token (not on every request). */
const LAST_USED_EVERY_MS = 60_000;

type TRequestMeta = Pick<TActor, "ip" | "userAgent">;

/**
 * Client address and user agent, for the audit log. The address is the one the server that
 * node-rescue starts decided (lib/http/client-address.ts: the socket's, or the rightmost
 * untrusted X-Forwarded-For hop behind NODE_RESCUE_TRUSTED_PROXIES); forwarding headers as the
 * client sent them are never read.
 */
export function requestMeta(headers: Headers): TRequestMeta {
  return { ip: clientAddressOf(headers), userAgent: headers.get("user-agent") || null };
}

/**
 * Why a state-changing request must be refused as cross-site, or null. Only cookie sessions
 * are exposed to forgery: a browser never attaches a bearer token by itself, so scripts with
 * tokens stay free of Origin and Content-Type rules.
 */
export function crossSiteRefusal(req: Request, actor: TActor): string | null {
  if (actor.kind !== "user" || !isStateChanging(req.method)) return null;
  return sameOriginRefusal(req);
}

/** Why `req` does not come from the dashboard's own pages (lib/http/same-origin.ts), or null. */
export function sameOriginRefusal(req: Request): string | null {
  const expected = expectedOrigin({ baseUrl: env().NODE_RESCUE_BASE_URL, headers: req.headers, requestUrl: req.url });
  const verdict = checkSameOrigin({ headers: req.headers, expected });
  return verdict.ok ? null : verdict.message;
}

/** undefined: no Authorization header; null: a header that is not a usable bearer token. */
function bearerToken(headers: Headers): string | null | undefined {
  const header = headers.get("authorization");
  if (header === null) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? null;
}

type TVerifiedToken = { id: string; name: string; role: TRole; lastUsedAt: Date | null; checkedAtMs: number };

/**
 * Tokens found valid, trusted again for TOKEN_RECHECK_MS without asking the database: the lookup
 * cost more CPU than the rest of a cached /api/nodes request (Prisma compiles the query every
 * time), and scripts poll several times a second. So a revoked token (revocation runs in
 * another process: npm run users) stops working within that second. Unknown and revoked tokens
 * are never remembered.
 */
const MAX_VERIFIED_TOKENS = 1_000;
const verifiedTokens = () => remember("auth:verified-tokens", () => new Map<string, TVerifiedToken>());

async function verifyToken(tokenHash: string, nowMs: number): Promise<TVerifiedToken | null> {
  const verified = verifiedTokens();
  const kept = verified.get(tokenHash);
  if (kept && nowMs - kept.checkedAtMs < TOKEN_RECHECK_MS) return kept;
  verified.delete(tokenHash);
  const row = await getDb().apiToken.findUnique({ where: { tokenHash } });
  if (!row || row.revokedAt) return null;
  const role = ZRole.safeParse(row.role);
  if (!role.success) return null;
  if (verified.size >= MAX_VERIFIED_TOKENS) verified.clear();
  const token = { id: row.id, name: row.name, role: role.data, lastUsedAt: row.lastUsedAt, checkedAtMs: nowMs };
  verified.set(tokenHash, token);
  return token;
}

async function actorFromToken(token: string, meta: TRequestMeta): Promise<TActor | null> {
  const now = new Date();
  const verified = await verifyToken(hashApiToken(token), now.getTime());
  if (!verified) return null;
  if (!verified.lastUsedAt || now.getTime() - verified.lastUsedAt.getTime() >= LAST_USED_EVERY_MS) {
    verified.lastUsedAt = now;
    // Conditional, so concurrent requests write once; a failed bookkeeping write must not deny access.
    await getDb()
      .apiToken.updateMany({
        where: { id: verified.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(now.getTime() - LAST_USED_EVERY_MS) } }] },
        data: { lastUsedAt: now },
      })
      .catch((err: unknown) => console.error("[node-rescue] could not record token use", err));
  }
  return { kind: "token", id: verified.id, name: verified.name, role: verified.role, ...meta };
}

async function actorFromSession(headers: Headers, meta: TRequestMeta, refresh: boolean): Promise<TActor | null> {
  const session = await getAuth().api.getSession({ headers, query: { disableRefresh: !refresh } });
  if (!session) return null;
  // Disabling deletes the user's sessions; one that outlived that (a race) is refused all the same.
  if (isDisabled(session.user)) return null;
  // An unknown value in the column (edited by hand) gets the least privilege, not an error page.
  const role = ZRole.catch("viewer").parse(session.user.role);
  return { kind: "user", id: session.user.id, name: session.user.email, role, ...meta };
}

async function authenticateHeaders(headers: Headers, refresh: boolean): Promise<TActor | null> {
  const meta = requestMeta(headers);
  const token = bearerToken(headers);
  if (token === null) return null;
  if (token !== undefined) return actorFromToken(token, meta);
  return actorFromSession(headers, meta, refresh);
}

/** The caller of a route handler, or null when they sent no valid session or token. */
export function authenticate(req: Request): Promise<TActor | null> {
  return authenticateHeaders(req.headers, true);
}

/** The 403 for a role without `permission` (one sentence everywhere), or null when it has it. */
export function permissionError(role: TActor["role"], permission: TPermission): ApiError | null {
  return can(role, permission) ? null : new ApiError("forbidden", `${role} may not ${permission}; needs ${PERMISSIONS[permission]}`);
}

function authorize(actor: TActor | null, permission: TPermission): TActor {
  if (!actor) throw new ApiError("unauthorized", "sign in or send an API token");
  const forbidden = permissionError(actor.role, permission);
  if (forbidden) throw forbidden;
  return actor;
}

/**
 * The caller, if their role allows `permission` and (for a state-changing request on a
 * session cookie) the request comes from our own origin; otherwise throws ApiError 401 / 403.
 */
export async function requirePermission(req: Request, permission: TPermission): Promise<TActor> {
  const actor = authorize(await authenticate(req), permission);
  const crossSite = crossSiteRefusal(req, actor);
  if (crossSite) throw new ApiError("forbidden", crossSite);
  return actor;
}

/**
 * The signed-in user (or token) of the current Server Component / server action request.
 * Sessions are not slid forward here: Server Components cannot set cookies. Memoized per
 * request (the root layout and the dashboard layout both ask).
 */
export const currentActor: () => Promise<TActor | null> = cache(async () => authenticateHeaders(await nextHeaders(), false));

/** For server actions: the current actor if allowed `permission`; otherwise throws ApiError 401 / 403. */
export async function requireCurrentPermission(permission: TPermission): Promise<TActor> {
  return authorize(await currentActor(), permission);
}

/**
 * For pages: the signed-in actor, or a redirect to /login (and back afterwards). The dashboard
 * layout calls it, and so does every page that renders data on the server — Next renders a
 * layout and its page in parallel, so a layout's redirect alone does not keep a page's
 * server-rendered output out of the response.
 */
export async function requirePageActor(): Promise<TActor> {
  const actor = await currentActor();
  if (!actor) redirect(loginPath((await nextHeaders()).get(PATH_HEADER) ?? "/"));
  return actor;
}
