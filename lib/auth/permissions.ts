// The one table of what each role may do. Route handlers and server actions check it on the
// server; the UI reads it only to hide buttons a user could not use anyway.
import { roleAtLeast, type TRole } from "./roles";

export const PERMISSIONS = {
  /** Every page and GET route. */
  "cluster.read": "viewer",
  "audit.read": "viewer",
  /** GET /metrics (Prometheus); NODE_RESCUE_METRICS_PUBLIC lifts it for in-cluster scrapers. */
  "metrics.read": "viewer",
  "node.cordon": "operator",
  "node.uncordon": "operator",
  "node.drain": "operator",
  "pods.force-delete": "admin",
  "node.delete": "admin",
  "node.restore": "admin",
  "node.out-of-service.apply": "admin",
  "node.out-of-service.remove": "admin",
  /** Acting although a safety gate (storm/partition guard) says no, with a reason. */
  "gate.override": "admin",
  /** Removing a node's action lock that a stuck or dead action holds, with a reason. */
  "node.lock.break": "admin",
  /** Notification endpoints: see, create, change, delete, send a test, read their deliveries. */
  "notifications.manage": "admin",
  /**
   * Repair policies: read them. Operators repair nodes by hand beside them and need to know which
   * policy selects a node and what it would do; viewers have no use for them.
   */
  "policies.read": "operator",
  /** Repair policies: create, replace (enable, disable), delete; every change audited with a diff. */
  "policies.manage": "admin",
  /** Auto-repair's state: the pause, the storm breaker, holds, repairs and every decision (node pages show them). */
  "repair.read": "viewer",
  /** Approve or reject a proposed repair (the approver also needs every ladder action's permission). */
  "repair.approve": "operator",
  /** Pause and resume auto-repair, reset the storm breaker, clear a flapping hold. */
  "repair.control": "admin",
} as const satisfies Record<string, TRole>;
export type TPermission = keyof typeof PERMISSIONS;

export const can = (role: TRole, permission: TPermission) => roleAtLeast(role, PERMISSIONS[permission]);
