// The seed incident end to end in Chromium: a viewer sees no buttons; an operator sees
// acp-worker01 dead with its stuck pods, the evidence and a preview; an admin deletes the node
// with a reason; Redis runs on another worker; the audit page shows intent and success; the
// kubelet comes back and the dashboard offers to restore the node's labels and taints.
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import type { Browser } from "@playwright/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kubeletStart, kubeletStop } from "@/scripts/lab/lab";
import { SEED_VICTIM } from "@/scripts/lab/scenarios/seed";
import { createTestUser, startTestApp, type TTestApp, testDatabase } from "../helpers/app";
import { launchChromium, signedInPage } from "../helpers/browser";
import { startTestLab } from "../helpers/lab";
import { stopwatch, waitUntil } from "../helpers/wait";

const SHOTS = "test-results/screenshots";
const REDIS = { namespace: "harbor-registry", name: "harbor-registry-redis-master-0" };

describe("remediating the seed incident in Chromium", () => {
  let lab: Awaited<ReturnType<typeof startTestLab>>;
  let app: TTestApp;
  let browser: Browser;
  let core: CoreV1Api;
  const users = {} as Record<"viewer" | "operator" | "admin", { email: string; password: string }>;
  const clock = stopwatch("remediate");

  beforeAll(async () => {
    lab = await startTestLab({ scenario: "seed" });
    const database = testDatabase();
    for (const role of ["viewer", "operator", "admin"] as const) users[role] = await createTestUser(database.url, role);
    app = await startTestApp({ kubeconfig: lab.kubeconfig, databaseUrl: database.url, env: { NODE_RESCUE_DEAD_AFTER_SECONDS: "5" } });
    browser = await launchChromium();
    const kc = new KubeConfig();
    kc.loadFromFile(lab.kubeconfig);
    core = kc.makeApiClient(CoreV1Api);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await lab?.down();
  });

  it("a viewer sees the node but no action buttons", async () => {
    const page = await signedInPage(browser, app.url, users.viewer);
    await page.goto(`${app.url}/nodes/${SEED_VICTIM}`);
    await page.locator('[data-testid="node-detail"]').waitFor();
    await page.locator('[data-testid="evidence-panel"]').waitFor();
    expect(await page.locator('[data-testid="remediation-actions"]').count()).toBe(0);
    expect(await page.locator('[data-testid^="action-"]').count()).toBe(0);
    await page.context().close();
  });

  it("an operator sees acp-worker01 dead with its stuck pods, the evidence and a preview", async () => {
    kubeletStop(SEED_VICTIM, { dir: lab.dir });
    clock.reset();
    const page = await signedInPage(browser, app.url, users.operator);
    await page.locator(`[data-testid="node-row-${SEED_VICTIM}"][data-health="Unknown"]`).waitFor({ timeout: 60_000 });
    await page.locator(`[data-testid="stuck-pod-${REDIS.namespace}-${REDIS.name}"][data-terminating="true"]`).waitFor({ timeout: 90_000 });
    clock.lap("operator sees the node Unknown and Redis Terminating");
    await page.goto(`${app.url}/nodes/${SEED_VICTIM}`);
    const evidence = page.locator('[data-testid="evidence-panel"][data-verdict="likely-dead"]');
    await evidence.waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-testid="evidence-tcp"]').getAttribute("data-reachable")).toBe("false");
    // Operators may drain but not delete a node.
    expect(await page.locator('[data-testid="action-delete"]').count()).toBe(0);
    expect(await page.locator('[data-testid="out-of-service-unsupported"]').count()).toBe(0);
    await page.locator('[data-testid="action-drain"]').click();
    await page.locator('[data-testid="plan"]').waitFor();
    expect(await page.locator('[data-testid="plan"]').textContent()).toMatch(/PDB ml-pipeline/);
    expect(await page.locator('[data-testid="plan"]').textContent()).toMatch(/stay Terminating/);
    await page.screenshot({ path: `${SHOTS}/operator-drain-preview.png`, fullPage: true });
    await page.context().close();
  });

  it("an admin deletes the node with a reason; Redis runs on another worker", async () => {
    const page = await signedInPage(browser, app.url, users.admin);
    await page.goto(`${app.url}/nodes/${SEED_VICTIM}`);
    // Kubernetes 1.20 has no out-of-service handling: no such button, and the panel says why.
    expect(await page.locator('[data-testid="action-out-of-service"]').count()).toBe(0);
    expect(await page.locator('[data-testid="out-of-service-unsupported"]').textContent()).toMatch(/v1\.20\.2.*Delete node/s);
    await page.locator('[data-testid="action-delete"]').click();
    await page.locator('[data-testid="gate-checks"]').waitFor();
    // Dead long enough (NODE_RESCUE_DEAD_AFTER_SECONDS=5 here) and every other gate passes.
    await waitUntil(
      "all gates passed",
      async () => {
        await page.locator('[data-testid="action-dialog"] button:has-text("close")').click();
        await page.locator('[data-testid="action-delete"]').click();
        await page.locator('[data-testid="gate-checks"]').waitFor();
        return (await page.locator('[data-testid="gate-checks"] [data-passed="false"]').count()) === 0;
      },
      60_000,
      1_000,
    );
    expect(await page.locator('[data-testid="plan"]').textContent()).toMatch(/Back up acp-worker01/);
    await page.locator('[data-testid="action-reason"]').fill("acp-worker01 lost power; confirmed dead with the DC team");
    const submit = page.locator('[data-testid="action-submit"]');
    expect(await submit.isDisabled()).toBe(true); // not confirmed yet
    await page.locator('[data-testid="action-confirm"]').fill(SEED_VICTIM);
    await page.screenshot({ path: `${SHOTS}/admin-delete-confirm.png`, fullPage: true });
    await submit.click();
    await page.locator('[data-testid="action-result"][data-outcome="succeeded"]').waitFor({ timeout: 30_000 });
    clock.lap("admin deleted the node");
    const redis = await waitUntil(
      "Redis Running on another worker",
      async () => {
        const p = await core.readNamespacedPod(REDIS).catch(() => null);
        return p?.status?.phase === "Running" && p.spec?.nodeName !== SEED_VICTIM ? p : null;
      },
      150_000,
      1_000,
    );
    expect(redis.spec?.nodeName).toMatch(/^acp-worker0[23]$/);
    clock.lap(`Redis Running on ${redis.spec?.nodeName}`);
    await page.context().close();
  });

  it("the audit page shows the intent and the success", async () => {
    const page = await signedInPage(browser, app.url, users.admin);
    await page.goto(`${app.url}/audit?node=${SEED_VICTIM}&action=node.delete`);
    await page.locator('[data-testid="audit-row"][data-action="node.delete"][data-phase="intent"]').waitFor({ timeout: 15_000 });
    await page.locator('[data-testid="audit-row"][data-action="node.delete"][data-outcome="succeeded"]').waitFor();
    expect(await page.locator('[data-testid="audit-table"]').textContent()).toMatch(/lost power/);
    await page.screenshot({ path: `${SHOTS}/audit.png`, fullPage: true });
    await page.context().close();
  });

  it("after kubelet start the node is back and the dashboard offers to restore its labels and taints", async () => {
    kubeletStart(SEED_VICTIM, { dir: lab.dir });
    const page = await signedInPage(browser, app.url, users.admin);
    await waitUntil(
      "node back",
      async () => (await core.readNode({ name: SEED_VICTIM }).catch(() => null))?.metadata?.name === SEED_VICTIM,
      60_000,
    );
    await page.goto(`${app.url}/nodes/${SEED_VICTIM}`);
    await page.locator('[data-testid="restore-offer"]').waitFor({ timeout: 30_000 });
    await page.locator('[data-testid="action-restore"]').click();
    const diff = page.locator('[data-testid="restore-diff"]');
    await diff.waitFor();
    expect(await diff.textContent()).toMatch(/acp\.example\.com\/storage-tier=nfs-fast/);
    expect(await diff.textContent()).toMatch(/acp\.example\.com\/dedicated=kubeflow:PreferNoSchedule/);
    await page.locator('[data-testid="action-reason"]').fill("node is back: restore what the admin had set");
    await page.locator('[data-testid="action-confirm"]').fill(SEED_VICTIM);
    await page.locator('[data-testid="action-submit"]').click();
    await page.locator('[data-testid="action-result"][data-outcome="succeeded"]').waitFor({ timeout: 30_000 });
    const node = await core.readNode({ name: SEED_VICTIM });
    expect(node.metadata?.labels?.["acp.example.com/storage-tier"]).toBe("nfs-fast");
    expect(node.metadata?.annotations?.["acp.example.com/rack-position"]).toBe("R12-U07");
    expect(node.spec?.taints?.some((t) => t.key === "acp.example.com/dedicated" && t.effect === "PreferNoSchedule")).toBe(true);
    await page.screenshot({ path: `${SHOTS}/restored.png`, fullPage: true });
    await page.context().close();
  });
});
