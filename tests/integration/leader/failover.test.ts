// Two replicas, one leader, on the seed lab and one shared database: both watch and serve, the
// holder of the Lease records. The leader is killed (SIGKILL) in the middle of an incident while it
// and the follower each run a drain: the follower leads within the Lease duration, records the
// change that happened in the gap (none lost) and nothing twice, gives the dead replica's drain its
// "interrupted" outcome once that replica's heartbeat is stale, and leaves its own drain alone. The
// old leader, restarted, follows. A leader stopped on purpose hands over at once.
import { AppsV1Api, CoreV1Api, KubeConfig, KubernetesObjectApi, type V1Deployment } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type TDb } from "@/lib/db";
import type { TLeaderStatus } from "@/lib/leader/elector";
import { kubeletStart, kubeletStop } from "@/scripts/lab/lab";
import { createTestToken, startTestApp, type TTestApp, testDatabase } from "../../helpers/app";
import { startTestLab } from "../../helpers/lab";
import { stopwatch, waitUntil } from "../../helpers/wait";

const NAMESPACE = "node-rescue";
const VICTIM = "acp-worker03";
/** The seed's PDB holds acp-worker01's drain; this test's own holds acp-worker02's. */
const HELD = { node: "acp-worker02", name: "hold", labels: { app: "hold" } };

type THealth = { leader: boolean; leadership: TLeaderStatus };

describe("two replicas, one leader (Lease), on one database", () => {
  let lab: Awaited<ReturnType<typeof startTestLab>>;
  let database: Awaited<ReturnType<typeof testDatabase>>;
  let db: TDb;
  let operator: string;
  const apps: TTestApp[] = [];
  const watch = stopwatch("failover");

  const replica = async (name: string) => {
    const app = await startTestApp({
      kubeconfig: lab.kubeconfig,
      databaseUrl: database.url,
      env: {
        NODE_RESCUE_LEADER_ELECTION: "on",
        NODE_RESCUE_NAMESPACE: NAMESPACE,
        // Two pods' names: the dead one is recognised by its Lease and heartbeat, not by its pid.
        NODE_RESCUE_INSTANCE_NAME: name,
      },
    });
    apps.push(app);
    return app;
  };
  const health = (app: TTestApp) => app.getJson<THealth>("/api/health");
  const drain = (app: TTestApp, node: string, timeoutSeconds: number) =>
    fetch(`${app.url}/api/nodes/${node}/actions/drain`, {
      method: "POST",
      headers: { Authorization: `Bearer ${operator}`, "Content-Type": "application/json" },
      body: JSON.stringify({ confirm: node, reason: "failover test of node-rescue", timeoutSeconds }),
    }).catch(() => null);
  const lockOf = (node: string) => db.nodeActionLock.findUnique({ where: { cluster_node: { cluster: "test", node } } });
  const outcomesOf = (actionId: string) => db.auditEvent.findMany({ where: { actionId, phase: "outcome" } });
  const transitionsOf = (node: string) => db.nodeTransition.findMany({ where: { cluster: "test", node }, orderBy: { seq: "asc" } });

  beforeAll(async () => {
    lab = await startTestLab({ scenario: "seed" });
    database = await testDatabase();
    db = createDb(database.url);
    operator = await createTestToken(database.url, "operator");
    const kc = new KubeConfig();
    kc.loadFromFile(lab.kubeconfig);
    await kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: NAMESPACE } } });
    // A one-replica Deployment on acp-worker02 that its PDB never lets go: a drain there runs until its timeout.
    const hold: V1Deployment = {
      metadata: { name: HELD.name, namespace: "default" },
      spec: {
        replicas: 1,
        selector: { matchLabels: HELD.labels },
        template: {
          metadata: { labels: HELD.labels },
          spec: {
            nodeSelector: { "kubernetes.io/hostname": HELD.node },
            containers: [{ name: "hold", image: "registry.k8s.io/pause:3.9" }],
          },
        },
      },
    };
    await kc.makeApiClient(AppsV1Api).createNamespacedDeployment({ namespace: "default", body: hold });
    // policy/v1beta1: the lab's 1.20 serves PodDisruptionBudgets there only.
    await KubernetesObjectApi.makeApiClient(kc).create({
      apiVersion: "policy/v1beta1",
      kind: "PodDisruptionBudget",
      metadata: { name: HELD.name, namespace: "default" },
      spec: { minAvailable: 1, selector: { matchLabels: HELD.labels } },
    } as never);
    const core = kc.makeApiClient(CoreV1Api);
    await waitUntil(
      "the hold pod Running on acp-worker02",
      async () =>
        (await core.listNamespacedPod({ namespace: "default", labelSelector: "app=hold" })).items.some(
          (p) => p.status?.phase === "Running" && p.spec?.nodeName === HELD.node,
        ),
      60_000,
    );
  });
  afterAll(async () => {
    for (const app of apps) await app.stop().catch(() => undefined);
    await db?.$disconnect();
    await lab?.down();
  });

  it("the first replica takes the Lease; the second follows and serves the same view", async () => {
    const a = await replica("replica-a");
    const leading = await waitUntil("replica-a leading", async () => ((await health(a)).leader ? health(a) : null), 30_000);
    expect(leading.leadership).toMatchObject({ enabled: true, lease: `${NAMESPACE}/node-rescue-leader` });
    expect(leading.leadership.identity).toMatch(/^replica-a_[0-9a-f-]{36}$/);
    const b = await replica("replica-b");
    const following = await waitUntil("replica-b following", async () => {
      const h = await health(b);
      return h.leadership.holder === leading.leadership.identity ? h : null;
    });
    expect(following.leader).toBe(false);
    for (const app of [a, b]) {
      await waitUntil(
        "six Ready nodes on both",
        async () => (await app.getJson<{ nodes: { state: string }[] }>("/api/nodes")).nodes.filter((n) => n.state === "Ready").length === 6,
        60_000,
      );
    }
    // Every node's first state, recorded once by the leader alone.
    const firsts = await db.nodeTransition.groupBy({ by: ["node"], where: { cluster: "test" }, _count: true });
    expect(firsts).toHaveLength(6);
    expect(firsts.every((f) => f._count === 1)).toBe(true);
  });

  it("kill -9 the leader mid-incident: the follower leads, records the gap once, reconciles only the dead one's drain", async () => {
    const [a, b] = apps as [TTestApp, TTestApp];
    const aIdentity = (await health(a)).leadership.identity;
    // Each replica runs a drain held by a PDB: the dead one's must be interrupted, the live one's not.
    const deadDrain = drain(a, HELD.node, 300);
    const liveDrain = drain(b, "acp-worker01", 45);
    const deadLock = await waitUntil("replica-a's drain lock", () => lockOf(HELD.node), 20_000, 100);
    const liveLock = await waitUntil("replica-b's drain lock", () => lockOf("acp-worker01"), 20_000, 100);

    kubeletStop(VICTIM, { dir: lab.dir });
    watch.reset();
    await waitUntil(
      "the leader recording the late heartbeat",
      async () => (await transitionsOf(VICTIM)).some((t) => t.toState === "HeartbeatLate"),
      30_000,
      100,
    );
    watch.lap("HeartbeatLate recorded by replica-a; SIGKILL");
    a.child.kill("SIGKILL");
    const killedAt = Date.now();
    await deadDrain;

    const led = await waitUntil("replica-b leading", async () => ((await health(b)).leader ? health(b) : null), 30_000, 200);
    const failoverMs = Date.now() - killedAt;
    watch.lap(`replica-b leads (MEASURED: ${(failoverMs / 1000).toFixed(1)} s after the kill)`);
    // The Lease runs 15 s from when the follower saw the last renewal (up to one 2 s retry after it).
    expect(failoverMs).toBeLessThan(15_000 + 2_000 + 1_500);
    expect(led.leadership.holder).toBe(led.leadership.identity);

    // The node went Unknown while no one led: recorded by the new leader, from what it saw.
    const unknown = await waitUntil(
      "the Unknown transition",
      async () => (await transitionsOf(VICTIM)).find((t) => t.toState === "Unknown"),
      30_000,
    );
    expect(unknown.observedAt.getTime()).toBeLessThan(new Date(led.leadership.leadingSince ?? 0).getTime());
    expect(unknown.createdAt.getTime()).toBeGreaterThanOrEqual(killedAt);
    expect(b.output.join("")).toMatch(/took over recording: [1-9]\d* transition\(s\) the previous leader had not recorded/);

    // The dead replica's drain: interrupted once its heartbeat is stale; the live one's untouched.
    const interrupted = await waitUntil(
      "the dead replica's drain interrupted",
      async () => {
        // The outcome is written first, then the lock released.
        const rows = await outcomesOf(deadLock.actionId);
        return rows.length > 0 && (await lockOf(HELD.node)) === null ? rows : null;
      },
      45_000,
    );
    watch.lap("replica-a's drain reconciled as interrupted, its lock released");
    expect(interrupted.map((o) => o.outcome)).toEqual(["interrupted"]);
    expect(await outcomesOf(liveLock.actionId)).toHaveLength(0);
    expect((await lockOf("acp-worker01"))?.actionId).toBe(liveLock.actionId);

    kubeletStart(VICTIM, { dir: lab.dir });
    await waitUntil("Ready recorded again", async () => (await transitionsOf(VICTIM)).at(-1)?.toState === "Ready", 60_000);
    const rows = await transitionsOf(VICTIM);
    expect(rows.map((t) => `${t.fromState}->${t.toState}`)).toEqual([
      "null->Ready",
      "Ready->HeartbeatLate",
      "HeartbeatLate->Unknown",
      "Unknown->Ready",
    ]);
    expect(rows.map((t) => t.seq)).toEqual([1, 2, 3, 4]);
    const incidents = await db.incidentNode.findMany({ where: { cluster: "test", node: VICTIM } });
    expect(incidents).toHaveLength(1);

    // The live drain ends by itself (its timeout: the PDB holds), with its own single outcome.
    const done = await liveDrain;
    expect(done?.status).toBe(200);
    expect((await outcomesOf(liveLock.actionId)).map((o) => o.outcome)).toEqual(["failed"]);
    expect(aIdentity).not.toBe(led.leadership.identity);
  });

  it("the old leader, restarted, follows; the leader stopped on purpose hands over within a retry", async () => {
    const b = apps[1] as TTestApp;
    const bIdentity = (await health(b)).leadership.identity;
    const a = await replica("replica-a");
    const following = await waitUntil("restarted replica-a following", async () => {
      const h = await health(a);
      return h.leadership.holder === bIdentity ? h : null;
    });
    expect(following.leader).toBe(false);

    const stoppedAt = Date.now();
    await b.stop();
    await waitUntil("replica-a leading", async () => (await health(a)).leader, 10_000, 200);
    const handoverMs = Date.now() - stoppedAt;
    watch.lap(`graceful handover: ${(handoverMs / 1000).toFixed(1)} s`);
    expect(handoverMs).toBeLessThan(6_000);
    // Nothing recorded twice by the handovers.
    const all = await db.nodeTransition.findMany({ where: { cluster: "test" } });
    expect(new Set(all.map((t) => `${t.node}#${t.seq}`)).size).toBe(all.length);
  });
});
