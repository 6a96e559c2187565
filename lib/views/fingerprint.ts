// What a live view shows, reduced to a string: when it is unchanged no event is sent. Ages and
// countdowns are left out on purpose: the browser advances them itself between events.
import type { TNodeHealth, TStuckPod } from "@/lib/health";
import type { TSnapshot } from "@/lib/monitor/snapshot";

const fingerprints = new WeakMap<TSnapshot, string>();

/** Computed once per snapshot, however many browsers listen. */
export function fingerprintOf(s: TSnapshot): string {
  let fp = fingerprints.get(s);
  if (fp === undefined) {
    fp = computeFingerprint(s);
    fingerprints.set(s, fp);
  }
  return fp;
}

// Verdicts are carried over between snapshots (lib/health/evaluate-incremental.ts): their parts
// are remembered with them, so a snapshot costs a join, not 5,000 template strings.
const nodeParts = new WeakMap<TNodeHealth, { pods: number; part: string }>();
const podParts = new WeakMap<TStuckPod, string>();

function nodePart(n: TNodeHealth, pods: number): string {
  const kept = nodeParts.get(n);
  if (kept && kept.pods === pods) return kept.part;
  const taints = n.taints.map((t) => `${t.key}:${t.effect}`).join(",");
  const part = `${n.name}:${n.state}:${n.cordoned ? 1 : 0}:${taints}:${n.problems.length}:${pods}`;
  nodeParts.set(n, { pods, part });
  return part;
}

function podPart(p: TStuckPod): string {
  let part = podParts.get(p);
  if (part === undefined) {
    part = `${p.namespace}/${p.name}:${p.terminating ? 1 : 0}:${p.phase}`;
    podParts.set(p, part);
  }
  return part;
}

function computeFingerprint(s: TSnapshot): string {
  const parts: string[] = [s.connection.status];
  for (const n of s.health?.nodes ?? []) parts.push(nodePart(n, s.podsByNode.get(n.name)?.length ?? 0));
  for (const p of s.health?.stuckPods ?? []) parts.push(podPart(p));
  return parts.join("|");
}
