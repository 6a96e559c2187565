// Losing the cluster connection is not a node transition: with the apiserver stopped for 30 s the
// dashboard shows the disconnect and records nothing, and nothing spurious after it comes back.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type TDb } from "@/lib/db";
import type { THealthView } from "@/lib/views/api-types";
import type { TNodesView } from "@/lib/views/nodes";
import { controlPlaneStart, controlPlaneStop } from "@/scripts/lab/lab";
import { LAB_TIMINGS } from "@/scripts/lab/timings";
import { startTestApp, type TTestApp, testDatabase } from "../../helpers/app";
import { startTestLab } from "../../helpers/lab";
import { stopwatch, waitUntil } from "../../helpers/wait";

const OUTAGE_MS = 30_000;

describe("API server outage", () => {
  let lab: Awaited<ReturnType<typeof startTestLab>>;
  let app: TTestApp;
  let db: TDb;
  const clock = stopwatch("outage");
  const health = () => app.getJson<THealthView>("/api/health");

  beforeAll(async () => {
    // The node controller's grace period outlasts the outage, so the control plane itself has
    // no reason to mark any node NotReady: every transition recorded would be our mistake.
    lab = await startTestLab({ scenario: "empty", nodes: 3, timings: { ...LAB_TIMINGS.fast, nodeMonitorGracePeriodSeconds: 120 } });
    const database = await testDatabase();
    db = createDb(database.url);
    app = await startTestApp({ kubeconfig: lab.kubeconfig, databaseUrl: database.url });
    await waitUntil("three Ready nodes recorded", async () => (await db.nodeTransition.count()) === 3, 60_000);
  });
  afterAll(async () => {
    await app?.stop();
    await db?.$disconnect();
    await lab?.down();
  });

  it("shows the disconnect, keeps the last state, and records no transition", async () => {
    expect((await health()).cluster.connected).toBe(true);
    await controlPlaneStop("kube-apiserver", { dir: lab.dir });
    clock.reset();
    const down = await waitUntil(
      "health to report the disconnect",
      async () => {
        const h = await health();
        return h.cluster.status === "reconnecting" ? h : null;
      },
      15_000,
      200,
    );
    clock.lap(`dashboard reports: reconnecting (${down.cluster.error})`);
    expect(down.cluster.connected).toBe(false);
    expect(down.cluster.since).toBeTruthy();
    const view = await app.getJson<TNodesView>("/api/nodes");
    expect(view.connection.status).toBe("reconnecting");
    expect(view.nodes.every((n) => n.state === "Ready")).toBe(true);

    await new Promise((r) => setTimeout(r, OUTAGE_MS));
    expect((await health()).cluster.status).toBe("reconnecting");
    expect(await db.nodeTransition.count()).toBe(3);

    await controlPlaneStart("kube-apiserver", { dir: lab.dir });
    clock.lap("apiserver back");
    await waitUntil("reconnected", async () => (await health()).cluster.connected, 60_000, 200);
    clock.lap("dashboard reconnected");
    // Long enough for a late heartbeat to be noticed, had the outage been blamed on the nodes.
    await new Promise((r) => setTimeout(r, 10_000));
    const rows = await db.nodeTransition.findMany();
    expect(rows.map((r) => r.toState)).toEqual(["Ready", "Ready", "Ready"]);
    const after = await app.getJson<TNodesView>("/api/nodes");
    expect(after.nodes.map((n) => n.state)).toEqual(["Ready", "Ready", "Ready"]);
  });
});
