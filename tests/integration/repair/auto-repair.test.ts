// Auto-repair on the seed lab, with no human in the loop: the real engine in the real dashboard
// against a real control plane, with short durations. One lab for the file; each case stops
// kubelets and reads back what the engine decided (GET /api/repair), what it did (the audit
// log) and what Kubernetes says. The cases run in order: each leaves the cluster healthy.
import { CoordinationV1Api, CoreV1Api, KubeConfig, PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type TDb } from "@/lib/db";
import type { TIncidentView } from "@/lib/incidents/view";
import type { TPolicyInput } from "@/lib/policies/schema";
import type { TEngineStatus } from "@/lib/repair/engine";
import type { TRepairState } from "@/lib/repair/load-state";
import type { TReplay } from "@/lib/repair/replay-history";
import type { TNodesView } from "@/lib/views/nodes";
import { kubeletStart, kubeletStop } from "@/scripts/lab/lab";
import { SEED_REDIS, SEED_REDIS_POD, SEED_VICTIM } from "@/scripts/lab/scenarios/seed";
import { microTime } from "@/scripts/lab/sim/objects";
import { createTestToken, startTestApp, type TTestApp, testDatabase } from "../../helpers/app";
import { startTestLab } from "../../helpers/lab";
import { waitUntil } from "../../helpers/wait";

const [W1, W2, W3] = [SEED_VICTIM, "acp-worker02", "acp-worker03"] as const;
const MASTER = "acp-master03";
const merge = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);

/** Fast: qualifies 2 s after the node is NotReady/Unknown. */
const FAST_CRITERIA = [{ type: "Ready", status: ["False", "Unknown"], forSeconds: 2 }];

describe("auto-repair on the seed lab", () => {
  let lab: Awaited<ReturnType<typeof startTestLab>>;
  let database: Awaited<ReturnType<typeof testDatabase>>;
  let app: TTestApp;
  let db: TDb;
  let core: CoreV1Api;
  let kc: KubeConfig;
  const env = {
    NODE_RESCUE_DEAD_AFTER_SECONDS: "3",
    NODE_RESCUE_REPAIR_TICK_MS: "300",
    // Two dead workers of six nodes (33 %) stay under it, three (50 %) trip it.
    NODE_RESCUE_REPAIR_BREAKER_SHARE: "0.4",
  };

  const state = (node?: string) =>
    app.getJson<TRepairState & { engine: TEngineStatus | null }>(`/api/repair?limit=500${node ? `&node=${node}` : ""}`);
  const post = (path: string, body: unknown, token?: string) =>
    app.fetch(path, {
      method: "POST",
      headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
  const createPolicy = async (doc: TPolicyInput) => {
    const res = await post("/api/policies", { enabled: true, ...doc });
    expect(res.status, await res.clone().text()).toBe(201);
    return Number(res.headers.get("location")?.split("/").at(-1));
  };
  const disablePolicy = async (id: number) => {
    const policy = await app.getJson<TPolicyInput>(`/api/policies/${id}`);
    const res = await app.fetch(`/api/policies/${id}`, {
      method: "PUT",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ ...policy, enabled: false }),
    });
    expect(res.status).toBe(200);
  };
  const nodeState = async (node: string) => (await app.getJson<TNodesView>("/api/nodes")).nodes.find((n) => n.name === node)?.state;
  const waitReady = (nodes: readonly string[]) =>
    waitUntil(
      `${nodes.join(", ")} Ready`,
      async () => {
        const view = await app.getJson<TNodesView>("/api/nodes");
        return nodes.every((name) => view.nodes.find((n) => n.name === name)?.state === "Ready");
      },
      90_000,
    );
  /** The first decision about `node` matching `match`, waited for. */
  const waitDecision = async (node: string, match: (d: TRepairState["decisions"][number]) => boolean, what: string, timeoutMs = 60_000) => {
    try {
      return await waitUntil(`${node}: ${what}`, async () => (await state(node)).decisions.find(match) ?? null, timeoutMs);
    } catch (err) {
      // Say what the engine did decide instead.
      const seen = (await state(node)).decisions.slice(0, 8).map((d) => `${d.policyName}: ${d.decision}/${d.rule}: ${d.message}`);
      throw new Error(`${err instanceof Error ? err.message : err}; its latest decisions:\n${seen.join("\n")}`);
    }
  };
  const policyAudit = (node: string) =>
    db.auditEvent.findMany({ where: { target: node, actorKind: "policy", phase: "outcome" }, orderBy: { id: "asc" } });
  const patchLabels = (node: string, labels: Record<string, string | null>) =>
    core.patchNode({ name: node, body: { metadata: { labels } } }, merge);

  beforeAll(async () => {
    lab = await startTestLab({ scenario: "seed" });
    database = await testDatabase();
    db = createDb(database.url);
    app = await startTestApp({ kubeconfig: lab.kubeconfig, databaseUrl: database.url, env });
    kc = new KubeConfig();
    kc.loadFromFile(lab.kubeconfig);
    core = kc.makeApiClient(CoreV1Api);
    await waitReady([W1, W2, W3, MASTER]);
  });
  afterAll(async () => {
    await app?.stop();
    await db?.$disconnect();
    await lab?.down();
  });

  let actId = 0;
  it("act: acp-worker01 dies and, with no human, Redis runs on another worker; the audit shows each step and why", async () => {
    actId = await createPolicy({
      name: "a-act",
      mode: "act",
      criteria: FAST_CRITERIA,
      ladder: [
        { action: "node.cordon", timeoutSeconds: 1 },
        { action: "pods.force-delete", timeoutSeconds: 1 },
        { action: "node.out-of-service.apply", timeoutSeconds: 1 },
      ],
      quarantineSeconds: 4,
      flapping: { incidents: 2, withinSeconds: 3600 },
    });
    const redisBefore = await core.readNamespacedPod({ namespace: SEED_REDIS.namespace, name: SEED_REDIS_POD });
    expect(redisBefore.spec?.nodeName).toBe(W1);
    kubeletStop(W1, { dir: lab.dir });

    const redis = await waitUntil(
      "Redis Running on another worker",
      async () => {
        const p = await core.readNamespacedPod({ namespace: SEED_REDIS.namespace, name: SEED_REDIS_POD });
        return p.status?.phase === "Running" && p.spec?.nodeName && p.spec.nodeName !== W1 && !p.metadata?.deletionTimestamp ? p : null;
      },
      120_000,
    );
    expect(redis.metadata?.uid).not.toBe(redisBefore.metadata?.uid);
    // The force-delete may free Redis before the ladder's last step: wait for the ladder's end.
    await waitUntil("the ladder done", async () => (await state(W1)).runs[0]?.phase === "returning");

    // Kubernetes 1.20 does not act on the out-of-service taint: the ladder deleted the node instead.
    const audit = await policyAudit(W1);
    const acted = audit.filter((a) => a.outcome === "succeeded").map((a) => a.action);
    expect(acted[0]).toBe("node.cordon");
    expect(acted).toContain("node.delete");
    expect(acted).not.toContain("node.out-of-service.apply");
    for (const row of audit) {
      expect(row).toMatchObject({ actorKind: "policy", actorId: String(actId), actorName: "policy:a-act", actorRole: "admin" });
      expect(row.reason).toMatch(
        /^auto-repair by policy "a-act" \(step \d\/3, [a-z.-]+\): Ready=(Unknown|False) for \d+ s \(policy: ≥ 2 s\)/,
      );
      expect(row.gateOverride).toBeNull();
    }
    const deleted = audit.find((a) => a.action === "node.delete");
    expect(deleted?.reason).toContain("does not act on the out-of-service taint (1.26+): node.delete instead");
    // The backup was committed with the intent.
    expect(await db.nodeBackup.count({ where: { node: W1, actionId: deleted?.actionId } })).toBe(1);

    const { decisions, runs } = await state(W1);
    const trail = decisions.slice().reverse();
    expect(trail[0]).toMatchObject({ decision: "opened", rule: "criteria", policyName: "a-act" });
    expect(trail.filter((d) => d.decision === "acted").map((d) => d.action)).toEqual(acted);
    for (const d of trail.filter((x) => x.decision === "acted")) expect(audit.map((a) => a.actionId)).toContain(d.actionId);
    expect(runs.map((r) => r.phase)).toEqual(["returning"]);

    // The incident's page and postmortem carry the same decisions, and the policy's actions.
    const member = await db.incidentNode.findFirstOrThrow({ where: { node: W1 } });
    const incident = await app.getJson<TIncidentView>(`/api/incidents/${member.incidentId}`);
    expect(incident.decisions.map((d) => d.decision)).toEqual(expect.arrayContaining(["opened", "acted"]));
    expect(incident.actions.map((a) => a.actor.name)).toContain("policy:a-act");
    const md = await (await app.fetch(`/api/incidents/${member.incidentId}/export?format=md`)).text();
    expect(md).toMatch(/auto-repair \(a-act\) opened: Ready=/);
  });

  it("kubelet start: the node is cordoned on its return, its labels restored, quarantined, then uncordoned", async () => {
    kubeletStart(W1, { dir: lab.dir });
    const ended = await waitUntil(
      "the repair ended",
      async () => (await state(W1)).ended.find((r) => r.policyName === "a-act") ?? null,
      90_000,
    );
    expect(ended).toMatchObject({ result: "repaired", cordonedBefore: false });
    const node = await core.readNode({ name: W1 });
    expect(node.metadata?.labels?.["acp.example.com/storage-tier"]).toBe("nfs-fast");
    expect(node.metadata?.annotations?.["acp.example.com/rack-position"]).toBe("R12-U07");
    expect(node.spec?.taints?.map((t) => t.key)).toContain("acp.example.com/dedicated");
    expect(node.spec?.unschedulable ?? false).toBe(false);

    const returned = (await policyAudit(W1)).filter(
      (a) => a.reason?.includes("the node is back") || a.reason?.includes("quarantine is over"),
    );
    expect(returned.map((a) => [a.action, a.outcome])).toEqual([
      ["node.cordon", "succeeded"],
      ["node.restore", "succeeded"],
      ["node.uncordon", "succeeded"],
    ]);
    const { decisions } = await state(W1);
    const quarantined = decisions.find((d) => d.decision === "quarantined");
    const uncordoned = decisions.find((d) => d.action === "node.uncordon");
    expect(quarantined).toBeDefined();
    // The quarantine lasted its 4 s: set to end 4 s after the tick that began it, the uncordon after that.
    const until = Date.parse(ended.quarantineUntil ?? "");
    expect(until - Date.parse(quarantined?.at ?? "")).toBeGreaterThan(3_000);
    expect(until - Date.parse(quarantined?.at ?? "")).toBeLessThanOrEqual(4_000);
    expect(Date.parse(uncordoned?.at ?? "")).toBeGreaterThanOrEqual(until);
  });

  it("a node that fails again within the flapping window is held, not repaired a second time; an admin clears the hold", async () => {
    // The first incident must be closed, so that this failure is a second one.
    await waitUntil(
      "the first incident closed",
      async () =>
        (await db.incidentNode.count({ where: { node: W1 } })) > 0 && (await db.incident.count({ where: { closedAt: null } })) === 0,
      90_000,
    );
    kubeletStop(W1, { dir: lab.dir });
    const held = await waitDecision(W1, (d) => d.decision === "held", "held as flapping");
    expect(held.message).toMatch(/^the node is flapping: 2 incidents within/);
    const skipped = await waitDecision(W1, (d) => d.decision === "skipped" && d.rule === "flapping", "skipped");
    expect(skipped.message).toContain("a person must clear it");
    const s = await state(W1);
    expect(s.runs).toHaveLength(0);
    expect(s.holds).toEqual([expect.objectContaining({ node: W1, kind: "flapping" })]);

    const operator = await createTestToken(database.url, "operator");
    expect((await post(`/api/repair/holds/${s.holds[0]?.id}/clear`, { reason: "replaced the PSU" }, operator)).status).toBe(403);
    expect((await post(`/api/repair/holds/${s.holds[0]?.id}/clear`, { reason: "no" })).status).toBe(400);
    kubeletStart(W1, { dir: lab.dir });
    await waitReady([W1]);
    const cleared = await post(`/api/repair/holds/${s.holds[0]?.id}/clear`, { reason: "replaced the PSU" });
    expect(cleared.status).toBe(200);
    expect((await state(W1)).holds).toEqual([]);
    const audit = await db.auditEvent.findMany({ where: { action: "repair.hold.clear" }, orderBy: { id: "asc" } });
    expect(audit.map((a) => [a.actorRole, a.outcome])).toEqual([
      ["operator", "refused"],
      ["admin", "refused"],
      ["admin", "succeeded"],
    ]);
    expect(audit.at(-1)).toMatchObject({ target: W1, reason: "replaced the PSU" });
    // No second run: the only one is the first repair.
    expect((await state(W1)).ended.filter((r) => r.policyName === "a-act")).toHaveLength(1);
    await disablePolicy(actId);
  });

  it("a dashboard restart mid-ladder resumes at its step without repeating one", async () => {
    await createPolicy({
      name: "b-resume",
      mode: "act",
      criteria: FAST_CRITERIA,
      ladder: [
        { action: "node.cordon", timeoutSeconds: 8 },
        { action: "node.delete", timeoutSeconds: 0 },
      ],
      quarantineSeconds: 1,
      // The workers die often here, on purpose: only the flapping case above is about flapping.
      flapping: { incidents: 20, withinSeconds: 3600 },
    });
    kubeletStop(W2, { dir: lab.dir });
    await waitDecision(W2, (d) => d.decision === "acted" && d.action === "node.cordon", "cordoned", 60_000);
    // Stop the dashboard while the ladder waits out the cordon's 8 s, and start a new one.
    await app.stop();
    app = await startTestApp({ kubeconfig: lab.kubeconfig, databaseUrl: database.url, env, port: app.port });
    const restartedAt = Date.now();
    const run = await waitUntil(
      "the node deleted",
      async () => (await state(W2)).runs.find((r) => r.phase === "returning") ?? null,
      90_000,
    );
    expect(run.step).toBe(2);
    const actions = (await policyAudit(W2)).map((a) => [a.action, a.outcome]);
    expect(actions).toEqual([
      ["node.cordon", "succeeded"],
      ["node.delete", "succeeded"],
    ]);
    const { decisions } = await state(W2);
    expect(decisions.filter((d) => d.decision === "acted" && d.rule === "step-1")).toHaveLength(1);
    const cordoned = decisions.find((d) => d.action === "node.cordon");
    const deleted = decisions.find((d) => d.action === "node.delete");
    // The cordon's timeout held across the restart: the delete came about 8 s after the cordon (its
    // decision is written a moment after the tick the timeout counts from), and less than 8 s after
    // the restart (a timeout restarted by the new process would have waited 8 s more).
    expect(Date.parse(deleted?.at ?? "") - Date.parse(cordoned?.at ?? "")).toBeGreaterThanOrEqual(7_500);
    expect(Date.parse(deleted?.at ?? "") - restartedAt).toBeLessThan(8_000);
    kubeletStart(W2, { dir: lab.dir });
    await waitUntil("the repair ended", async () => (await state(W2)).ended.find((r) => r.policyName === "b-resume") ?? null, 90_000);
    expect((await core.readNode({ name: W2 })).spec?.unschedulable ?? false).toBe(false);
  });

  it("with two of three workers dead the budget acts on none, and says so", async () => {
    kubeletStop(W2, { dir: lab.dir });
    kubeletStop(W3, { dir: lab.dir });
    for (const node of [W2, W3]) {
      const d = await waitDecision(node, (x) => x.decision === "deferred" && x.rule === "budget", "deferred by the budget");
      expect(d.message).toContain("1 of 3 selected nodes healthy (33 %; the policy needs at least 51 %)");
    }
    for (const node of [W2, W3]) expect((await state(node)).runs).toEqual([]);
  });

  it("the storm breaker trips when a third worker dies, stops everything, and only a person resets it", async () => {
    kubeletStop(W1, { dir: lab.dir });
    const tripped = await waitUntil("the breaker tripped", async () => {
      const s = await state();
      return s.control.breakerTripped ? s : null;
    });
    expect(tripped.control.breakerReason).toMatch(/^3 of 6 nodes \(50 %\) went unhealthy within 5 min \(limit 40 %\)/);
    expect(tripped.decisions.find((d) => d.decision === "tripped")?.rule).toBe("storm-breaker");
    await waitDecision(W1, (d) => d.decision === "deferred" && d.rule === "storm-breaker", "deferred by the breaker");
    for (const node of [W1, W2, W3]) kubeletStart(node, { dir: lab.dir });
    await waitReady([W1, W2, W3]);
    // Still tripped with every node healthy: it waits for a person.
    expect((await state()).control.breakerTripped).toBe(true);
    const operator = await createTestToken(database.url, "operator");
    expect((await post("/api/repair/breaker/reset", { reason: "the switch was rebooted" }, operator)).status).toBe(403);
    const reset = await post("/api/repair/breaker/reset", { reason: "the switch was rebooted" });
    expect(reset.status).toBe(200);
    const after = await state();
    expect(after.control.breakerTripped).toBe(false);
    expect(after.decisions[0]).toMatchObject({ decision: "reset", rule: "storm-breaker", actor: expect.stringMatching(/^test-admin-/) });
    expect((await post("/api/repair/breaker/reset", { reason: "the switch was rebooted" })).status).toBe(409);
    // Nothing acted while it stood.
    const since = new Date(Date.parse(tripped.control.breakerTrippedAt ?? ""));
    expect(await db.auditEvent.count({ where: { actorKind: "policy", at: { gte: since } } })).toBe(0);
  });

  let windowPolicy = 0;
  it("a closed maintenance window and the pause act on nothing", async () => {
    // A one-minute window twelve hours from now, in UTC.
    const at = new Date(Date.now() + 12 * 3_600_000);
    const hhmm = (d: Date) => d.toISOString().slice(11, 16);
    const windowed = await createPolicy({
      name: "a-window",
      mode: "act",
      criteria: FAST_CRITERIA,
      ladder: [{ action: "node.cordon", timeoutSeconds: 0 }],
      maintenanceWindows: [{ start: hhmm(at), end: hhmm(new Date(at.getTime() + 60_000)), timeZone: "UTC" }],
    });
    kubeletStop(W3, { dir: lab.dir });
    const outside = await waitDecision(
      W3,
      (d) => d.decision === "deferred" && d.rule === "window" && d.policyName === "a-window",
      "outside its window",
    );
    expect(outside.message).toContain("outside the policy's maintenance windows");

    expect(
      (
        await post(
          "/api/repair/pause",
          { paused: true, reason: "storage migration tonight" },
          await createTestToken(database.url, "operator"),
        )
      ).status,
    ).toBe(403);
    expect((await post("/api/repair/pause", { paused: true, reason: "storage migration tonight" })).status).toBe(200);
    const paused = await waitDecision(W3, (d) => d.decision === "deferred" && d.rule === "paused", "paused");
    expect(paused.message).toContain("auto-repair is paused by test-admin-");
    expect(paused.message).toContain("storage migration tonight");
    expect((await state()).control).toMatchObject({ paused: true, pausedReason: "storage migration tonight" });
    expect((await post("/api/repair/pause", { paused: false, reason: "migration done" })).status).toBe(200);
    await waitDecision(W3, (d) => d.decision === "deferred" && d.rule === "window" && d.id > paused.id, "back to the window");
    expect((await state(W3)).runs).toEqual([]);
    expect((await policyAudit(W3)).length).toBe(0);
    windowPolicy = windowed;
  });

  it("an excluded node is skipped, and says why", async () => {
    // Still dead from the window case: excluded before its window policy steps aside for b-resume.
    await patchLabels(W3, { "node-rescue.dev/exclude": "true" });
    // The engine has seen the label (the window policy says so) before b-resume may take the node.
    await waitDecision(W3, (d) => d.decision === "skipped" && d.rule === "excluded" && d.policyName === "a-window", "excluded (a-window)");
    await disablePolicy(windowPolicy);
    const skipped = await waitDecision(
      W3,
      (d) => d.decision === "skipped" && d.rule === "excluded" && d.policyName === "b-resume",
      "skipped as excluded",
    );
    expect(skipped.message).toContain("the node is excluded from remediation (label node-rescue.dev/exclude=true)");
    expect((await state(W3)).runs).toEqual([]);
    kubeletStart(W3, { dir: lab.dir });
    await waitReady([W3]);
    await patchLabels(W3, { "node-rescue.dev/exclude": null });
    expect((await policyAudit(W3)).length).toBe(0);
  });

  it("a node another tool is repairing (a medik8s lease) is left alone, and says so", async () => {
    await core.createNamespace({ body: { metadata: { name: "medik8s-leases" } } });
    const leases = kc.makeApiClient(CoordinationV1Api);
    const lease = { namespace: "medik8s-leases", name: `node-${W2}` };
    await leases.createNamespacedLease({
      namespace: lease.namespace,
      body: { metadata: { name: lease.name }, spec: { holderIdentity: "NodeHealthCheck-workers", leaseDurationSeconds: 3600 } },
    });
    // MicroTime on the wire has six fractional digits; the client would send a Date with three.
    const now = microTime(Date.now());
    await leases.patchNamespacedLease({ ...lease, body: { spec: { acquireTime: now, renewTime: now } } }, merge);
    kubeletStop(W2, { dir: lab.dir });
    const skipped = await waitDecision(W2, (d) => d.decision === "skipped" && d.rule === "other-tool", "skipped for medik8s");
    expect(skipped.message).toContain(`medik8s holds the Lease medik8s-leases/node-${W2} (holder NodeHealthCheck-workers)`);
    expect((await state(W2)).runs).toEqual([]);
    kubeletStart(W2, { dir: lab.dir });
    await waitReady([W2]);
  });

  it("a policy acts on a control-plane node only when it says so", async () => {
    kubeletStop(MASTER, { dir: lab.dir });
    // b-resume selects every node but the control plane: it says nothing about acp-master03.
    await waitUntil("acp-master03 Unknown for a while", async () => (await nodeState(MASTER)) === "Unknown", 60_000);
    // Three ticks from now on it: nothing to say about a node no policy selects.
    const from = (await state()).engine?.ticks ?? 0;
    await waitUntil("three engine ticks", async () => ((await state()).engine?.ticks ?? 0) >= from + 3);
    expect((await state(MASTER)).decisions).toEqual([]);
    await createPolicy({
      name: "a-control-plane",
      mode: "act",
      includeControlPlane: true,
      selector: { matchLabels: { "node-role.kubernetes.io/master": "" } },
      criteria: FAST_CRITERIA,
      ladder: [{ action: "node.cordon", timeoutSeconds: 0 }],
    });
    await waitDecision(MASTER, (d) => d.decision === "acted" && d.action === "node.cordon", "cordoned by the control-plane policy");
    expect((await core.readNode({ name: MASTER })).spec?.unschedulable).toBe(true);
    kubeletStart(MASTER, { dir: lab.dir });
  });

  it("a dry run replays the recorded history: what a policy would have done, per node, and why", async () => {
    const dryRun = (body: unknown, token?: string) => post("/api/policies/dry-run", body, token);
    const fast = await dryRun({ policy: { name: "replay-fast", mode: "act", criteria: FAST_CRITERIA } });
    expect(fast.status, await fast.clone().text()).toBe(200);
    const replay = (await fast.json()) as TReplay & { transitions: number };
    expect(replay.selectedNodes).toBe(3);
    expect(replay.transitions).toBeGreaterThan(10);
    const w1 = replay.decisions.filter((d) => d.node === W1);
    // acp-worker01 died three times here; the replay finds them, and its flapping rule holds the third.
    expect(w1.map((d) => d.decision)).toEqual(expect.arrayContaining(["act"]));
    expect(w1.find((d) => d.decision === "act")?.message).toMatch(
      /^Ready=(Unknown|False) for 2 s \(policy: ≥ 2 s\): would have run node\.cordon → pods\.force-delete → node\.out-of-service\.apply/,
    );
    // Two workers down at once out of three: the budget would have held them back.
    expect(replay.decisions.some((d) => d.decision === "waited" && d.rule === "budget")).toBe(true);
    // The control plane is not selected: acp-master03's death is not in it.
    expect(replay.decisions.some((d) => d.node === MASTER)).toBe(false);

    // A policy that waits an hour would have done nothing: every death was shorter.
    const slow = (await (
      await dryRun({ policy: { name: "replay-slow", criteria: [{ type: "Ready", status: ["False", "Unknown"], forSeconds: 3600 }] } })
    ).json()) as TReplay;
    expect(slow.decisions.length).toBeGreaterThan(0);
    expect(slow.decisions.every((d) => d.decision === "recovered")).toBe(true);
    expect(slow.decisions[0]?.message).toMatch(/before the policy's 3600 s: nothing to do$/);

    const bad = await dryRun({ policy: { name: "x", criteria: [{ type: "ready", status: ["Unknown"], forSeconds: 1 }] } });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toContain("policy.criteria.0.type");
    expect((await dryRun({ policy: { name: "x" } }, await createTestToken(database.url, "viewer"))).status).toBe(403);
    expect((await dryRun({ policy: { name: "x" } }, await createTestToken(database.url, "operator"))).status).toBe(200);
  });
});
