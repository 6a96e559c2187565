// PURE: whether a policy selects a node, by the node's labels: its selector (matchLabels and
// matchExpressions, as the API server matches them) and the control-plane rule — control-plane
// nodes never match unless the policy sets includeControlPlane.
import { rolesOf } from "@/lib/health/evaluate-node";
import { matchesSelector as matchesLabelSelector } from "@/lib/remediation/selector";
import type { TPolicy } from "./schema";

/** node-role.kubernetes.io/control-plane or /master (or the legacy kubernetes.io/role=master), as the safety gates see it. */
export const isControlPlane = (labels: Record<string, string> | undefined) =>
  rolesOf(labels).some((role) => role === "control-plane" || role === "master");

export function matchesSelector(
  policy: Pick<TPolicy, "selector" | "includeControlPlane">,
  labels: Record<string, string> | undefined = {},
): boolean {
  if (!policy.includeControlPlane && isControlPlane(labels)) return false;
  return matchesLabelSelector(policy.selector, labels);
}
