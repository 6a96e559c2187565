// The fingerprint decides when browsers are told to refetch and when /api/nodes is rebuilt.
import type { V1Pod } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { evaluateCluster } from "@/lib/health";
import type { TSnapshot } from "@/lib/monitor/snapshot";
import { fingerprintOf } from "@/lib/views/fingerprint";
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

describe("fingerprintOf", () => {
  it("ignores a Lease renewal (ages move in the browser)", () => {
    expect(fingerprintOf(snapshot({ renewedAgoMs: 2 * SECOND }))).toBe(fingerprintOf(snapshot({ renewedAgoMs: 7 * SECOND })));
  });

  it("changes with a cordon, a pod count, a node's state and its stuck pods", () => {
    const base = fingerprintOf(snapshot());
    expect(fingerprintOf(snapshot({ cordoned: true }))).not.toBe(base);
    expect(fingerprintOf(snapshot({ pods: [makePod({ name: "a", nodeName: "worker-1" })] }))).not.toBe(base);
    const dead = fingerprintOf(snapshot({ dead: true }));
    expect(dead).not.toBe(base);
    expect(fingerprintOf(snapshot({ dead: true, pods: [makePod({ name: "b", nodeName: "worker-2" })] }))).not.toBe(dead);
  });

  it("counts the pods of the snapshot, not those a carried-over verdict was judged with", () => {
    const s = snapshot();
    const before = fingerprintOf(s);
    const more = { ...s, podsByNode: new Map([["worker-1", [makePod({ name: "c", nodeName: "worker-1" })]]]) };
    expect(fingerprintOf(more)).not.toBe(before);
  });

  it("changes with the connection", () => {
    const s = snapshot();
    expect(fingerprintOf({ ...s, connection: { status: "reconnecting", since: NOW, error: "x" } })).not.toBe(fingerprintOf(s));
  });
});
