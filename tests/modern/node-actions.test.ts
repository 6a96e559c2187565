// The dashboard's other writes on the modern control plane (v1.3x), through the real API with
// tokens: cordon and uncordon; a drain through policy/v1 Evictions (discovered, not assumed) that
// obeys the seed PDB as the server counts it; then, the node dead, delete node with its backup and the orphans
// finished at once, and after the kubelet re-registers it, the restore of its labels,
// annotations and taints. With tests/modern/out-of-service.test.ts, every write the dashboard
// makes is proven on this version as on 1.20.
import { CoreV1Api, KubeConfig, PolicyV1Api } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type TDb } from "@/lib/db";
import type { TNodesView } from "@/lib/views/nodes";
import { kubeletStart, kubeletStop } from "@/scripts/lab/lab";
import { SEED_VICTIM } from "@/scripts/lab/scenarios/seed";
import { createTestToken, startTestApp, type TTestApp, testDatabase } from "../helpers/app";
import { startTestLab } from "../helpers/lab";
import { waitUntil } from "../helpers/wait";

const body = (node: string, extra: Record<string, unknown> = {}) => ({ confirm: node, reason: "modern lab test of node-rescue", ...extra });

describe("node actions on the modern control plane", () => {
  let lab: Awaited<ReturnType<typeof startTestLab>>;
  let app: TTestApp;
  let db: TDb;
  let core: CoreV1Api;
  let kc: KubeConfig;
  let operator: string;
  let admin: string;

  const act = (token: string, node: string, slug: string, payload: unknown) =>
    fetch(`${app.url}/api/nodes/${node}/actions/${slug}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
      body: JSON.stringify(payload),
    });
  const stateOf = async (node: string) => (await app.getJson<TNodesView>("/api/nodes")).nodes.find((n) => n.name === node)?.state;

  beforeAll(async () => {
    lab = await startTestLab({ kube: "modern", scenario: "seed" });
    const database = await testDatabase();
    db = createDb(database.url);
    operator = await createTestToken(database.url, "operator");
    admin = await createTestToken(database.url, "admin");
    app = await startTestApp({ kubeconfig: lab.kubeconfig, databaseUrl: database.url, env: { NODE_RESCUE_DEAD_AFTER_SECONDS: "3" } });
    kc = new KubeConfig();
    kc.loadFromFile(lab.kubeconfig);
    core = kc.makeApiClient(CoreV1Api);
    await waitUntil(
      "six Ready nodes",
      async () => (await app.getJson<TNodesView>("/api/nodes")).nodes.filter((n) => n.state === "Ready").length === 6,
      60_000,
    );
  });
  afterAll(async () => {
    await app?.stop();
    await db?.$disconnect();
    await lab?.down();
  });

  it("cordons and uncordons (operator)", async () => {
    const cordon = await (await act(operator, "acp-worker03", "cordon", body("acp-worker03"))).json();
    expect(cordon.outcome).toBe("succeeded");
    expect((await core.readNode({ name: "acp-worker03" })).spec?.unschedulable).toBe(true);
    expect((await (await act(operator, "acp-worker03", "uncordon", body("acp-worker03"))).json()).outcome).toBe("succeeded");
    expect((await core.readNode({ name: "acp-worker03" })).spec?.unschedulable ?? false).toBe(false);
  });

  it("a drain evicts through policy/v1 and obeys the seed PDB as the server counts it; the node stays cordoned", async () => {
    const pdb = await kc.makeApiClient(PolicyV1Api).readNamespacedPodDisruptionBudget({ namespace: "kubeflow", name: "ml-pipeline" });
    const allowed = pdb.status?.disruptionsAllowed ?? 0;
    const result = await (await act(operator, SEED_VICTIM, "drain", body(SEED_VICTIM, { timeoutSeconds: 3 }))).json();
    const guarded = result.results.filter((r: { pod: string }) => /^kubeflow\/ml-pipeline-[a-z0-9]+-[a-z0-9]+$/.test(r.pod));
    expect(guarded.length).toBeGreaterThan(0);
    if (allowed === 0) {
      // The budget allows no disruption: its pod is refused (429 from the Eviction API), named with its PDB.
      expect(result.outcome).toBe("failed");
      expect(guarded.map((r: { result: string; pdb?: string }) => [r.result, r.pdb])).toContainEqual(["blocked", "kubeflow/ml-pipeline"]);
    } else {
      expect(guarded.filter((r: { result: string }) => r.result === "evicted").length).toBeLessThanOrEqual(allowed);
    }
    expect(result.results.some((r: { result: string }) => r.result === "evicted")).toBe(true);
    expect((await core.readNode({ name: SEED_VICTIM })).spec?.unschedulable).toBe(true);
    const intent = await db.auditEvent.findFirstOrThrow({ where: { actionId: result.actionId, phase: "intent" } });
    expect(intent.plan).toContain("through the Eviction API (policy/v1, as the server advertises)");
  });

  it("the node dead: delete node (admin) backs it up and finishes its orphans; back, it is restored", async () => {
    kubeletStop(SEED_VICTIM, { dir: lab.dir });
    await waitUntil(`${SEED_VICTIM} Unknown`, async () => (await stateOf(SEED_VICTIM)) === "Unknown", 90_000);
    const deleted = await waitUntil(
      "the delete past the dead-long-enough gate",
      async () => {
        const res = await act(admin, SEED_VICTIM, "delete", body(SEED_VICTIM));
        return res.status === 200 ? res.json() : null;
      },
      60_000,
      1_000,
    );
    expect(deleted.outcome).toBe("succeeded");
    expect(deleted.message).toMatch(/finished at once/);
    expect(await db.nodeBackup.count({ where: { node: SEED_VICTIM, actionId: deleted.actionId } })).toBe(1);
    await waitUntil("the Node object gone", async () => (await core.readNode({ name: SEED_VICTIM }).catch(() => null)) === null, 30_000);

    kubeletStart(SEED_VICTIM, { dir: lab.dir });
    await waitUntil(`${SEED_VICTIM} Ready again`, async () => (await stateOf(SEED_VICTIM)) === "Ready", 90_000);
    expect((await core.readNode({ name: SEED_VICTIM })).metadata?.labels?.["acp.example.com/storage-tier"]).toBeUndefined();
    const restored = await (await act(admin, SEED_VICTIM, "restore", body(SEED_VICTIM))).json();
    expect(restored.outcome).toBe("succeeded");
    const node = await core.readNode({ name: SEED_VICTIM });
    expect(node.metadata?.labels?.["acp.example.com/storage-tier"]).toBe("nfs-fast");
    expect(node.metadata?.annotations?.["acp.example.com/rack-position"]).toBe("R12-U07");
    expect(node.spec?.taints?.map((t) => t.key)).toContain("acp.example.com/dedicated");
  });
});
