// Notifications in Chromium: an admin adds a webhook endpoint through the page (its URL shown
// masked only), a test send to a failing receiver reports the error, a real incident's delivery
// to it fails and the page shows the last error and the retries, given up after three attempts;
// once the receiver answers again the admin retries what was given up and the page shows
// everything delivered. An edit keeps the stored URL (never shown). A viewer gets no settings.
import { mkdirSync } from "node:fs";
import type { Browser } from "@playwright/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kubeletStart, kubeletStop } from "@/scripts/lab/lab";
import { createTestUser, readyNodeName, startTestApp, type TTestApp, testDatabase } from "../helpers/app";
import { launchChromium, signedInPage } from "../helpers/browser";
import { startTestLab } from "../helpers/lab";
import { startReceiver } from "../helpers/receiver";

const SHOTS = "test-results/screenshots";

describe("notification settings in Chromium", () => {
  let lab: Awaited<ReturnType<typeof startTestLab>>;
  let app: TTestApp;
  let browser: Browser;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let admin: { email: string; password: string };
  let viewer: { email: string; password: string };
  let node: string;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    lab = await startTestLab({ scenario: "empty", nodes: 1 });
    const database = await testDatabase();
    admin = await createTestUser(database.url, "admin");
    viewer = await createTestUser(database.url, "viewer");
    receiver = await startReceiver({ status: 500 });
    app = await startTestApp({
      kubeconfig: lab.kubeconfig,
      databaseUrl: database.url,
      env: { NODE_RESCUE_NOTIFY_BACKOFF_MS: "300", NODE_RESCUE_NOTIFY_BACKOFF_CAP_MS: "1500", NODE_RESCUE_NOTIFY_MAX_ATTEMPTS: "3" },
    });
    node = await readyNodeName(app);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await receiver?.close();
    await app?.stop();
    await lab?.down();
  });

  it("a viewer gets no settings", async () => {
    const page = await signedInPage(browser, app.url, viewer);
    await page.goto(`${app.url}/settings/notifications`);
    await expect(page.locator('[data-testid="notifications-forbidden"]').textContent()).resolves.toMatch(/configured by admins/);
    expect(await page.locator('[data-testid="endpoint-form"]').count()).toBe(0);
    await page.context().close();
  });

  it("an admin adds an endpoint, sees the failing test, the failing delivery's error, then its delivery", async () => {
    const page = await signedInPage(browser, app.url, admin);
    await page.goto(`${app.url}/settings/notifications`);
    const secretPath = "/hooks/T0KEN-SECRET-PATH-1234";
    await page.locator('[data-testid="endpoint-name"]').fill("flaky");
    await page.locator('[data-testid="endpoint-format"]').selectOption("cloudevents");
    await page.locator('[data-testid="endpoint-url"]').fill(`${receiver.url}${secretPath}`);
    await page.locator('[data-testid="endpoint-create"]').click();
    const row = page.locator('[data-testid="endpoint-flaky"]');
    await row.waitFor({ timeout: 15_000 });
    // The URL's path is a secret: shown masked, never in the page.
    expect(await page.content()).not.toContain("T0KEN-SECRET-PATH");

    await row.locator('[data-testid="endpoint-test"]').click();
    await expect
      .poll(async () => row.locator('[data-testid="endpoint-note"]').textContent(), { timeout: 15_000 })
      .toMatch(/Test failed: HTTP 500/);

    // A real incident: its first event fails at the receiver, and keeps being retried.
    kubeletStop(node, { dir: lab.dir });
    await expect
      .poll(async () => (await row.locator('[data-testid="endpoint-last-error"]').textContent()) ?? "", {
        timeout: 90_000,
        interval: 500,
      })
      .toMatch(/HTTP 500/);
    await row.locator('[data-testid="endpoint-history"]').click();
    await expect
      .poll(async () => row.locator('[data-testid="delivery-error"]').first().textContent(), { timeout: 15_000 })
      .toMatch(/HTTP 500/);
    await page.screenshot({ path: `${SHOTS}/notifications-failing.png`, fullPage: true });
    const tries = receiver.received.length;
    await expect.poll(() => receiver.received.length, { timeout: 15_000 }).toBeGreaterThan(tries);

    // Three attempts, then given up: the page offers to retry them.
    const retry = row.locator('[data-testid="endpoint-retry"]');
    await retry.waitFor({ timeout: 30_000 });
    await expect(retry.textContent()).resolves.toMatch(/^Retry [1-9]\d* failed$/);

    // The receiver recovers: what was held back goes out; the admin retries what was given up.
    receiver.setStatus(200);
    await expect.poll(() => receiver.accepted().length, { timeout: 30_000 }).toBeGreaterThan(0);
    await retry.click();
    await expect
      .poll(async () => row.locator('[data-testid="endpoint-note"]').textContent(), { timeout: 15_000 })
      .toMatch(/^retrying [1-9]\d* failed deliver(y|ies) of endpoint "flaky"$/);
    await expect
      .poll(async () => (await row.locator('[data-testid="endpoint-stats"]').textContent()) ?? "", { timeout: 30_000, interval: 500 })
      // The one failed delivery left is the test send, kept in the history (a test is not retried).
      .toMatch(/[1-9]\d* delivered · 0 pending · 1 failed/);
    expect(await retry.count()).toBe(0);
    await page.screenshot({ path: `${SHOTS}/notifications-delivered.png`, fullPage: true });
    kubeletStart(node, { dir: lab.dir });
    await page.context().close();
  });

  it("an admin edits an endpoint: the name and events change, the stored URL is kept and still hidden", async () => {
    const page = await signedInPage(browser, app.url, admin);
    await page.goto(`${app.url}/settings/notifications`);
    const row = page.locator('[data-testid="endpoint-flaky"]');
    await row.locator('[data-testid="endpoint-edit"]').click();
    const form = row.locator('[data-testid="endpoint-edit-form"]');
    await form.locator('[data-testid="endpoint-name"]').fill("steady");
    await form.getByLabel("workload.recovered").uncheck();
    await form.locator('[data-testid="endpoint-save"]').click();
    const renamed = page.locator('[data-testid="endpoint-steady"]');
    await renamed.waitFor({ timeout: 15_000 });
    await expect(renamed.textContent()).resolves.not.toMatch(/workload\.recovered/);
    expect(await page.content()).not.toContain("T0KEN-SECRET-PATH");
    // The URL left empty was kept: a test still reaches the receiver.
    const before = receiver.accepted().length;
    await renamed.locator('[data-testid="endpoint-test"]').click();
    await expect
      .poll(async () => renamed.locator('[data-testid="endpoint-note"]').textContent(), { timeout: 15_000 })
      .toMatch(/^Test delivered \(HTTP 200/);
    expect(receiver.accepted().at(-1)?.path).toBe("/hooks/T0KEN-SECRET-PATH-1234");
    expect(receiver.accepted().length).toBe(before + 1);
    await page.context().close();
  });
});
