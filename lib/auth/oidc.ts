// Optional OIDC sign-in: who the IdP says you are, and which role your groups give you. The
// mapping is pure (unit-tested); lib/auth/auth.ts wires it into better-auth's generic OAuth.
import { env, type TServerEnv } from "@/lib/env";
import { ROLES, roleAtLeast, type TRole, ZRole } from "./roles";

export const OIDC_PROVIDER_ID = "oidc";

export type TRoleMap = ReadonlyMap<string, TRole>;

/**
 * Parses "k8s-admins=admin,k8s-ops=operator" (whitespace and empty entries ignored). Throws a
 * readable error on an entry without "=" or an unknown role: a typo must not silently demote
 * (or promote) anyone.
 */
export function parseRoleMap(spec: string | undefined): TRoleMap {
  const map = new Map<string, TRole>();
  for (const raw of (spec ?? "").split(",")) {
    const entry = raw.trim();
    if (entry === "") continue;
    const at = entry.lastIndexOf("=");
    const group = entry.slice(0, at).trim();
    const role = ZRole.safeParse(entry.slice(at + 1).trim());
    if (at <= 0 || group === "" || !role.success) {
      throw new Error(`NODE_RESCUE_OIDC_ROLE_MAP: "${entry}" is not group=role (roles: ${ROLES.join(", ")})`);
    }
    const previous = map.get(group);
    map.set(group, previous && roleAtLeast(previous, role.data) ? previous : role.data);
  }
  return map;
}

/** The groups claim as a list: an array of strings, or one string (some IdPs send that). */
export function groupsFromClaims(claims: Record<string, unknown>, claim: string): string[] {
  const value = claims[claim];
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.filter((g): g is string => typeof g === "string");
  return [];
}

/** The highest role any of the groups maps to; no mapped group → viewer. */
export function roleForGroups(groups: readonly string[], map: TRoleMap): TRole {
  let role: TRole = "viewer";
  for (const group of groups) {
    const mapped = map.get(group);
    if (mapped && roleAtLeast(mapped, role)) role = mapped;
  }
  return role;
}

/** The role an IdP profile (ID token claims or userinfo) gives under this configuration. */
export const roleForProfile = (profile: Record<string, unknown>, oidc: Pick<TOidcConfig, "groupsClaim" | "roleMap">): TRole =>
  roleForGroups(groupsFromClaims(profile, oidc.groupsClaim), oidc.roleMap);

export type TOidcConfig = {
  issuer: string;
  clientId: string;
  clientSecret: string;
  scopes: string[];
  groupsClaim: string;
  roleMap: TRoleMap;
};

/** The OIDC configuration, or null when it is not configured (no button, no provider). */
export function oidcConfig(e: TServerEnv = env()): TOidcConfig | null {
  if (!e.NODE_RESCUE_OIDC_ISSUER || !e.NODE_RESCUE_OIDC_CLIENT_ID || !e.NODE_RESCUE_OIDC_CLIENT_SECRET) return null;
  return {
    issuer: e.NODE_RESCUE_OIDC_ISSUER.replace(/\/+$/, ""),
    clientId: e.NODE_RESCUE_OIDC_CLIENT_ID,
    clientSecret: e.NODE_RESCUE_OIDC_CLIENT_SECRET,
    scopes: e.NODE_RESCUE_OIDC_SCOPES.split(/[\s,]+/).filter(Boolean),
    groupsClaim: e.NODE_RESCUE_OIDC_GROUPS_CLAIM,
    roleMap: parseRoleMap(e.NODE_RESCUE_OIDC_ROLE_MAP),
  };
}
