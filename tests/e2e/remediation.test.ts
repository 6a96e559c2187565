// The seed incident end to end in Chromium: a viewer sees no buttons; an admin's delete dialog,
// open while acp-worker01 dies, turns its gates green without being reopened (and is a real modal
// dialog: named, focus trapped, Escape, focus back); an operator follows the overview's call to
// action to the node's remediation panel, sees the evidence and a preview; an admin deletes the
// node with a reason while the audit page, open in another tab, shows intent and success live;
// Redis runs on another worker; a refused attempt appears on the audit page live; the kubelet
// comes back, the transitions page shows it live, and the dashboard restores labels and taints.
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import type { Browser, Page } from "@playwright/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kubeletStart, kubeletStop } from "@/scripts/lab/lab";
import { SEED_VICTIM } from "@/scripts/lab/scenarios/seed";
import { createTestToken, createTestUser, startTestApp, type TTestApp, testDatabase } from "../helpers/app";
import { launchChromium, signedInPage } from "../helpers/browser";
import { startTestLab } from "../helpers/lab";
import { stopwatch, waitUntil } from "../helpers/wait";

const SHOTS = "test-results/screenshots";
const REDIS = { namespace: "harbor-registry", name: "harbor-registry-redis-master-0" };
/** Dead-node actions need the node NotReady/Unknown this long here (the lab's grace period is 10 s). */
const DEAD_AFTER_S = 5;

/** A marker on window and a navigation counter: both stay untouched only if the page never reloads. */
async function watchNoReload(page: Page) {
  await page.evaluate(() => {
    (window as unknown as { __noReload: boolean }).__noReload = true;
  });
  let navigations = 0;
  page.on("framenavigated", (f) => {
    if (f === page.mainFrame()) navigations += 1;
  });
  return async () => {
    expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
    expect(navigations).toBe(0);
  };
}

const focusedTestId = (page: Page) =>
  page.evaluate(() => document.activeElement?.getAttribute("data-testid") ?? document.activeElement?.tagName);

describe("remediating the seed incident in Chromium", () => {
  let lab: Awaited<ReturnType<typeof startTestLab>>;
  let app: TTestApp;
  let browser: Browser;
  let core: CoreV1Api;
  const users = {} as Record<"viewer" | "operator" | "admin", { email: string; password: string }>;
  let databaseUrl: string;
  const clock = stopwatch("remediate");

  beforeAll(async () => {
    lab = await startTestLab({ scenario: "seed" });
    const database = await testDatabase();
    databaseUrl = database.url;
    for (const role of ["viewer", "operator", "admin"] as const) users[role] = await createTestUser(database.url, role);
    app = await startTestApp({
      kubeconfig: lab.kubeconfig,
      databaseUrl: database.url,
      env: { NODE_RESCUE_DEAD_AFTER_SECONDS: String(DEAD_AFTER_S) },
    });
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

  it("an admin's delete dialog, opened while the node is Ready, turns its gates green as the node dies, without reopening", async () => {
    const page = await signedInPage(browser, app.url, users.admin);
    await page.goto(`${app.url}/nodes/${SEED_VICTIM}`);
    await page.locator('[data-testid="node-detail"][data-state="Ready"]').waitFor({ timeout: 30_000 });
    await page.locator('[data-testid="action-delete"]').click();

    // A modal dialog, named by its title and described, with focus inside.
    const dialog = page.getByRole("dialog", { name: `Delete node: ${SEED_VICTIM}` });
    await dialog.waitFor();
    expect(await dialog.getAttribute("aria-modal")).toBe("true");
    expect(await dialog.getAttribute("data-testid")).toBe("action-dialog");
    const describedBy = await dialog.getAttribute("aria-describedby");
    expect(describedBy).toBeTruthy();
    expect(await page.locator(`[id="${describedBy}"]`).textContent()).toMatch(/checked again while this dialog is open/);
    const focusInDialog = () => dialog.evaluate((el) => el.contains(document.activeElement));
    await expect.poll(focusInDialog).toBe(true);

    const gate = dialog.locator('[data-gate="dead-long-enough"]');
    await dialog.locator('[data-gate="dead-long-enough"][data-passed="false"]').waitFor();
    expect(await gate.textContent()).toMatch(/the node is Ready: this action is only for a dead node/);
    expect(await dialog.locator('[data-testid="gates-summary"]').textContent()).toMatch(/refuse/);
    // Tab cycles inside the dialog (the form has several fields and buttons).
    for (let i = 0; i < 10; i++) {
      await page.keyboard.press("Tab");
      expect(await focusInDialog()).toBe(true);
    }
    await page.screenshot({ path: `${SHOTS}/admin-delete-dialog-refused.png` });

    // The same dialog element, never closed: a reopened dialog would be a new element without the mark.
    await dialog.evaluate((el) => {
      (el as unknown as { __firstOpening: boolean }).__firstOpening = true;
    });
    kubeletStop(SEED_VICTIM, { dir: lab.dir });
    clock.reset();
    await dialog.locator('[data-gate="dead-long-enough"][data-passed="true"]').waitFor({ timeout: 120_000 });
    clock.lap(`the open dialog shows the node dead for at least ${DEAD_AFTER_S}s`);
    expect(await gate.textContent()).toMatch(new RegExp(`(NotReady|Unknown) for \\d+s \\(at least ${DEAD_AFTER_S}s required\\)`));
    await dialog.locator('[data-testid="gates-summary"]:has-text("Every safety gate passes")').waitFor({ timeout: 30_000 });
    expect(await dialog.locator('[data-passed="false"]').count()).toBe(0);
    expect(await dialog.evaluate((el) => (el as unknown as { __firstOpening?: boolean }).__firstOpening)).toBe(true);
    await page.screenshot({ path: `${SHOTS}/admin-delete-dialog-passed.png` });

    // Escape closes it and gives the focus back to the button that opened it.
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });
    await expect.poll(() => focusedTestId(page)).toBe("action-delete");
    await page.context().close();
  });

  it("an operator follows the overview's call to action to the node's remediation, with the evidence and a preview", async () => {
    const page = await signedInPage(browser, app.url, users.operator);
    await page.locator(`[data-testid="node-row-${SEED_VICTIM}"][data-health="Unknown"]`).waitFor({ timeout: 60_000 });
    await page.locator(`[data-testid="stuck-pod-${REDIS.namespace}-${REDIS.name}"][data-terminating="true"]`).waitFor({ timeout: 90_000 });
    clock.lap("operator sees the node Unknown and Redis Terminating");
    // At the top: which node, for how long, which workloads, and the way to its remediation.
    const line = page.locator(`[data-testid="needs-operator-${SEED_VICTIM}"]`);
    await line.waitFor({ timeout: 15_000 });
    const text = (await line.textContent()) ?? "";
    expect(text).toMatch(new RegExp(`${SEED_VICTIM} has been Unknown for \\d+`));
    expect(text).toMatch(/StatefulSet harbor-registry\/harbor-registry-redis-master \(down\)/);
    expect(await page.locator('[data-testid^="needs-operator-acp-"]').count()).toBe(1);
    // It is the first thing on the page, above the summary.
    const [ctaBox, statBox] = await Promise.all([line.boundingBox(), page.locator('[data-testid="stat-nodes"]').boundingBox()]);
    expect(ctaBox && statBox && ctaBox.y < statBox.y).toBe(true);
    await page.screenshot({ path: `${SHOTS}/overview-needs-operator.png` });
    await page.locator(`[data-testid="needs-operator-link-${SEED_VICTIM}"]`).click();
    await page.waitForURL((u) => u.pathname === `/nodes/${SEED_VICTIM}` && u.hash === "#remediate");
    const panel = page.locator('[data-testid="remediation-panel"]');
    await panel.waitFor();
    await expect.poll(() => focusedTestId(page)).toBe("remediation-panel");
    const inView = await panel.evaluate((el) => {
      const r = el.getBoundingClientRect();
      return r.top >= 0 && r.bottom <= window.innerHeight;
    });
    expect(inView).toBe(true);
    await page.screenshot({ path: `${SHOTS}/operator-remediation-panel.png` });
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
    // The dialog is fixed to the viewport: a full-page shot would show the page beyond it unshaded.
    await page.screenshot({ path: `${SHOTS}/operator-drain-preview.png` });
    await page.context().close();
  });

  it("an admin deletes the node with a reason; Redis runs on another worker", async () => {
    const page = await signedInPage(browser, app.url, users.admin);
    await page.goto(`${app.url}/nodes/${SEED_VICTIM}`);
    // Kubernetes 1.20 has no out-of-service handling: no such button, and the panel says why.
    expect(await page.locator('[data-testid="action-out-of-service"]').count()).toBe(0);
    expect(await page.locator('[data-testid="out-of-service-unsupported"]').textContent()).toMatch(/v1\.20\.2.*Delete node/s);
    // The audit page, open in a second tab before the action, must show it without a reload.
    const audit = await page.context().newPage();
    await audit.goto(`${app.url}/audit?node=${SEED_VICTIM}&action=node.delete`);
    await audit.getByText("No audit events match these filters.").waitFor({ timeout: 15_000 });
    const auditNotReloaded = await watchNoReload(audit);
    await page.bringToFront();

    await page.locator('[data-testid="action-delete"]').click();
    // Dead long enough (the dialog test waited for it) and every other gate passes.
    await page.locator('[data-testid="gates-summary"]:has-text("Every safety gate passes")').waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-testid="gate-checks"] [data-passed="false"]').count()).toBe(0);
    expect(await page.locator('[data-testid="plan"]').textContent()).toMatch(/Back up acp-worker01/);
    await page.locator('[data-testid="action-reason"]').fill("acp-worker01 lost power; confirmed dead with the DC team");
    const submit = page.locator('[data-testid="action-submit"]');
    expect(await submit.isDisabled()).toBe(true); // not confirmed yet
    await page.locator('[data-testid="action-confirm"]').fill(SEED_VICTIM);
    await page.screenshot({ path: `${SHOTS}/admin-delete-confirm.png` });
    await submit.click();
    await page.locator('[data-testid="action-result"][data-outcome="succeeded"]').waitFor({ timeout: 30_000 });
    clock.lap("admin deleted the node");
    await audit.locator('[data-testid="audit-row"][data-action="node.delete"][data-phase="intent"]').waitFor({ timeout: 15_000 });
    await audit.locator('[data-testid="audit-row"][data-action="node.delete"][data-outcome="succeeded"]').waitFor({ timeout: 15_000 });
    clock.lap("the open audit page shows intent and success");
    await auditNotReloaded();
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

  it("the audit page shows the intent and the success, and a refused attempt live (no cluster change, no reload)", async () => {
    const page = await signedInPage(browser, app.url, users.admin);
    await page.goto(`${app.url}/audit?node=${SEED_VICTIM}`);
    await page.locator('[data-testid="audit-row"][data-action="node.delete"][data-phase="intent"]').waitFor({ timeout: 15_000 });
    await page.locator('[data-testid="audit-row"][data-action="node.delete"][data-outcome="succeeded"]').waitFor();
    expect(await page.locator('[data-testid="audit-table"]').textContent()).toMatch(/lost power/);
    await page.screenshot({ path: `${SHOTS}/audit.png`, fullPage: true });
    // A viewer's cordon is refused before anything reaches Kubernetes: only the audit log changes.
    const refused = page.locator('[data-testid="audit-row"][data-action="node.cordon"][data-outcome="refused"]');
    expect(await refused.count()).toBe(0);
    const notReloaded = await watchNoReload(page);
    const viewerToken = await createTestToken(databaseUrl, "viewer");
    const res = await fetch(`${app.url}/api/nodes/${SEED_VICTIM}/actions/cordon`, {
      method: "POST",
      headers: { Authorization: `Bearer ${viewerToken}`, "Content-Type": "application/json" },
      body: JSON.stringify({ confirm: SEED_VICTIM, reason: "a viewer tries to cordon" }),
    });
    expect(res.status).toBe(403);
    clock.reset();
    await refused.waitFor({ timeout: 10_000 });
    clock.lap("the open audit page shows the refusal");
    await notReloaded();
    await page.screenshot({ path: `${SHOTS}/audit-live-refused.png`, fullPage: true });
    await page.context().close();
  });

  it("after kubelet start the node is back and the dashboard offers to restore its labels and taints", async () => {
    const page = await signedInPage(browser, app.url, users.admin);
    // The transitions page, open before the kubelet comes back, shows its return without a reload.
    await page.goto(`${app.url}/transitions`);
    const readyAgain = page.locator(`[data-testid="transition-row"][data-node="${SEED_VICTIM}"][data-to="Ready"]`);
    await page.locator(`[data-testid="transition-row"][data-node="${SEED_VICTIM}"][data-to="Unknown"]`).waitFor({ timeout: 15_000 });
    const readyBefore = await readyAgain.count();
    const notReloaded = await watchNoReload(page);
    kubeletStart(SEED_VICTIM, { dir: lab.dir });
    clock.reset();
    await waitUntil("a new Ready transition on the open transitions page", async () => (await readyAgain.count()) > readyBefore, 90_000);
    clock.lap("the open transitions page shows the node Ready again");
    await notReloaded();
    await page.screenshot({ path: `${SHOTS}/transitions-live.png`, fullPage: true });
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
