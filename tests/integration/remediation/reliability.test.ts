// Locks, deadlines and several processes, on the seed lab with real servers sharing one SQLite
// file: a second server never interrupts the first one's live drain, a crash mid-drain frees the
// node at the next start, a hung API server fails an action within its deadline with the lock
// released, and an admin can break a stuck lock (audited). The seed's PodDisruptionBudget keeps a
// drain of acp-worker01 running for as long as its timeout allows.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type TDb } from "@/lib/db";
import type { TNodesView } from "@/lib/views/nodes";
import { createTestToken, startTestApp, type TTestApp, testDatabase } from "../../helpers/app";
import { startTestLab } from "../../helpers/lab";
import { waitUntil } from "../../helpers/wait";

const body = (node: string, extra: Record<string, unknown> = {}) => ({
  confirm: node,
  reason: "reliability test of node-rescue",
  ...extra,
});

describe("locks, deadlines and two processes on one database", () => {
  let lab: Awaited<ReturnType<typeof startTestLab>>;
  let database: Awaited<ReturnType<typeof testDatabase>>;
  let db: TDb;
  let operator: string;
  const apps: TTestApp[] = [];

  const start = async () => {
    const app = await startTestApp({ kubeconfig: lab.kubeconfig, databaseUrl: database.url });
    apps.push(app);
    await waitUntil(
      "six Ready nodes",
      async () => (await app.getJson<TNodesView>("/api/nodes")).nodes.filter((n) => n.state === "Ready").length === 6,
      60_000,
    );
    return app;
  };
  const act = (app: TTestApp, node: string, slug: string, payload: unknown, token = app.token) =>
    fetch(`${app.url}/api/nodes/${node}/actions/${slug}`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify(payload),
    });
  const lockOf = (node: string) => db.nodeActionLock.findUnique({ where: { cluster_node: { cluster: "test", node } } });
  const outcomesOf = (actionId: string) => db.auditEvent.findMany({ where: { actionId, phase: { startsWith: "outcome" } } });
  const apiServerPid = () => Number(readFileSync(join(lab.dir, "pids", "kube-apiserver.pid"), "utf8").trim());

  beforeAll(async () => {
    lab = await startTestLab({ scenario: "seed" });
    database = await testDatabase();
    db = createDb(database.url);
    operator = await createTestToken(database.url, "operator");
  });
  afterAll(async () => {
    try {
      process.kill(apiServerPid(), "SIGCONT");
    } catch {
      // already running, or gone
    }
    for (const app of apps) await app.stop();
    await db?.$disconnect();
    await lab?.down();
  });

  it("a second server started during a drain leaves it alone; the attempt gets exactly one outcome", async () => {
    const a = await start();
    const drain = act(a, "acp-worker01", "drain", body("acp-worker01", { timeoutSeconds: 15 }));
    const lock = await waitUntil("the drain's lock", () => lockOf("acp-worker01"), 20_000, 100);
    const b = await start();
    // B has registered and reconciled at least twice (its start and one heartbeat).
    await waitUntil(
      "the second server's heartbeat",
      async () => {
        const rows = await db.instance.findMany({ where: { stoppedAt: null } });
        return rows.length === 2 && rows.every((r) => r.heartbeatAt.getTime() > r.startedAt.getTime() + 1_000);
      },
      30_000,
    );
    expect(await outcomesOf(lock.actionId)).toHaveLength(0);
    const busy = await act(b, "acp-worker01", "cordon", body("acp-worker01"), operator);
    expect(busy.status).toBe(409);
    expect((await busy.json()).error.message).toMatch(/being remediated by/);
    const done = await drain;
    expect(done.status).toBe(200);
    const result = await done.json();
    expect(result.actionId).toBe(lock.actionId);
    expect((await outcomesOf(lock.actionId)).map((o) => [o.phase, o.outcome])).toEqual([["outcome", "failed"]]);
    expect(await lockOf("acp-worker01")).toBeNull();
    await b.stop();
  });

  it("a crash mid-drain frees the node at the next start: one 'interrupted' outcome, lock released", async () => {
    const a = apps[0] as TTestApp;
    const drain = act(a, "acp-worker01", "drain", body("acp-worker01", { timeoutSeconds: 120 })).catch(() => null);
    const lock = await waitUntil("the drain's lock", () => lockOf("acp-worker01"), 20_000, 100);
    a.child.kill("SIGKILL");
    await drain;
    const restarted = await start();
    const outcomes = await waitUntil(
      "the interrupted outcome",
      async () => {
        const rows = await outcomesOf(lock.actionId);
        return rows.length > 0 ? rows : null;
      },
      15_000,
    );
    expect(outcomes.map((o) => o.outcome)).toEqual(["interrupted"]);
    expect(await lockOf("acp-worker01")).toBeNull();
    const free = await act(restarted, "acp-worker01", "uncordon", body("acp-worker01"), operator);
    expect(free.status).toBe(200);
    expect(await outcomesOf(lock.actionId)).toHaveLength(1);
  });

  it("a hung API server fails the action within its deadline, with the lock released", async () => {
    const app = apps.at(-1) as TTestApp;
    const before = await db.auditEvent.count();
    process.kill(apiServerPid(), "SIGSTOP");
    try {
      const started = Date.now();
      const res = await act(app, "acp-worker02", "cordon", body("acp-worker02"), operator);
      expect(res.status).toBe(424);
      // The call's own 10 s bound, normally; on a starved machine the action's 30 s deadline may come first.
      expect((await res.json()).error.message).toMatch(/no answer from the API server within 10 s|the action's deadline passed/);
      expect(Date.now() - started).toBeLessThan(35_000);
      expect(await lockOf("acp-worker02")).toBeNull();
      const rows = await db.auditEvent.findMany({ where: { id: { gt: 0 } }, orderBy: { id: "asc" }, skip: before });
      expect(rows.map((r) => [r.phase, r.outcome])).toEqual([
        ["intent", null],
        ["outcome", "failed"],
      ]);
      expect(JSON.parse(rows[1]?.k8sStatus ?? "{}")).toMatchObject({ reason: "Timeout" });
    } finally {
      process.kill(apiServerPid(), "SIGCONT");
      // Whatever failed above, the next test starts connected.
      await waitUntil("connected again", async () => (await app.getJson("/api/health")).cluster.connected === true, 60_000);
    }
  });

  it("an admin breaks a stuck lock with a reason (audited); the running drain stops at its next renewal", async () => {
    const app = apps.at(-1) as TTestApp;
    const drain = act(app, "acp-worker01", "drain", body("acp-worker01", { timeoutSeconds: 120 }));
    const lock = await waitUntil("the drain's lock", () => lockOf("acp-worker01"), 20_000, 100);
    const breakLock = (token: string, payload: unknown) =>
      fetch(`${app.url}/api/nodes/acp-worker01/lock`, {
        method: "DELETE",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
        body: JSON.stringify(payload),
      });
    const refused = await breakLock(operator, { confirm: "acp-worker01", reason: "the drain hangs" });
    expect(refused.status).toBe(403);
    const noReason = await breakLock(app.token, { confirm: "acp-worker01" });
    expect(noReason.status).toBe(400);
    expect(await lockOf("acp-worker01")).not.toBeNull();
    const broken = await breakLock(app.token, { confirm: "acp-worker01", reason: "the drain hangs on a PDB" });
    expect(broken.status).toBe(200);
    expect((await broken.json()).broken.actionId).toBe(lock.actionId);
    const audit = await db.auditEvent.findMany({ where: { action: "node.lock.break" }, orderBy: { id: "asc" } });
    expect(audit.map((r) => [r.outcome, r.actorRole])).toEqual([
      ["refused", "operator"],
      ["refused", "admin"],
      ["succeeded", "admin"],
    ]);
    expect(audit[2]?.reason).toBe("the drain hangs on a PDB");
    expect(audit[2]?.message).toContain(lock.actionId);
    // The drain notices within one renewal period (15 s), long before its 120 s.
    const done = await Promise.race([
      drain,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error("the drain did not stop within 40 s")), 40_000)),
    ]);
    expect(done.status).toBe(200);
    expect((await outcomesOf(lock.actionId)).map((o) => o.outcome)).toEqual(["failed"]);
  });
});
