// PURE: what a node-rescue backup would put back on a re-registered node.
import type { V1Node, V1Taint } from "@kubernetes/client-node";

export type TNodeBackupData = { labels: Record<string, string>; annotations: Record<string, string>; taints: V1Taint[] };
export type TRestoreDiff = {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  taints: Array<{ key: string; value: string | null; effect: string }>;
  empty: boolean;
};

/** Taints and annotations the control plane and kubelet own: never restored from a backup. */
const MANAGED_TAINT_PREFIX = "node.kubernetes.io/";
const MANAGED_ANNOTATIONS = new Set([
  "node.alpha.kubernetes.io/ttl",
  "volumes.kubernetes.io/controller-managed-attach-detach",
  "node-rescue.dev/last-action",
]);

export function restoreDiff(backup: TNodeBackupData, node: V1Node | undefined): TRestoreDiff {
  const labels: Record<string, string> = {};
  const annotations: Record<string, string> = {};
  const current = {
    labels: node?.metadata?.labels ?? {},
    annotations: node?.metadata?.annotations ?? {},
    taints: node?.spec?.taints ?? [],
  };
  for (const [k, v] of Object.entries(backup.labels)) if (current.labels[k] !== v) labels[k] = v;
  for (const [k, v] of Object.entries(backup.annotations)) {
    if (!MANAGED_ANNOTATIONS.has(k) && current.annotations[k] !== v) annotations[k] = v;
  }
  const taints = backup.taints
    .filter((t) => !t.key.startsWith(MANAGED_TAINT_PREFIX))
    .filter((t) => !current.taints.some((c) => c.key === t.key && c.effect === t.effect))
    .map((t) => ({ key: t.key, value: t.value ?? null, effect: t.effect }));
  return { labels, annotations, taints, empty: !Object.keys(labels).length && !Object.keys(annotations).length && !taints.length };
}
