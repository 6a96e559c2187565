// Roles and who is acting. viewer < operator < admin: each role may do what the ones below may.
import { z } from "zod";

export const ROLES = ["viewer", "operator", "admin"] as const;
export const ZRole = z.enum(ROLES);
export type TRole = z.infer<typeof ZRole>;

export const roleAtLeast = (role: TRole, min: TRole) => ROLES.indexOf(role) >= ROLES.indexOf(min);

/** Who made a request, as the audit log records it. */
export type TActor = {
  kind: "user" | "token";
  id: string;
  /** The user's email or the token's name. */
  name: string;
  role: TRole;
  ip: string | null;
  userAgent: string | null;
};
