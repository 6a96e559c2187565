// Which pods stuck Terminating on member nodes to start or stop following: pure. A pod is
// followed from the first evaluation that shows it stuck until its object is gone (force-deleted,
// collected with its node, or finished by a returning kubelet).
import type { V1Pod } from "@kubernetes/client-node";
import type { TStuckPod } from "@/lib/health/evaluate-pod";
import { findByNsName } from "@/lib/health/index-by-name";

export type TTrackedPod = { incidentId: number; podKey: string; namespace: string; name: string; uid: string | null };
export type TNewStuckPod = TTrackedPod & {
  node: string;
  ownerKind: string | null;
  ownerName: string | null;
  deletionAt: Date | null;
};

export const podKeyOf = (p: { uid: string | null; namespace: string; name: string }) => p.uid ?? `${p.namespace}/${p.name}`;

export function planStuckPods(options: {
  tracked: ReadonlyMap<string, TTrackedPod>;
  stuckPods: readonly TStuckPod[];
  pods: readonly V1Pod[];
  incidentOfNode: ReadonlyMap<string, number>;
}): { started: TNewStuckPod[]; gone: TTrackedPod[] } {
  const started: TNewStuckPod[] = [];
  for (const p of options.stuckPods) {
    if (!p.terminating) continue;
    const podKey = podKeyOf(p);
    if (options.tracked.has(podKey)) continue;
    const incidentId = options.incidentOfNode.get(p.nodeName);
    if (incidentId === undefined) continue;
    started.push({
      incidentId,
      podKey,
      namespace: p.namespace,
      name: p.name,
      uid: p.uid,
      node: p.nodeName,
      ownerKind: p.owner?.kind ?? null,
      ownerName: p.owner?.name ?? null,
      deletionAt: new Date(p.terminating.requestedAt),
    });
  }
  const gone: TTrackedPod[] = [];
  for (const t of options.tracked.values()) {
    const pod = findByNsName(options.pods, t.namespace, t.name);
    // A pod of the same name with another uid is its replacement: the stuck one is gone.
    if (!pod || (t.uid !== null && pod.metadata?.uid !== t.uid)) gone.push(t);
  }
  return { started, gone };
}
