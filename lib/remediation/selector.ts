// PURE: label selector matching (matchLabels + matchExpressions), as the API server does it.
import type { V1LabelSelector } from "@kubernetes/client-node";

export function matchesSelector(selector: V1LabelSelector | undefined, labels: Record<string, string> = {}) {
  // No selector selects nothing. (An empty one, {}, selects everything: the loops below pass.)
  if (!selector) return false;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    // Own keys only: "constructor" and "toString" are valid label keys, not inherited members.
    const has = Object.hasOwn(labels, e.key);
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
