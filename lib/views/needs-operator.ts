// PURE: the overview's call to action. Per dead node (NotReady/Unknown), the workloads on it that
// will not come back without an operator (a StatefulSet pod keeps its name, a bare pod has no
// controller, an RWO volume stays attached…), with how long the node has been dead.
import type { TNodeHealth, TServiceImpact, TStuckPod, TWorkloadImpact } from "@/lib/health";

export type TNeedsOperatorWorkload = {
  kind: string;
  namespace: string;
  name: string;
  /** What the service sees (down, degraded); null when the workload impact does not list it. */
  impact: TServiceImpact | null;
  /** Its pods on the node that need an operator. */
  pods: string[];
};

export type TNeedsOperator = {
  node: string;
  state: "NotReady" | "Unknown";
  /** When the node stopped being Ready; null when Kubernetes did not say. */
  deadSince: string | null;
  /** How many of its pods need an operator. */
  pods: number;
  /** Down first, then degraded, then by namespace, kind and name. */
  workloads: TNeedsOperatorWorkload[];
};

/** Enough lines for the overview to fold; a storm (which the gates lock anyway) is summed in `total`. */
export const NEEDS_OPERATOR_LIMIT = 20;

const IMPACT_ORDER: Record<TServiceImpact | "null", number> = { down: 0, degraded: 1, none: 2, null: 3 };
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const keyOf = (kind: string, namespace: string, name: string) => `${namespace}\u0000${kind}\u0000${name}`;

export function viewNeedsOperator(
  input: { nodes: readonly TNodeHealth[]; stuckPods: readonly TStuckPod[]; workloads: readonly TWorkloadImpact[] },
  limit = NEEDS_OPERATOR_LIMIT,
): { items: TNeedsOperator[]; total: number } {
  const dead = new Map<string, TNodeHealth>();
  for (const n of input.nodes) if (n.state === "NotReady" || n.state === "Unknown") dead.set(n.name, n);
  if (dead.size === 0) return { items: [], total: 0 };

  // Per dead node, its workloads with pods that need an operator.
  const perNode = new Map<string, { pods: number; workloads: Map<string, TNeedsOperatorWorkload> }>();
  for (const p of input.stuckPods) {
    if (!p.needsAction || !dead.has(p.nodeName)) continue;
    const kind = p.owner?.kind ?? "Pod";
    const name = p.owner?.name ?? p.name;
    const key = keyOf(kind, p.namespace, name);
    let entry = perNode.get(p.nodeName);
    if (!entry) {
      entry = { pods: 0, workloads: new Map() };
      perNode.set(p.nodeName, entry);
    }
    entry.pods++;
    const w = entry.workloads.get(key);
    if (w) w.pods.push(p.name);
    else entry.workloads.set(key, { kind, namespace: p.namespace, name, impact: null, pods: [p.name] });
  }
  if (perNode.size === 0) return { items: [], total: 0 };

  const impacts = new Map(input.workloads.map((w) => [keyOf(w.kind, w.namespace, w.name), w.serviceImpact]));
  const items = [...perNode].map(([nodeName, entry]): TNeedsOperator => {
    const node = dead.get(nodeName) as TNodeHealth;
    const workloads = [...entry.workloads].map(([key, w]) => ({ ...w, impact: impacts.get(key) ?? null, pods: w.pods.sort(byText) }));
    workloads.sort(
      (a, b) =>
        IMPACT_ORDER[a.impact ?? "null"] - IMPACT_ORDER[b.impact ?? "null"] ||
        byText(a.namespace, b.namespace) ||
        byText(a.kind, b.kind) ||
        byText(a.name, b.name),
    );
    return { node: nodeName, state: node.state as TNeedsOperator["state"], deadSince: node.notReadySince, pods: entry.pods, workloads };
  });
  // Dead the longest first (an unknown start last), then by name.
  const since = (i: TNeedsOperator) => (i.deadSince === null ? Number.POSITIVE_INFINITY : Date.parse(i.deadSince));
  items.sort((a, b) => since(a) - since(b) || byText(a.node, b.node));
  return { items: items.slice(0, limit), total: items.length };
}
