// The dashboard on the seed incident: heartbeat late -> Unknown recorded once each, stuck pods
// with owners, PVCs and countdowns, and a restart mid-incident adds no duplicate transition.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type TDb } from "@/lib/db";
import type { TTransitionsView } from "@/lib/views/api-types";
import type { TNodesView, TNodeView } from "@/lib/views/nodes";
import type { TOverviewView } from "@/lib/views/overview";
import { kubeletStop } from "@/scripts/lab/lab";
import { SEED_STORAGE_CLASS, SEED_VICTIM } from "@/scripts/lab/scenarios/seed";
import { startTestApp, type TTestApp, testDatabase } from "../../helpers/app";
import { startTestLab } from "../../helpers/lab";
import { stopwatch, waitUntil } from "../../helpers/wait";

describe("dashboard on the seed incident", () => {
  let lab: Awaited<ReturnType<typeof startTestLab>>;
  let app: TTestApp;
  let db: TDb;
  let database: Awaited<ReturnType<typeof testDatabase>>;
  const clock = stopwatch("incident");
  const nodes = () => app.getJson<TNodesView>("/api/nodes");
  const victimRows = () => db.nodeTransition.findMany({ where: { node: SEED_VICTIM }, orderBy: { seq: "asc" } });

  beforeAll(async () => {
    lab = await startTestLab({ scenario: "seed" });
    database = await testDatabase();
    db = createDb(database.url);
    app = await startTestApp({ kubeconfig: lab.kubeconfig, databaseUrl: database.url });
  });
  afterAll(async () => {
    await app?.stop();
    await db?.$disconnect();
    await lab?.down();
  });

  it("serves every node Ready and records each node's first state once", async () => {
    const view = await waitUntil(
      "all six nodes Ready in /api/nodes",
      async () => {
        const v = await nodes();
        return v.nodes.length === 6 && v.nodes.every((n) => n.health === "Ready") ? v : null;
      },
      60_000,
    );
    expect(view.connection.status).toBe("connected");
    expect(view.nodes.map((n) => n.name)).toContain(SEED_VICTIM);
    await waitUntil("first transitions stored", async () => (await db.nodeTransition.count()) === 6, 10_000);
    expect((await victimRows()).map((r) => r.toState)).toEqual(["Ready"]);
  });

  it("kubelet stop: HeartbeatLate first, then Unknown, each recorded once", async () => {
    kubeletStop(SEED_VICTIM, { dir: lab.dir });
    clock.reset();
    await waitUntil(
      "HeartbeatLate in the API",
      async () => (await nodes()).nodes.find((n) => n.name === SEED_VICTIM)?.state === "HeartbeatLate",
      30_000,
      100,
    );
    const lateAt = clock.lap("dashboard shows HeartbeatLate");
    const unknown = await waitUntil(
      "Unknown in the API",
      async () => {
        const n = (await nodes()).nodes.find((x) => x.name === SEED_VICTIM);
        return n?.health === "Unknown" ? n : null;
      },
      60_000,
      100,
    );
    const unknownAt = clock.lap("dashboard shows Unknown");
    // The suspicion comes well before the node controller's verdict (grace period 10 s in the lab).
    expect(lateAt).toBeLessThan(unknownAt);
    expect(unknown.state).toBe("Unknown");
    const rows = await waitUntil(
      "Unknown stored",
      async () => {
        const r = await victimRows();
        return r.at(-1)?.toState === "Unknown" ? r : null;
      },
      10_000,
    );
    expect(rows.map((r) => r.toState)).toEqual(["Ready", "HeartbeatLate", "Unknown"]);
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(rows[2]?.fromState).toBe("HeartbeatLate");
    expect(rows[2]?.apiTransitionTime).toBeInstanceOf(Date);
    const api = await app.getJson<TTransitionsView>(`/api/transitions?node=${SEED_VICTIM}`);
    expect(api.items.map((t) => t.toState)).toEqual(["Unknown", "HeartbeatLate", "Ready"]);
  });

  it("lists the stuck pods with owners, PVCs and eviction countdowns", async () => {
    const view = await waitUntil(
      "Redis Terminating among the stuck pods",
      async () => {
        const v = await nodes();
        const redis = v.stuckPods.find((p) => p.name === "harbor-registry-redis-master-0");
        return redis?.terminating ? v : null;
      },
      90_000,
    );
    clock.lap("stuck pods Terminating");
    const redis = view.stuckPods.find((p) => p.name === "harbor-registry-redis-master-0");
    expect(redis?.owner).toMatchObject({ kind: "StatefulSet", name: "harbor-registry-redis-master" });
    expect(redis?.needsAction).toBe(true);
    expect(redis?.volumes[0]).toMatchObject({
      claimName: "data-harbor-registry-redis-master-0",
      storageClassName: SEED_STORAGE_CLASS,
      rwo: true,
    });
    expect(redis?.eviction.status).toBe("scheduled");
    expect(redis?.eviction.taintKeys).toContain("node.kubernetes.io/unreachable");
    expect(Date.parse(redis?.eviction.evictAt ?? "")).toBeGreaterThan(Date.parse(redis?.eviction.startedAt ?? ""));
    const deploymentPod = view.stuckPods.find((p) => p.owner?.kind === "Deployment");
    expect(deploymentPod?.owner?.replicaSet).toBeTruthy();
    expect(deploymentPod?.needsAction).toBe(false);
    const victim = view.nodes.find((n) => n.name === SEED_VICTIM);
    expect(victim?.stuckPods).toBeGreaterThanOrEqual(5);
    expect(view.summary?.needsAction).toBeGreaterThanOrEqual(1);

    const detail = await app.getJson<TNodeView>(`/api/nodes/${SEED_VICTIM}`);
    expect(detail.node.conditions.find((c) => c.type === "Ready")?.status).toBe("Unknown");
    expect(detail.node.taints.some((t) => t.key === "node.kubernetes.io/unreachable" && t.effect === "NoExecute" && t.timeAdded)).toBe(
      true,
    );
    expect(detail.pods.find((p) => p.name === "harbor-registry-redis-master-0")?.stuck?.needsAction).toBe(true);
  });

  it("GET /api/overview: one page, the dead node first, filtered and paged on the server", async () => {
    const overview = await app.getJson<TOverviewView>("/api/overview?pageSize=2");
    expect(overview.nodes).toMatchObject({ total: 6, all: 6, page: 0, pages: 3, pageSize: 2, q: "" });
    expect(overview.nodes.rows).toHaveLength(2);
    expect(overview.nodes.rows[0]).toMatchObject({ name: SEED_VICTIM, health: "Unknown" });
    expect(overview.nodes.rows[0]?.stuckPods).toBeGreaterThanOrEqual(5);
    expect(overview.stuckPodsTotal).toBeGreaterThanOrEqual(5);
    const last = await app.getJson<TOverviewView>("/api/overview?pageSize=2&page=99");
    expect(last.nodes.page).toBe(2);
    expect(last.nodes.rows).toHaveLength(2);
    const unknown = await app.getJson<TOverviewView>("/api/overview?q=Unknown");
    expect(unknown.nodes.rows.map((n) => n.name)).toEqual([SEED_VICTIM]);
    expect(unknown.nodes).toMatchObject({ total: 1, all: 6, q: "unknown" });
    const res = await app.fetch("/api/overview");
    expect(res.headers.get("cache-control")).toBe("no-store");
  });

  it("a dashboard restart mid-incident adds no duplicate transition", async () => {
    const before = await db.nodeTransition.findMany({ orderBy: { id: "asc" } });
    await app.stop();
    app = await startTestApp({ kubeconfig: lab.kubeconfig, databaseUrl: database.url, port: app.port });
    await waitUntil("reconnected", async () => (await nodes()).connection.status === "connected", 30_000);
    // Several evaluations after the restart (one per second at least).
    await new Promise((r) => setTimeout(r, 4_000));
    const after = await db.nodeTransition.findMany({ orderBy: { id: "asc" } });
    expect(after.map((r) => [r.node, r.seq, r.toState])).toEqual(before.map((r) => [r.node, r.seq, r.toState]));
  });

  it("answers bad parameters with 400 and a clear message, unknown nodes with 404", async () => {
    const bad = await app.fetch("/api/transitions?limit=0");
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toMatch(/limit/);
    const badName = await app.fetch("/api/nodes/NOT_A_NODE");
    expect(badName.status).toBe(400);
    expect((await badName.json()).error.message).toMatch(/node name/);
    const unknown = await app.fetch("/api/nodes/no-such-node");
    expect(unknown.status).toBe(404);
    const extra = await app.fetch("/api/transitions?bogus=1");
    expect(extra.status).toBe(400);
    const cursor = await app.fetch("/api/transitions?cursor=garbage");
    expect(cursor.status).toBe(400);
    expect((await cursor.json()).error.message).toMatch(/cursor/i);
    for (const [query, message] of [
      ["page=-1", /page is a whole number from 0/],
      ["page=1.5", /page is a whole number from 0/],
      ["pageSize=1000", /pageSize is a whole number from 1 to 500/],
      ["pageSize=0", /pageSize is a whole number from 1 to 500/],
      [`q=${"x".repeat(101)}`, /q has at most 100 characters/],
    ] as const) {
      const res = await app.fetch(`/api/overview?${query}`);
      expect(`${query.slice(0, 20)} ${res.status}`).toBe(`${query.slice(0, 20)} 400`);
      expect((await res.json()).error.message).toMatch(message);
    }
  });
});
