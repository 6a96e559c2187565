// What a live view shows, reduced to a string: when it is unchanged no event is sent. Ages and
// countdowns are left out on purpose: the browser advances them itself between events.
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

function computeFingerprint(s: TSnapshot): string {
  const parts: string[] = [s.connection.status];
  for (const n of s.health?.nodes ?? []) {
    parts.push(
      `${n.name}:${n.state}:${n.cordoned ? 1 : 0}:${n.taints.map((t) => `${t.key}:${t.effect}`).join(",")}:${n.problems.length}:${s.podsByNode.get(n.name)?.length ?? 0}`,
    );
  }
  for (const p of s.health?.stuckPods ?? []) parts.push(`${p.namespace}/${p.name}:${p.terminating ? 1 : 0}:${p.phase}`);
  return parts.join("|");
}
