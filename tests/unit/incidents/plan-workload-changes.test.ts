import type { V1StatefulSet } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import type { TWorkloadImpact } from "@/lib/health/workload-impact";
import { planWorkloadChanges, type TTrackedWorkload } from "@/lib/incidents/plan-workload-changes";
import { readWorkloadState } from "@/lib/incidents/workload-state";

const now = new Date("2026-12-01T10:00:00Z");
const impact = (name: string, nodes: string[], kind = "StatefulSet"): TWorkloadImpact => ({
  kind,
  namespace: "ns",
  name,
  desiredReplicas: 1,
  statusReadyReplicas: 0,
  readyElsewhere: 0,
  podsOnUnhealthyNodes: [`${name}-0`],
  unhealthyNodes: nodes,
  serviceImpact: "down",
});
const sts = (name: string, replicas: number, ready: number): V1StatefulSet => ({
  metadata: { namespace: "ns", name },
  spec: { replicas, selector: {}, serviceName: name, template: {} },
  status: { replicas, readyReplicas: ready },
});

describe("readWorkloadState", () => {
  it("judges from the controller's status: whole, degraded, down, gone", () => {
    const read = (list: V1StatefulSet[]) =>
      readWorkloadState({ ref: { kind: "StatefulSet", namespace: "ns", name: "redis" }, workloads: { statefulSets: list }, pods: [] });
    expect(read([sts("redis", 3, 3)]).state).toBe("whole");
    expect(read([sts("redis", 3, 1)])).toEqual({ state: "degraded", desired: 3, ready: 1 });
    expect(read([sts("redis", 1, 0)]).state).toBe("down");
    expect(read([sts("redis", 0, 0)]).state).toBe("whole");
    expect(read([]).state).toBe("gone");
    expect(readWorkloadState({ ref: { kind: "Pod", namespace: "ns", name: "bare" }, workloads: {}, pods: [] }).state).toBe("gone");
  });
});

describe("planWorkloadChanges", () => {
  const base = { lastRecorded: new Map(), incidentOfNode: new Map([["w1", 4]]), now };

  it("starts following a workload with a pod on a member node, and records its first state", () => {
    const p = planWorkloadChanges({
      ...base,
      tracked: new Map(),
      impacts: [impact("redis", ["w1"])],
      read: () => ({ state: "down", desired: 1, ready: 0 }),
    });
    expect(p.changes).toEqual([
      expect.objectContaining({
        incidentId: 4,
        previous: null,
        lastRecorded: null,
        ref: { kind: "StatefulSet", namespace: "ns", name: "redis" },
      }),
    ]);
    expect(p.untrack).toEqual([]);
  });

  it("waits while the node's transition is not recorded yet, and ignores kinds it cannot judge", () => {
    const p = planWorkloadChanges({
      ...base,
      tracked: new Map(),
      impacts: [impact("redis", ["w9"]), impact("job", ["w1"], "Job")],
      read: () => ({ state: "down", desired: 1, ready: 0 }),
    });
    expect(p.changes).toEqual([]);
  });

  it("announces a recovery once, and stops following once whole with no pod left on a dead node", () => {
    const tracked = new Map<string, TTrackedWorkload>([
      ["StatefulSet/ns/redis", { incidentId: 4, ref: { kind: "StatefulSet", namespace: "ns", name: "redis" }, state: "down" }],
    ]);
    const p = planWorkloadChanges({ ...base, tracked, impacts: [], read: () => ({ state: "whole", desired: 1, ready: 1 }) });
    expect(p.changes.map((c) => [c.previous, c.reading.state])).toEqual([["down", "whole"]]);
    expect(p.events.map((e) => e.event.type)).toEqual(["workload.recovered"]);
    expect(p.untrack).toEqual(["StatefulSet/ns/redis"]);
    const still = planWorkloadChanges({
      ...base,
      tracked,
      impacts: [impact("redis", ["w1"])],
      read: () => ({ state: "down", desired: 1, ready: 0 }),
    });
    expect(still.changes).toEqual([]);
    expect(still.untrack).toEqual([]);
  });
});
