import type { V1Toleration } from "@kubernetes/client-node";
import type { TTaint } from "./evaluate-node";
import { toMs } from "./time";
import { findToleration } from "./tolerates";

export type TEviction = {
  /**
   * none: the node has no NoExecute taint yet, so no countdown runs.
   * scheduled: the taint manager evicts the pod at `evictAt` (maybe already passed).
   * never: every NoExecute taint is tolerated without tolerationSeconds (DaemonSet pods).
   * unknown: the countdown runs but no taint carries a timeAdded to start it from.
   */
  status: "none" | "scheduled" | "never" | "unknown";
  /** The NoExecute taints on the node (node.kubernetes.io/unreachable, not-ready, ...). */
  taintKeys: string[];
  /** The effective wait: 0 when a taint is not tolerated at all; null when never/none. */
  tolerationSeconds: number | null;
  startedAt: string | null;
  evictAt: string | null;
  /** evictAt − now: negative once passed; null unless scheduled. */
  evictInMs: number | null;
};

/**
 * When the taint manager evicts a pod from a node, following its rules: all NoExecute taints
 * count; any taint without a matching toleration means immediate eviction; otherwise the wait is
 * the smallest tolerationSeconds among the tolerations used (≤ 0 means now), and tolerations
 * without tolerationSeconds tolerate forever.
 *
 * The start is the earliest timeAdded of the taints involved. The taint manager starts counting
 * when it first sees a taint and keeps that start when the node controller swaps not-ready for
 * unreachable, so after such a swap the real eviction may come earlier than `evictAt`.
 */
export function evaluateEviction(options: {
  tolerations: readonly V1Toleration[] | undefined;
  taints: readonly TTaint[];
  now: Date;
}): TEviction {
  const noExecute = options.taints.filter((t) => t.effect === "NoExecute");
  const taintKeys = noExecute.map((t) => t.key);
  const base = { taintKeys, tolerationSeconds: null, startedAt: null, evictAt: null, evictInMs: null };
  if (noExecute.length === 0) return { status: "none", ...base };

  const tolerations = options.tolerations ?? [];
  const untolerated = noExecute.filter((taint) => findToleration({ tolerations, taint }) === null);
  const used = noExecute.flatMap((taint) => findToleration({ tolerations, taint }) ?? []);
  const waitSeconds = untolerated.length > 0 ? 0 : minTolerationSeconds(used);
  if (waitSeconds === null) return { status: "never", ...base };

  const starts = (untolerated.length > 0 ? untolerated : noExecute).map((t) => toMs(t.timeAdded)).filter((ms): ms is number => ms !== null);
  if (starts.length === 0) return { status: "unknown", ...base, tolerationSeconds: waitSeconds };

  const startMs = Math.min(...starts);
  const evictMs = startMs + waitSeconds * 1000;
  return {
    status: "scheduled",
    taintKeys,
    tolerationSeconds: waitSeconds,
    startedAt: new Date(startMs).toISOString(),
    evictAt: new Date(evictMs).toISOString(),
    evictInMs: evictMs - options.now.getTime(),
  };
}

/** The taint manager's getMinTolerationTime; null means "forever". */
function minTolerationSeconds(used: readonly V1Toleration[]): number | null {
  let min: number | null = null;
  for (const { tolerationSeconds } of used) {
    if (tolerationSeconds === undefined || tolerationSeconds === null) continue;
    if (tolerationSeconds <= 0) return 0;
    if (min === null || tolerationSeconds < min) min = tolerationSeconds;
  }
  return min;
}
