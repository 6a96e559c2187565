// PURE: label selector matching (matchLabels + matchExpressions), as the API server does it.
import type { V1LabelSelector } from "@kubernetes/client-node";

export function matchesSelector(selector: V1LabelSelector | undefined, labels: Record<string, string> = {}) {
  // A PDB with an empty selector selects every pod in its namespace (policy/v1 semantics).
  if (!selector) return false;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = e.key in labels;
    const value = labels[e.key];
    switch (e.operator) {
      case "In":
        if (!has || !e.values?.includes(value as string)) return false;
        break;
      case "NotIn":
        if (has && e.values?.includes(value as string)) return false;
        break;
      case "Exists":
        if (!has) return false;
        break;
      case "DoesNotExist":
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}
