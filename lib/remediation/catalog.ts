// The remediation actions, what each needs, and the names of the labels and annotations involved.
import { z } from "zod";
import type { TPermission } from "@/lib/auth/permissions";

export const ACTIONS = [
  "node.cordon",
  "node.uncordon",
  "node.drain",
  "pods.force-delete",
  "node.delete",
  "node.restore",
  "node.out-of-service.apply",
  "node.out-of-service.remove",
] as const;
export const ZAction = z.enum(ACTIONS);
export type TAction = z.infer<typeof ZAction>;

/** URL slug <-> action: /api/nodes/<name>/actions/<slug>. */
export const ACTION_SLUGS: Record<string, TAction> = {
  cordon: "node.cordon",
  uncordon: "node.uncordon",
  drain: "node.drain",
  "force-delete-pods": "pods.force-delete",
  delete: "node.delete",
  restore: "node.restore",
  "out-of-service": "node.out-of-service.apply",
  "remove-out-of-service": "node.out-of-service.remove",
};
export const slugOf = (action: TAction) => Object.entries(ACTION_SLUGS).find(([, a]) => a === action)?.[0] ?? action;

export const ACTION_LABELS: Record<TAction, string> = {
  "node.cordon": "Cordon",
  "node.uncordon": "Uncordon",
  "node.drain": "Drain",
  "pods.force-delete": "Force-delete Terminating pods",
  "node.delete": "Delete node",
  "node.restore": "Restore labels and taints",
  "node.out-of-service.apply": "Apply out-of-service taint",
  "node.out-of-service.remove": "Remove out-of-service taint",
};

/** Permission per action (roles in lib/auth/permissions.ts). */
export const ACTION_PERMISSION: Record<TAction, TPermission> = {
  "node.cordon": "node.cordon",
  "node.uncordon": "node.uncordon",
  "node.drain": "node.drain",
  "pods.force-delete": "pods.force-delete",
  "node.delete": "node.delete",
  "node.restore": "node.restore",
  "node.out-of-service.apply": "node.out-of-service.apply",
  "node.out-of-service.remove": "node.out-of-service.remove",
};

/** Actions that assume the node is really dead: a mistake on a live node loses work. */
export const DEAD_NODE_ACTIONS: ReadonlySet<TAction> = new Set(["pods.force-delete", "node.delete", "node.out-of-service.apply"]);

export const OUT_OF_SERVICE_TAINT = { key: "node.kubernetes.io/out-of-service", value: "nodeshutdown", effect: "NoExecute" } as const;

/** The reason of the last action, on the node itself, so kubectl users see it. */
export const LAST_ACTION_ANNOTATION = "node-rescue.dev/last-action";

/** Nodes carrying any of these (label or annotation, any value but "false") are never remediated. */
export const EXCLUSION_KEYS = [
  "node-rescue.dev/exclude",
  "remediation.medik8s.io/exclude-from-remediation",
  "cluster.x-k8s.io/skip-remediation",
] as const;
