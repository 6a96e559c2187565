// Roles and who is acting. viewer < operator < admin: each role may do what the ones below may.
import { z } from "zod";

export const ROLES = ["viewer", "operator", "admin"] as const;
export const ZRole = z.enum(ROLES);
export type TRole = z.infer<typeof ZRole>;

export const roleAtLeast = (role: TRole, min: TRole) => ROLES.indexOf(role) >= ROLES.indexOf(min);

/** Who made a request, as the audit log records it: a person, an API token or a repair policy. */
export type TActor = {
  kind: "user" | "token" | "policy";
  /** The user's, token's or policy's id. */
  id: string;
  /** The user's email, the token's name, or "policy:<name>". */
  name: string;
  role: TRole;
  ip: string | null;
  userAgent: string | null;
};
