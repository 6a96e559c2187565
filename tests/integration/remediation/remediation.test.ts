// Remediation on the seed lab through the real API: roles (a full matrix), input validation,
// safety gates (dead-long-enough, storm guard), one action at a time per node, PDB-aware drain,
// and the audit rows each attempt leaves — refusals included.
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PERMISSIONS } from "@/lib/auth/permissions";
import { ROLES, roleAtLeast, type TRole } from "@/lib/auth/roles";
import { createDb, type TDb } from "@/lib/db";
import { ACTION_PERMISSION, ACTION_SLUGS } from "@/lib/remediation/catalog";
import type { TNodesView } from "@/lib/views/nodes";
import { kubeletStart, kubeletStop } from "@/scripts/lab/lab";
import { createTestToken, startTestApp, type TTestApp, testDatabase } from "../../helpers/app";
import { startTestLab } from "../../helpers/lab";
import { openEventStream } from "../../helpers/sse";
import { waitUntil } from "../../helpers/wait";

const body = (node: string, extra: Record<string, unknown> = {}) => ({
  confirm: node,
  reason: "integration test of node-rescue",
  ...extra,
});

describe("remediation API on the seed lab", () => {
  let lab: Awaited<ReturnType<typeof startTestLab>>;
  let app: TTestApp;
  let db: TDb;
  let core: CoreV1Api;
  const tokens = {} as Record<TRole, string>;

  const act = (token: string | null, node: string, slug: string, payload: unknown) =>
    fetch(`${app.url}/api/nodes/${node}/actions/${slug}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: typeof payload === "string" ? payload : JSON.stringify(payload),
    });
  const stateOf = async (node: string) => (await app.getJson<TNodesView>("/api/nodes")).nodes.find((n) => n.name === node);
  const waitState = (node: string, ok: (s: string | undefined) => boolean, what: string) =>
    waitUntil(what, async () => ok((await stateOf(node))?.state), 90_000, 250);

  beforeAll(async () => {
    lab = await startTestLab({ scenario: "seed" });
    const database = await testDatabase();
    db = createDb(database.url);
    for (const role of ROLES) tokens[role] = await createTestToken(database.url, role);
    // An attempt a crash cut short: an intent without outcome, left from "before the restart".
    await db.auditEvent.create({
      data: {
        actionId: "crashed-attempt",
        phase: "intent",
        cluster: "test",
        action: "node.cordon",
        targetKind: "Node",
        target: "acp-worker02",
        actorKind: "user",
        actorName: "ops@example.com",
        actorRole: "operator",
        reason: "before the crash",
      },
    });
    app = await startTestApp({ kubeconfig: lab.kubeconfig, databaseUrl: database.url, env: { NODE_RESCUE_DEAD_AFTER_SECONDS: "5" } });
    const kc = new KubeConfig();
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

  it("reconciles an attempt a crash interrupted: the intent gets an 'interrupted' outcome at start-up", async () => {
    const rows = await waitUntil(
      "interrupted outcome",
      async () => {
        const r = await db.auditEvent.findMany({ where: { actionId: "crashed-attempt" }, orderBy: { id: "asc" } });
        return r.length === 2 ? r : null;
      },
      15_000,
    );
    expect(rows.map((r) => [r.phase, r.outcome])).toEqual([
      ["intent", null],
      ["outcome", "interrupted"],
    ]);
    expect(rows[1]).toMatchObject({ target: "acp-worker02", actorName: "ops@example.com", reason: "before the crash" });
  });

  it("answers every action 401 without credentials and 403 below its role (and audits each refusal)", async () => {
    const before = await db.auditEvent.count();
    let requests = 0;
    for (const [slug, action] of Object.entries(ACTION_SLUGS)) {
      const min = PERMISSIONS[ACTION_PERMISSION[action]];
      const anonymous = await act(null, "no-such-node", slug, body("no-such-node"));
      expect(anonymous.status, `${slug} anonymous`).toBe(401);
      for (const role of ROLES) {
        const res = await act(tokens[role], "no-such-node", slug, body("no-such-node"));
        requests++;
        // Allowed roles get past authorization to the node lookup: 404, and nothing happens.
        expect(res.status, `${slug} as ${role}`).toBe(roleAtLeast(role, min) ? 404 : 403);
        if (res.status === 403) expect((await res.json()).error.message).toContain(`needs ${min}`);
      }
    }
    const rows = await db.auditEvent.findMany({ where: { id: { gt: 0 } }, orderBy: { id: "asc" }, skip: before });
    expect(rows).toHaveLength(requests);
    expect(rows.every((r) => r.phase === "outcome" && r.outcome === "refused" && r.actorKind === "token")).toBe(true);
    // Anonymous refusals are counted per source, action and minute, flushed every few seconds.
    const counted = await waitUntil(
      "the anonymous refusals counted",
      async () => {
        const buckets = await db.anonymousRefusal.findMany({ where: { target: "no-such-node" } });
        const actions = new Set(buckets.map((b) => b.action));
        return actions.size === Object.keys(ACTION_SLUGS).length ? buckets : null;
      },
      20_000,
    );
    expect(counted.reduce((n, b) => n + b.count, 0)).toBe(Object.keys(ACTION_SLUGS).length);
  });

  it("rejects malformed names and bodies with a clear 4xx and changes nothing", async () => {
    const admin = tokens.admin;
    const cases: Array<[string, string, unknown, number, RegExp]> = [
      ["BAD_NAME", "cordon", body("BAD_NAME"), 400, /node name/],
      ["acp-worker03", "cordon", "{not json", 400, /body/],
      ["acp-worker03", "cordon", { confirm: "acp-worker03" }, 400, /reason/],
      ["acp-worker03", "cordon", { confirm: "acp-worker03", reason: "" }, 400, /reason/],
      ["acp-worker03", "cordon", body("acp-worker02"), 400, /type the node name/],
      ["acp-worker03", "cordon", body("acp-worker03", { force: true }), 400, /force|unrecognized/i],
      ["acp-worker03", "reboot", body("acp-worker03"), 404, /unknown action/],
    ];
    for (const [node, slug, payload, status, message] of cases) {
      const res = await act(admin, node, slug, payload);
      expect(res.status, `${node}/${slug} ${JSON.stringify(payload)}`).toBe(status);
      expect((await res.json()).error.message).toMatch(message);
    }
    const node = await core.readNode({ name: "acp-worker03" });
    expect(node.spec?.unschedulable ?? false).toBe(false);
    expect(node.metadata?.annotations?.["node-rescue.dev/last-action"]).toBeUndefined();
  });

  it("cordons and uncordons (operator), writing the reason to the node and intent + outcome to the audit", async () => {
    const res = await act(tokens.operator, "acp-worker03", "cordon", body("acp-worker03"));
    expect(res.status).toBe(200);
    const result = await res.json();
    expect(result.outcome).toBe("succeeded");
    const node = await core.readNode({ name: "acp-worker03" });
    expect(node.spec?.unschedulable).toBe(true);
    expect(JSON.parse(node.metadata?.annotations?.["node-rescue.dev/last-action"] ?? "{}")).toMatchObject({
      action: "node.cordon",
      reason: "integration test of node-rescue",
    });
    const rows = await db.auditEvent.findMany({ where: { actionId: result.actionId }, orderBy: { id: "asc" } });
    expect(rows.map((r) => [r.phase, r.outcome])).toEqual([
      ["intent", null],
      ["outcome", "succeeded"],
    ]);
    expect(rows[0]?.actorRole).toBe("operator");
    expect(rows[0]?.reason).toBe("integration test of node-rescue");
    expect(JSON.parse(rows[0]?.plan ?? "{}").summary).toContain("unschedulable");
    expect((await act(tokens.operator, "acp-worker03", "uncordon", body("acp-worker03"))).status).toBe(200);
    expect((await core.readNode({ name: "acp-worker03" })).spec?.unschedulable ?? false).toBe(false);
  });

  it("refuses a dead-node action on a live node (gate), and audits it", async () => {
    const res = await act(tokens.admin, "acp-worker02", "delete", body("acp-worker02"));
    expect(res.status).toBe(412);
    expect((await res.json()).error.message).toMatch(/only for a dead node/);
    expect((await core.readNode({ name: "acp-worker02" })).metadata?.name).toBe("acp-worker02");
    const last = await db.auditEvent.findFirst({ where: { target: "acp-worker02", action: "node.delete" }, orderBy: { id: "desc" } });
    expect(last?.outcome).toBe("refused");
  });

  it("storm guard: with two workers dead it refuses, the audit records the refusal, an admin override would be needed", async () => {
    kubeletStop("acp-worker02", { dir: lab.dir });
    kubeletStop("acp-worker03", { dir: lab.dir });
    await waitState("acp-worker02", (s) => s === "Unknown", "worker02 Unknown");
    await waitState("acp-worker03", (s) => s === "Unknown", "worker03 Unknown");
    await new Promise((r) => setTimeout(r, 6_000)); // past NODE_RESCUE_DEAD_AFTER_SECONDS
    const res = await act(tokens.admin, "acp-worker02", "delete", body("acp-worker02"));
    expect(res.status).toBe(412);
    const error = (await res.json()).error;
    expect(error.message).toMatch(/network partition/);
    expect(error.details.checks.find((c: { gate: string }) => c.gate === "storm")).toMatchObject({ passed: false, overridable: true });
    const refusal = await db.auditEvent.findFirst({ where: { target: "acp-worker02", action: "node.delete" }, orderBy: { id: "desc" } });
    expect(refusal).toMatchObject({ phase: "outcome", outcome: "refused", actorRole: "admin" });
    expect(refusal?.message).toMatch(/storm|partition/);
    // An operator may not override; the node is untouched.
    const op = await act(tokens.operator, "acp-worker02", "delete", body("acp-worker02", { override: { reason: "I know better" } }));
    expect(op.status).toBe(403);
    expect((await core.readNode({ name: "acp-worker02" })).metadata?.name).toBe("acp-worker02");
    kubeletStart("acp-worker02", { dir: lab.dir });
    await waitState("acp-worker02", (s) => s === "Ready", "worker02 Ready again");
  });

  it("two concurrent deletes of one node: exactly one proceeds", async () => {
    await new Promise((r) => setTimeout(r, 6_000));
    expect((await stateOf("acp-worker03"))?.state).toBe("Unknown");
    const [a, b] = await Promise.all([
      act(tokens.admin, "acp-worker03", "delete", body("acp-worker03")),
      act(tokens.admin, "acp-worker03", "delete", body("acp-worker03")),
    ]);
    const statuses = [a.status, b.status].sort();
    expect(statuses).toEqual([200, 409]);
    const loser = a.status === 409 ? a : b;
    expect((await loser.json()).error.message).toMatch(/being remediated by .*admin/);
    const intents = await db.auditEvent.findMany({ where: { target: "acp-worker03", action: "node.delete", phase: "intent" } });
    expect(intents).toHaveLength(1);
    await waitUntil("worker03 gone", async () => (await core.listNode({})).items.every((n) => n.metadata?.name !== "acp-worker03"), 30_000);
    const backup = await db.nodeBackup.findFirst({ where: { node: "acp-worker03" } });
    expect(JSON.parse(backup?.labels ?? "{}")["node-role.kubernetes.io/worker"]).toBe("");
    // The kubelet comes back: the node re-registers and the restore is offered.
    kubeletStart("acp-worker03", { dir: lab.dir });
    const view = await waitUntil(
      "restore offered",
      async () => {
        const v = await app.getJson(`/api/nodes/acp-worker03`).catch(() => null);
        return v?.restore?.available ? v : null;
      },
      60_000,
    );
    expect(view.restore.actionId).toBe(backup?.actionId);
  });

  it("a drain blocked by the seed PDB reports that PDB for the pod and leaves the node cordoned", async () => {
    // The event stream announces the drain's progress (per node) and its audit rows as they happen.
    const stream = await openEventStream(app.url, tokens.viewer);
    await waitUntil("the stream's first event", async () => stream.events.length > 0, 10_000);
    const res = await act(tokens.operator, "acp-worker01", "drain", body("acp-worker01", { timeoutSeconds: 3 }));
    expect(res.status).toBe(200);
    const result = await res.json();
    const progressOf = (node: string) => stream.events.filter((e) => e.event === "progress" && (e.data as { node?: string }).node === node);
    // The start at once; the per-pod reports and the end (3 s later: the PDB is retried) in later events.
    await waitUntil("the drain's progress events", async () => progressOf("acp-worker01").length >= 2, 10_000);
    expect((await app.getJson(`/api/nodes/acp-worker01/progress`)).progress).toMatchObject({ actionId: result.actionId, done: true });
    expect(stream.events.filter((e) => e.event === "audit").length).toBeGreaterThanOrEqual(1);
    expect(progressOf("acp-worker02")).toHaveLength(0);
    await stream.close();
    expect(result.outcome).toBe("failed");
    const blocked = result.results.filter((r: { result: string }) => r.result === "blocked");
    expect(blocked).toHaveLength(1);
    expect(blocked[0].pod).toMatch(/^kubeflow\/ml-pipeline-[a-z0-9]+-[a-z0-9]+$/);
    expect(blocked[0].pdb).toBe("kubeflow/ml-pipeline");
    expect(blocked[0].message).toMatch(/disruptionsAllowed 0/);
    expect(result.results.some((r: { result: string }) => r.result === "evicted")).toBe(true);
    expect(result.results.some((r: { result: string; message: string }) => r.result === "skipped" && /daemonset/i.test(r.message))).toBe(
      true,
    );
    expect((await core.readNode({ name: "acp-worker01" })).spec?.unschedulable).toBe(true);
    const outcome = await db.auditEvent.findFirst({ where: { actionId: result.actionId, phase: "outcome" } });
    expect(outcome?.outcome).toBe("failed");
    expect(outcome?.message).toMatch(/PodDisruptionBudget kubeflow\/ml-pipeline/);
    expect(JSON.parse(outcome?.results ?? "[]").length).toBeGreaterThan(5);
  });
});
