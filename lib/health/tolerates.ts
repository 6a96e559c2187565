import type { V1Toleration } from "@kubernetes/client-node";

type TTaintLike = { key: string; value?: string | null; effect: string };

/**
 * Whether a toleration tolerates a taint, as the API server decides (core/v1 ToleratesTaint):
 * an empty effect matches every effect, an empty key matches every key, "Exists" ignores the
 * value, "Equal" (or no operator) compares it. Unknown operators tolerate nothing.
 */
export function tolerates(options: { toleration: V1Toleration; taint: TTaintLike }): boolean {
  const { toleration: t, taint } = options;
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  if (t.operator === "Exists") return true;
  if (!t.operator || t.operator === "Equal") return (t.value ?? "") === (taint.value ?? "");
  return false;
}

/** The first toleration that tolerates the taint, which is the one the taint manager uses. */
export function findToleration(options: { tolerations: readonly V1Toleration[]; taint: TTaintLike }): V1Toleration | null {
  return options.tolerations.find((toleration) => tolerates({ toleration, taint: options.taint })) ?? null;
}
