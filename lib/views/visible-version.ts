// Which version of what a live view shows at once: node states, cordons, taints, problems, pod
// counts, stuck pods, VolumeAttachments (a node page's out-of-service status and dry runs name
// them; they change only at an attach or a detach) and the connection. It moves when one of those changes, and only then: no
// SSE event is sent and no /api/nodes body rebuilt for a Lease renewal. Ages and countdowns are
// left out on purpose: the browser advances them itself between events.
//
// Each snapshot is compared with the previous one of its cluster. Verdicts are carried over
// between snapshots (lib/health/evaluate-incremental.ts), so most comparisons are by identity
// and a snapshot costs a pass over pointers, not 5,000 strings.
import type { TNodeHealth, TStuckPod } from "@/lib/health";
import type { TSnapshot } from "@/lib/monitor/snapshot";
import { remember } from "@/lib/remember";

type TShown = {
  version: number;
  status: TSnapshot["connection"]["status"];
  nodes: readonly TNodeHealth[];
  podsByNode: TSnapshot["podsByNode"];
  stuckPods: readonly TStuckPod[];
  volumeAttachments: TSnapshot["volumeAttachments"];
};

/**
 * Each snapshot's version and the last shown state per cluster: one pair per process (remember()),
 * so that every route bundle Next.js loads this module into numbers a snapshot alike.
 */
const numbering = () =>
  remember("views:visible-versions", () => ({ versions: new WeakMap<TSnapshot, number>(), lastShown: new Map<string, TShown>() }));

/** Computed once per snapshot, however many browsers listen. */
export function visibleVersionOf(s: TSnapshot): number {
  const { versions, lastShown } = numbering();
  let version = versions.get(s);
  if (version !== undefined) return version;
  const shown = {
    status: s.connection.status,
    nodes: s.health?.nodes ?? [],
    podsByNode: s.podsByNode,
    stuckPods: s.health?.stuckPods ?? [],
    volumeAttachments: s.volumeAttachments,
  };
  const last = lastShown.get(s.cluster.name);
  version = last && !shownDiffers(last, shown) ? last.version : (last?.version ?? 0) + 1;
  lastShown.set(s.cluster.name, { ...shown, version });
  versions.set(s, version);
  return version;
}

function shownDiffers(a: Omit<TShown, "version">, b: Omit<TShown, "version">): boolean {
  if (a.status !== b.status || a.nodes.length !== b.nodes.length || a.stuckPods.length !== b.stuckPods.length) return true;
  if (a.volumeAttachments !== b.volumeAttachments) return true;
  const samePods = a.podsByNode === b.podsByNode;
  for (let i = 0; i < a.nodes.length; i++) {
    const x = a.nodes[i] as TNodeHealth;
    const y = b.nodes[i] as TNodeHealth;
    if (x !== y && nodeShown(x) !== nodeShown(y)) return true;
    if (!samePods && (a.podsByNode.get(x.name)?.length ?? 0) !== (b.podsByNode.get(y.name)?.length ?? 0)) return true;
  }
  for (let i = 0; i < a.stuckPods.length; i++) {
    const x = a.stuckPods[i] as TStuckPod;
    const y = b.stuckPods[i] as TStuckPod;
    if (x !== y && podShown(x) !== podShown(y)) return true;
  }
  return false;
}

const nodeParts = new WeakMap<TNodeHealth, string>();
const podParts = new WeakMap<TStuckPod, string>();

function nodeShown(n: TNodeHealth): string {
  let part = nodeParts.get(n);
  if (part === undefined) {
    const taints = n.taints.map((t) => `${t.key}:${t.effect}`).join(",");
    part = `${n.name}:${n.state}:${n.cordoned ? 1 : 0}:${taints}:${n.problems.length}`;
    nodeParts.set(n, part);
  }
  return part;
}

function podShown(p: TStuckPod): string {
  let part = podParts.get(p);
  if (part === undefined) {
    part = `${p.namespace}/${p.name}:${p.terminating ? 1 : 0}:${p.phase}`;
    podParts.set(p, part);
  }
  return part;
}
