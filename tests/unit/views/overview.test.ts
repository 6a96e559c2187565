import type { V1Lease, V1Node, V1Pod } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { evaluateCluster } from "@/lib/health";
import type { TSnapshot } from "@/lib/monitor/snapshot";
import { viewNodes } from "@/lib/views/nodes";
import { viewOverview } from "@/lib/views/overview";
import { ago, iso, MINUTE, makeLease, makeNode, makePod, NOW, SECOND, unreachableTaints } from "../health/fixtures";
import { snapshotOf } from "./snapshot";

const ROLE = "node-role.kubernetes.io/";

/** One node of each unhealthy state, and Ready ones whose names sort differently as text and as numbers. */
function cluster() {
  const nodes: V1Node[] = [];
  const leases: V1Lease[] = [];
  const pods: V1Pod[] = [];
  const add = (node: V1Node, renewedAgoMs: number, podCount = 0, terminating = 0) => {
    const name = node.metadata?.name ?? "";
    nodes.push(node);
    leases.push(makeLease({ name, renewedAgoMs }));
    for (let i = 0; i < podCount; i++) {
      const pod = makePod({ name: `${name}-pod-${i}`, nodeName: name, ...(i < terminating ? { deletedAgoMs: MINUTE } : {}) });
      pods.push(pod);
    }
  };
  add(makeNode({ name: "worker-9" }), 2 * SECOND);
  add(makeNode({ name: "worker-10", labels: { [`${ROLE}gpu`]: "" } }), 2 * SECOND);
  add(makeNode({ name: "cp-1", labels: { [`${ROLE}control-plane`]: "" } }), 2 * SECOND);
  add(makeNode({ name: "worker-3" }), 2 * SECOND, 3);
  add(makeNode({ name: "worker-2", ready: "Unknown", readySince: ago(2 * MINUTE), taints: unreachableTaints(2 * MINUTE) }), 3 * MINUTE, 2);
  add(makeNode({ name: "worker-1", ready: "Unknown", readySince: ago(2 * MINUTE), taints: unreachableTaints(2 * MINUTE) }), 3 * MINUTE, 1);
  add(makeNode({ name: "worker-5", ready: "False" }), 2 * SECOND, 1);
  // Ready=True but the Lease is 30 s old (late after 20 s): only the Terminating pod is stuck.
  add(makeNode({ name: "worker-7" }), 30 * SECOND, 2, 1);
  return { nodes, leases, pods };
}

function snapshot(options: { withHealth?: boolean } = {}): TSnapshot {
  const { nodes, leases, pods } = cluster();
  const health =
    options.withHealth === false
      ? null
      : evaluateCluster({ nodes, leases, pods, pvcs: [], pvs: [], volumeAttachments: [], workloads: {}, now: NOW });
  return snapshotOf({ health, pods, nodes, version: 7 });
}

const ALL = { page: 0, pageSize: 100, q: "" };
const names = (v: ReturnType<typeof viewOverview>) => v.nodes.rows.map((r) => r.name);

describe("viewOverview", () => {
  it("builds the fixture's states as intended", () => {
    const states = Object.fromEntries((snapshot().health?.nodes ?? []).map((n) => [n.name, n.state]));
    expect(states).toEqual({
      "cp-1": "Ready",
      "worker-1": "Unknown",
      "worker-10": "Ready",
      "worker-2": "Unknown",
      "worker-3": "Ready",
      "worker-5": "NotReady",
      "worker-7": "HeartbeatLate",
      "worker-9": "Ready",
    });
  });

  it("orders Unknown, NotReady, HeartbeatLate, Ready, then by name as plain text", () => {
    const s = snapshot();
    // health lists nodes by name; reversed, the result shows the view sorts by name itself.
    s.health?.nodes.reverse();
    const v = viewOverview(s, ALL);
    expect(v.nodes.rows.map((r) => [r.name, r.state])).toEqual([
      ["worker-1", "Unknown"],
      ["worker-2", "Unknown"],
      ["worker-5", "NotReady"],
      ["worker-7", "HeartbeatLate"],
      ["cp-1", "Ready"],
      ["worker-10", "Ready"],
      ["worker-3", "Ready"],
      ["worker-9", "Ready"],
    ]);
    expect(v.nodes).toMatchObject({ total: 8, all: 8, page: 0, pages: 1, pageSize: 100, q: "" });
  });

  it("serves the rows /api/nodes serves, with pods and stuck pods counted per node", () => {
    const s = snapshot();
    const v = viewOverview(s, ALL);
    const complete = new Map(viewNodes(s).nodes.map((n) => [n.name, n]));
    for (const row of v.nodes.rows) expect(row).toEqual(complete.get(row.name));
    expect(Object.fromEntries(v.nodes.rows.map((r) => [r.name, [r.pods, r.stuckPods]]))).toEqual({
      "worker-1": [1, 1],
      "worker-2": [2, 2],
      "worker-5": [1, 1],
      "worker-7": [2, 1],
      "cp-1": [0, 0],
      "worker-10": [0, 0],
      "worker-3": [3, 0],
      "worker-9": [0, 0],
    });
  });

  it("pages: pageSize rows per page, the page count, and a page past the end clamped to the last", () => {
    const s = snapshot();
    const first = viewOverview(s, { page: 0, pageSize: 3, q: "" });
    expect(names(first)).toEqual(["worker-1", "worker-2", "worker-5"]);
    expect(first.nodes).toMatchObject({ total: 8, all: 8, page: 0, pages: 3, pageSize: 3 });
    expect(names(viewOverview(s, { page: 1, pageSize: 3, q: "" }))).toEqual(["worker-7", "cp-1", "worker-10"]);
    expect(names(viewOverview(s, { page: 2, pageSize: 3, q: "" }))).toEqual(["worker-3", "worker-9"]);
    const past = viewOverview(s, { page: 99, pageSize: 3, q: "" });
    expect(past.nodes.page).toBe(2);
    expect(names(past)).toEqual(["worker-3", "worker-9"]);
    expect(viewOverview(s, { page: 0, pageSize: 4, q: "" }).nodes.pages).toBe(2);
    expect(viewOverview(s, { page: 0, pageSize: 8, q: "" }).nodes.pages).toBe(1);
    expect(viewOverview(s, { page: 0, pageSize: 1, q: "" }).nodes.pages).toBe(8);
  });

  it("filters by a name fragment, keeping the order; total counts the matches, all every node", () => {
    const v = viewOverview(snapshot(), { page: 0, pageSize: 100, q: "worker-1" });
    expect(names(v)).toEqual(["worker-1", "worker-10"]);
    expect(v.nodes).toMatchObject({ total: 2, all: 8, pages: 1, q: "worker-1" });
    expect(names(viewOverview(snapshot(), { ...ALL, q: "  WORKER-9 " }))).toEqual(["worker-9"]);
  });

  it("filters by a state (the whole word, any case) and by a role (the whole role)", () => {
    const s = snapshot();
    expect(names(viewOverview(s, { ...ALL, q: "unknown" }))).toEqual(["worker-1", "worker-2"]);
    expect(names(viewOverview(s, { ...ALL, q: " NotReady " }))).toEqual(["worker-5"]);
    expect(names(viewOverview(s, { ...ALL, q: "heartbeatlate" }))).toEqual(["worker-7"]);
    expect(names(viewOverview(s, { ...ALL, q: "ready" }))).toEqual(["cp-1", "worker-10", "worker-3", "worker-9"]);
    expect(names(viewOverview(s, { ...ALL, q: "gpu" }))).toEqual(["worker-10"]);
    expect(names(viewOverview(s, { ...ALL, q: "control-plane" }))).toEqual(["cp-1"]);
    const none = viewOverview(s, { ...ALL, q: "control" });
    expect(none.nodes).toMatchObject({ rows: [], total: 0, all: 8, page: 0, pages: 1 });
  });

  it("pages the filtered nodes", () => {
    const v = viewOverview(snapshot(), { page: 5, pageSize: 2, q: "worker" });
    expect(v.nodes).toMatchObject({ total: 7, all: 8, page: 3, pages: 4, pageSize: 2 });
    expect(names(v)).toEqual(["worker-9"]);
  });

  it("carries the snapshot's header, summary and incident lists", () => {
    const v = viewOverview(snapshot(), { page: 0, pageSize: 1, q: "" });
    expect(v).toMatchObject({
      cluster: { name: "test" },
      connection: { status: "connected", since: iso(ago(10 * MINUTE)), serverVersion: "v1.20.2" },
      version: 7,
      generatedAt: iso(NOW),
      healthAt: iso(NOW),
      stuckPodsTotal: 5,
    });
    expect(v.summary?.nodes.total).toBe(8);
    expect(v.summary?.nodes.byState).toMatchObject({ Ready: 4, Unknown: 2, NotReady: 1, HeartbeatLate: 1 });
    expect(v.stuckPods.map((p) => p.nodeName).sort()).toEqual(["worker-1", "worker-2", "worker-2", "worker-5", "worker-7"]);
  });

  it("sorts once per snapshot: a later request on the same snapshot reuses the order", () => {
    const s = snapshot();
    expect(viewOverview(s, ALL).nodes.all).toBe(8);
    // Snapshots are never mutated; doing it here shows the second call did not sort again.
    s.health?.nodes.pop();
    expect(viewOverview(s, ALL).nodes.all).toBe(8);
    expect(viewOverview({ ...s }, ALL).nodes.all).toBe(7);
  });

  it("before the first sync (no health): no rows, zero counts", () => {
    const v = viewOverview(snapshot({ withHealth: false }), { page: 3, pageSize: 10, q: "worker" });
    expect(v.nodes).toEqual({ rows: [], total: 0, all: 0, page: 0, pages: 1, pageSize: 10, q: "worker" });
    expect(v.summary).toBeNull();
    expect(v).toMatchObject({ stuckPods: [], stuckPodsTotal: 0, workloads: [], workloadsTotal: 0, healthAt: null });
  });
});
