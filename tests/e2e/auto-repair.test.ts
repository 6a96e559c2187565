// A propose-mode policy in Chromium: acp-worker01 dies, the engine proposes its repair on the node
// page (live, no reload) and in a Slack notification, and waits; an operator may not approve a ladder that deletes a node (the
// server refuses, the page says why), an admin approves it with a reason, and the repair goes on
// through the same gates as a click: Redis runs on another worker, the audit names the policy
// and the approver. The policies page shows the repair under way, pauses auto-repair for an admin,
// and replays the policy over the recorded week.
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import type { Browser, Page } from "@playwright/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "@/lib/db";
import { kubeletStop } from "@/scripts/lab/lab";
import { SEED_REDIS, SEED_REDIS_POD, SEED_VICTIM } from "@/scripts/lab/scenarios/seed";
import { createTestToken, createTestUser, startTestApp, type TTestApp, testDatabase } from "../helpers/app";
import { launchChromium, signedInPage } from "../helpers/browser";
import { startTestLab } from "../helpers/lab";
import { startReceiver } from "../helpers/receiver";
import { stopwatch, waitUntil } from "../helpers/wait";

const SHOTS = "test-results/screenshots";

describe("approving a proposed repair in Chromium", () => {
  let lab: Awaited<ReturnType<typeof startTestLab>>;
  let app: TTestApp;
  let browser: Browser;
  let core: CoreV1Api;
  let databaseUrl: string;
  let operator: Page;
  let admin: Page;
  let slack: Awaited<ReturnType<typeof startReceiver>>;
  const clock = stopwatch("auto-repair");

  beforeAll(async () => {
    lab = await startTestLab({ scenario: "seed" });
    const database = await testDatabase();
    databaseUrl = database.url;
    app = await startTestApp({
      kubeconfig: lab.kubeconfig,
      databaseUrl,
      env: { NODE_RESCUE_DEAD_AFTER_SECONDS: "3", NODE_RESCUE_REPAIR_TICK_MS: "500" },
    });
    const kc = new KubeConfig();
    kc.loadFromFile(lab.kubeconfig);
    core = kc.makeApiClient(CoreV1Api);
    browser = await launchChromium();
    operator = await signedInPage(browser, app.url, await createTestUser(databaseUrl, "operator"));
    admin = await signedInPage(browser, app.url, await createTestUser(databaseUrl, "admin"));
    const res = await app.fetch("/api/policies", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        name: "workers",
        mode: "propose",
        enabled: true,
        criteria: [{ type: "Ready", status: ["False", "Unknown"], forSeconds: 2 }],
        ladder: [
          { action: "node.cordon", timeoutSeconds: 0 },
          { action: "node.out-of-service.apply", timeoutSeconds: 0 },
        ],
      }),
    });
    expect(res.status, await res.clone().text()).toBe(201);
    // A Slack webhook on 127.0.0.1: the proposal is news for people.
    slack = await startReceiver();
    const hook = await app.fetch("/api/notifications", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ format: "slack", name: "ops", url: `${slack.url}/hook` }),
    });
    expect(hook.status, await hook.clone().text()).toBe(201);
    await waitUntil("acp-worker01 Ready", async () =>
      (await core.readNode({ name: SEED_VICTIM })).status?.conditions?.some((c) => c.type === "Ready" && c.status === "True"),
    );
  });
  afterAll(async () => {
    await slack?.close();
    await browser?.close();
    await app?.stop();
    await lab?.down();
  });

  it("the proposal appears on the node page live and waits; nothing acts", async () => {
    await operator.goto(`${app.url}/nodes/${SEED_VICTIM}`);
    await operator.getByText("No repair policy has decided anything about this node.").waitFor({ timeout: 30_000 });
    kubeletStop(SEED_VICTIM, { dir: lab.dir });
    clock.lap("kubelet stopped");
    const proposal = operator.locator('[data-testid="repair-run"][data-phase="proposed"]');
    await proposal.waitFor({ timeout: 90_000 });
    clock.lap("proposed");
    expect(await proposal.textContent()).toMatch(/Policy workers \(propose\): waiting for an operator's approval/);
    expect(await proposal.textContent()).toMatch(/Ready=(Unknown|False) for \d+ s/);
    expect(await operator.locator('[data-testid="repair-decision"][data-decision="proposed"]').first().textContent()).toContain(
      'policy "workers" is in propose mode',
    );
    await operator.screenshot({ path: `${SHOTS}/auto-repair-proposed.png`, fullPage: true });
    // …and in the incident's notifications: Slack got it, once, with the way to answer it.
    const proposedMessage = await waitUntil(
      "Slack told of the proposal",
      async () => slack.accepted().find((r) => (r.json as { text?: string }).text?.includes("proposes")),
      30_000,
    );
    expect((proposedMessage.json as { text: string }).text).toMatch(
      /incident #\d+: policy workers proposes node\.cordon → node\.out-of-service\.apply on acp-worker01; approve or reject it on the node page/,
    );
    // It waits: nothing acted on the node, not even the cordon.
    expect((await core.readNode({ name: SEED_VICTIM })).spec?.unschedulable ?? false).toBe(false);
  });

  it("an operator may not approve a ladder that deletes the node; the page says why", async () => {
    await operator.locator('[data-testid="repair-answer-reason"]').fill("the host is powered off (BMC)");
    await operator.locator('[data-testid="repair-approve"]').click();
    await operator
      .locator('[data-testid="repair-answer-note"]')
      .filter({ hasText: "operator may not approve a ladder with node.out-of-service.apply" })
      .waitFor({ timeout: 15_000 });
    const db = createDb(databaseUrl);
    try {
      const refused = await db.auditEvent.findFirst({ where: { action: "repair.approve" }, orderBy: { id: "desc" } });
      expect(refused).toMatchObject({ actorRole: "operator", outcome: "refused", reason: "the host is powered off (BMC)" });
    } finally {
      await db.$disconnect();
    }
    // A viewer's token cannot either, whatever the page shows.
    const viewer = await createTestToken(databaseUrl, "viewer");
    const runId = (await app.getJson("/api/repair")).runs[0].id;
    const res = await fetch(`${app.url}/api/repair/runs/${runId}/approve`, {
      method: "POST",
      headers: { Authorization: `Bearer ${viewer}`, "Content-Type": "application/json" },
      body: JSON.stringify({ reason: "looks dead to me" }),
    });
    expect(res.status).toBe(403);
  });

  it("an admin approves with a reason: the repair runs through the gates and Redis runs on another worker", async () => {
    await admin.goto(`${app.url}/nodes/${SEED_VICTIM}`);
    await admin.locator('[data-testid="repair-run"][data-phase="proposed"]').waitFor({ timeout: 30_000 });
    await admin.locator('[data-testid="repair-answer-reason"]').fill("BMC shows the host powered off since 03:12");
    await admin.locator('[data-testid="repair-approve"]').click();
    await admin.locator('[data-testid="repair-answer-note"]').filter({ hasText: "Approved" }).waitFor({ timeout: 15_000 });
    clock.lap("approved");
    // The page follows the repair live: approved, then each step, then waiting for the kubelet.
    await admin.locator('[data-testid="repair-run"][data-phase="returning"]').waitFor({ timeout: 60_000 });
    const actions = await admin.locator('[data-testid="repair-decision"][data-decision="acted"]').allTextContents();
    expect(actions.join("\n")).toMatch(/\(node\.delete\) succeeded: node acp-worker01 deleted; its \d+ pods finished at once/);
    expect(actions.join("\n")).toMatch(/\(node\.cordon\) succeeded/);
    await admin.screenshot({ path: `${SHOTS}/auto-repair-approved.png`, fullPage: true });
    const redis = await waitUntil(
      "Redis Running on another worker",
      async () => {
        const p = await core.readNamespacedPod({ namespace: SEED_REDIS.namespace, name: SEED_REDIS_POD }).catch(() => null);
        return p?.status?.phase === "Running" && p.spec?.nodeName !== SEED_VICTIM && !p.metadata?.deletionTimestamp ? p : null;
      },
      120_000,
      500,
    );
    clock.lap(`Redis Running on ${redis.spec?.nodeName}`);
    // The proposal was announced once, however many ticks it waited.
    expect(slack.accepted().filter((r) => (r.json as { text?: string }).text?.includes("proposes"))).toHaveLength(1);
    const db = createDb(databaseUrl);
    try {
      const deleted = await db.auditEvent.findFirst({ where: { action: "node.delete", phase: "outcome" } });
      expect(deleted).toMatchObject({ actorKind: "policy", actorName: "policy:workers", outcome: "succeeded" });
      expect(deleted?.reason).toMatch(/approved by admin-[0-9a-f]+@test\.node-rescue\.dev: BMC shows the host powered off since 03:12/);
    } finally {
      await db.$disconnect();
    }
  });

  it("the policies page shows the repair under way, and an admin pauses auto-repair there", async () => {
    await admin.goto(`${app.url}/settings/policies`);
    await admin.locator('[data-testid="repair-runs"]').filter({ hasText: SEED_VICTIM }).waitFor({ timeout: 30_000 });
    expect(await admin.locator('[data-testid="repair-engine"]').textContent()).toContain("Running");
    await admin.locator('[data-testid="repair-switches-reason"]').fill("storage migration tonight");
    await admin.locator('[data-testid="repair-pause"]').click();
    await admin
      .locator('[data-testid="repair-engine"]')
      .filter({ hasText: /Paused by admin-[0-9a-f]+@/ })
      .waitFor({ timeout: 15_000 });
    expect(await admin.locator('[data-testid="repair-engine"]').textContent()).toContain("storage migration tonight");
    expect(await admin.locator('[data-testid="repair-resume"]').count()).toBe(1);
    await admin.screenshot({ path: `${SHOTS}/auto-repair-paused.png`, fullPage: true });
  });

  it("the policy's dry run over the last 7 days shows, per node, what it would have done and why", async () => {
    const row = admin.locator('[data-testid="policy-workers"]');
    await row.locator('[data-testid="policy-dry-run-button"]').click();
    const summary = row.locator('[data-testid="policy-dry-run-summary"]');
    await summary.waitFor({ timeout: 30_000 });
    expect(await summary.textContent()).toMatch(/on 3 selected nodes: 0 repaired, [1-9]\d* proposed/);
    const proposed = row.locator('[data-testid="dry-run-decision"][data-decision="propose"]').filter({ hasText: SEED_VICTIM }).last();
    expect(await proposed.textContent()).toMatch(
      new RegExp(`${SEED_VICTIM}Ready=(Unknown|False) for 2 s \\(policy: ≥ 2 s\\): would have proposed`),
    );
    await admin.screenshot({ path: `${SHOTS}/auto-repair-dry-run.png`, fullPage: true });
  });
});
