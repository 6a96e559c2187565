// The visible version decides when browsers are told to refetch and when /api/nodes is rebuilt.
import type { V1Pod } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { evaluateCluster } from "@/lib/health";
import type { TSnapshot } from "@/lib/monitor/snapshot";
import { visibleVersionOf } from "@/lib/views/visible-version";
import { ago, MINUTE, makeLease, makeNode, makePod, NOW, SECOND, unreachableTaints } from "../health/fixtures";
import { snapshotOf } from "./snapshot";

function snapshot(options: { cordoned?: boolean; renewedAgoMs?: number; pods?: V1Pod[]; dead?: boolean } = {}): TSnapshot {
  const nodes = [
    makeNode({ name: "worker-1", unschedulable: options.cordoned }),
    options.dead
      ? makeNode({ name: "worker-2", ready: "Unknown", readySince: ago(MINUTE), taints: unreachableTaints(MINUTE) })
      : makeNode({ name: "worker-2" }),
  ];
  const leases = [makeLease({ name: "worker-1", renewedAgoMs: options.renewedAgoMs }), makeLease({ name: "worker-2" })];
  const pods = options.pods ?? [];
  const health = evaluateCluster({ nodes, leases, pods, pvcs: [], pvs: [], volumeAttachments: [], workloads: {}, now: NOW });
  return snapshotOf({ health, pods });
}

describe("visibleVersionOf", () => {
  it("ignores a Lease renewal (ages move in the browser)", () => {
    expect(visibleVersionOf(snapshot({ renewedAgoMs: 2 * SECOND }))).toBe(visibleVersionOf(snapshot({ renewedAgoMs: 7 * SECOND })));
  });

  it("changes with a cordon, a pod count, a node's state and its stuck pods", () => {
    const base = visibleVersionOf(snapshot());
    expect(visibleVersionOf(snapshot({ cordoned: true }))).not.toBe(base);
    expect(visibleVersionOf(snapshot({ pods: [makePod({ name: "a", nodeName: "worker-1" })] }))).not.toBe(base);
    const dead = visibleVersionOf(snapshot({ dead: true }));
    expect(dead).not.toBe(base);
    expect(visibleVersionOf(snapshot({ dead: true, pods: [makePod({ name: "b", nodeName: "worker-2" })] }))).not.toBe(dead);
  });

  it("counts the pods of the snapshot, not those a carried-over verdict was judged with", () => {
    const s = snapshot();
    const before = visibleVersionOf(s);
    const more = { ...s, podsByNode: new Map([["worker-1", [makePod({ name: "c", nodeName: "worker-1" })]]]) };
    expect(visibleVersionOf(more)).not.toBe(before);
  });

  it("changes with the VolumeAttachments (a new list from the cache), not with the same list", () => {
    const s = snapshot();
    const before = visibleVersionOf(s);
    expect(visibleVersionOf({ ...s, version: s.version + 1 })).toBe(before);
    const detached = { ...s, version: s.version + 2, volumeAttachments: [] };
    expect(visibleVersionOf(detached)).not.toBe(before);
  });

  it("changes with the connection", () => {
    const s = snapshot();
    expect(visibleVersionOf({ ...s, connection: { status: "reconnecting", since: NOW, error: "x" } })).not.toBe(visibleVersionOf(s));
  });

  it("keeps the version for carried-over verdicts, and moves it for another cluster's snapshot only there", () => {
    const s = snapshot();
    const same = { ...s, version: s.version + 1 };
    expect(visibleVersionOf(same)).toBe(visibleVersionOf(s));
    const other = {
      ...s,
      cluster: { ...s.cluster, name: "other" },
      connection: { status: "reconnecting", since: NOW, error: "x" },
    } as const;
    visibleVersionOf(other);
    expect(visibleVersionOf({ ...s, version: s.version + 2 })).toBe(visibleVersionOf(s));
  });

  it("is computed once per snapshot and only grows", () => {
    const a = snapshot();
    const b = snapshot({ cordoned: true });
    const va = visibleVersionOf(a);
    const vb = visibleVersionOf(b);
    expect(vb).toBeGreaterThan(va);
    expect(visibleVersionOf(a)).toBe(va);
    expect(visibleVersionOf(snapshot())).toBeGreaterThan(vb);
  });
});
