// In Chromium: a viewer signs in through the login page; the overview shows acp-worker01 turn
// Unknown live, without a reload, with its Terminating pods.
import { mkdirSync } from "node:fs";
import type { Browser, Page } from "@playwright/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TAppServer } from "@/scripts/app-server";
import { kubeletStop } from "@/scripts/lab/lab";
import { SEED_VICTIM } from "@/scripts/lab/scenarios/seed";
import { createTestUser, startTestApp, testDatabase } from "../helpers/app";
import { launchChromium } from "../helpers/browser";
import { startTestLab } from "../helpers/lab";
import { stopwatch } from "../helpers/wait";

const SHOTS = "test-results/screenshots";

describe("live overview in Chromium", () => {
  let lab: Awaited<ReturnType<typeof startTestLab>>;
  let app: TAppServer;
  let browser: Browser;
  let page: Page;
  let viewer: { email: string; password: string };
  const clock = stopwatch("e2e");

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    lab = await startTestLab({ scenario: "seed" });
    const database = await testDatabase();
    viewer = await createTestUser(database.url, "viewer");
    app = await startTestApp({ kubeconfig: lab.kubeconfig, databaseUrl: database.url });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await lab?.down();
  });

  it("sends a signed-out visitor to the login page, and back after signing in as a viewer", async () => {
    await page.goto(`${app.url}/`);
    await page.waitForURL((u) => u.pathname === "/login");
    await page.screenshot({ path: `${SHOTS}/login.png` });
    await page.locator('[data-testid="login-email"]').fill(viewer.email);
    await page.locator('[data-testid="login-password"]').fill(viewer.password);
    await page.locator('[data-testid="login-submit"]').click();
    await page.waitForURL((u) => u.pathname === "/", { timeout: 15_000 });
    await page.locator('[data-testid="user-role"]').waitFor();
    expect(await page.locator('[data-testid="user-role"]').textContent()).toBe("viewer");
    expect(await page.locator('[data-testid="user-name"]').textContent()).toBe(viewer.email);
  });

  it("shows the cluster connected and every node Ready", async () => {
    await page.goto(app.url);
    await page.locator(`[data-testid="node-row-${SEED_VICTIM}"][data-state="Ready"]`).waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-testid^="node-row-"]').count()).toBe(6);
    await page.locator('[data-testid="connection"][data-state="connected"]').waitFor({ timeout: 15_000 });
    await page.screenshot({ path: `${SHOTS}/overview-healthy.png`, fullPage: true });
  });

  it("turns acp-worker01 Unknown live and lists its Terminating pods, without reloading", async () => {
    // A marker on window survives only if the page is never reloaded or navigated.
    await page.evaluate(() => {
      (window as unknown as { __noReload: boolean }).__noReload = true;
    });
    let navigations = 0;
    page.on("framenavigated", (f) => {
      if (f === page.mainFrame()) navigations += 1;
    });
    kubeletStop(SEED_VICTIM, { dir: lab.dir });
    clock.reset();
    await page.locator(`[data-testid="node-row-${SEED_VICTIM}"][data-state="HeartbeatLate"]`).waitFor({ timeout: 30_000 });
    clock.lap("browser shows Heartbeat late");
    await page.locator(`[data-testid="node-row-${SEED_VICTIM}"][data-health="Unknown"]`).waitFor({ timeout: 60_000 });
    clock.lap("browser shows Unknown");
    const redis = page.locator('[data-testid="stuck-pod-harbor-registry-harbor-registry-redis-master-0"][data-terminating="true"]');
    await redis.waitFor({ timeout: 90_000 });
    clock.lap("browser shows Redis Terminating");
    await expect.poll(() => redis.textContent()).toMatch(/StatefulSet/);
    expect(await redis.textContent()).toMatch(/needs action/);
    expect(await redis.textContent()).toMatch(/nfs-sc-acp/);
    expect(await page.locator('[data-testid^="stuck-pod-"][data-terminating="true"]').count()).toBeGreaterThanOrEqual(5);
    expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
    expect(navigations).toBe(0);
    await page.screenshot({ path: `${SHOTS}/overview-incident.png`, fullPage: true });
  });

  it("the node page shows conditions, taints and the transition history", async () => {
    await page.goto(`${app.url}/nodes/${SEED_VICTIM}`);
    await page.locator('[data-testid="node-detail"]').waitFor();
    await page.locator('[data-testid="transition-row"][data-to="Unknown"]').waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-testid="transition-row"][data-to="HeartbeatLate"]').count()).toBe(1);
    expect(await page.textContent("body")).toContain("node.kubernetes.io/unreachable");
    await page.screenshot({ path: `${SHOTS}/node-incident.png`, fullPage: true });
  });
});
