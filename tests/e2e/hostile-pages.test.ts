// In Chromium, as an attacker's page would try it: a page on another port of the same host (the
// same *site*, so the admin's SameSite=Lax cookie rides along) posts a form to the delete-node
// button and tries to frame the dashboard. Both fail, the cluster does not change, the forged
// request is audited with its origin — and every dashboard page still renders under the CSP,
// with no violation reported and injected inline script refused.

import { mkdirSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import type { Browser, Page } from "@playwright/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestUser, readyNodeName, startTestApp, type TTestApp, testDatabase, withDb } from "../helpers/app";
import { launchChromium, signedInPage } from "../helpers/browser";
import { startTestLab } from "../helpers/lab";
import { waitUntil } from "../helpers/wait";

const SHOTS = "test-results/screenshots";

describe("hostile pages against a signed-in admin, in Chromium", () => {
  let lab: Awaited<ReturnType<typeof startTestLab>>;
  let app: TTestApp;
  let database: Awaited<ReturnType<typeof testDatabase>>;
  let browser: Browser;
  let page: Page;
  let evil: Server;
  let evilUrl: string;
  let node: string;
  const violations: string[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    lab = await startTestLab({ scenario: "empty", nodes: 1 });
    database = await testDatabase();
    const admin = await createTestUser(database.url, "admin");
    app = await startTestApp({ kubeconfig: lab.kubeconfig, databaseUrl: database.url });
    node = await readyNodeName(app);
    // The attacker's page, on another port of the same host.
    evil = createServer((_req, res) => {
      res.writeHead(200, { "Content-Type": "text/html" });
      res.end(`<!doctype html><html><body>
        <form id="f" method="POST" action="${app.url}/api/nodes/${node}/actions/delete" enctype="text/plain">
          <input name='{"confirm":"${node}","reason":"free prize","x":"' value='"}'>
        </form>
        <iframe id="frame" src="${app.url}/" width="600" height="400"></iframe>
      </body></html>`);
    });
    await new Promise<void>((resolve) => evil.listen(0, "127.0.0.1", resolve));
    evilUrl = `http://127.0.0.1:${(evil.address() as AddressInfo).port}`;
    browser = await launchChromium();
    page = await signedInPage(browser, app.url, admin);
    page.on("console", (msg) => {
      if (/Content Security Policy/i.test(msg.text())) violations.push(msg.text());
    });
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => evil?.close(resolve));
    await app?.stop();
    await lab?.down();
  });

  it("renders every page under the CSP without a violation", async () => {
    for (const [path, ready] of [
      ["/", `[data-testid="node-row-${node}"]`],
      [`/nodes/${node}`, `[data-testid="connection"]`],
      ["/transitions", "main"],
      ["/audit", "main"],
    ] as const) {
      const res = await page.goto(`${app.url}${path}`);
      expect(res?.headers()["content-security-policy"], path).toContain("'strict-dynamic'");
      await page.locator(ready).first().waitFor({ timeout: 30_000 });
    }
    await page.screenshot({ path: `${SHOTS}/csp-node-page.png`, fullPage: true });
    expect(violations).toEqual([]);
  });

  it("refuses markup-injected script: an inline event handler never runs", async () => {
    // (Code that Playwright evaluates or adds is DevTools code, which CSP exempts; an event
    // handler attribute in injected markup is compiled and run by the page itself.)
    await page.goto(`${app.url}/`);
    await page.evaluate(() => {
      const div = document.createElement("div");
      div.innerHTML = '<img src="/no-such-image.png" onerror="window.__injectedHandler = true">';
      document.body.appendChild(div);
    });
    await waitUntil("the violation report", async () => violations.some((v) => /inline event handler/i.test(v)), 10_000);
    expect(await page.evaluate(() => (window as unknown as { __injectedHandler?: boolean }).__injectedHandler)).toBeUndefined();
    violations.length = 0;
  });

  it("a form on another port of the same host cannot delete the node with the admin's cookie", async () => {
    const before = await withDb(database.url, (db) => db.auditEvent.count());
    await page.goto(evilUrl);
    await page.evaluate(() => (document.getElementById("f") as HTMLFormElement).submit());
    await page.waitForURL((u) => u.href.startsWith(app.url), { timeout: 15_000 });
    expect(await page.content()).toMatch(/cross-site request refused/);
    const rows = await withDb(database.url, (db) => db.auditEvent.findMany({ orderBy: { id: "asc" }, skip: before }));
    expect(rows.map((r) => [r.action, r.outcome, r.actorRole, r.origin])).toEqual([["node.delete", "refused", "admin", evilUrl]]);
    const kc = new KubeConfig();
    kc.loadFromFile(lab.kubeconfig);
    const still = await kc.makeApiClient(CoreV1Api).readNode({ name: node });
    expect(still.metadata?.name).toBe(node);
  });

  it("the audit page counts requests without credentials instead of listing them", async () => {
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${app.url}/api/nodes/${node}/actions/cordon`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: "{}",
      });
      expect(res.status).toBe(401);
    }
    await waitUntil(
      "the anonymous refusals stored",
      () => withDb(database.url, async (db) => ((await db.anonymousRefusal.aggregate({ _sum: { count: true } }))._sum.count ?? 0) >= 3),
      20_000,
    );
    await page.goto(`${app.url}/audit`);
    const line = page.locator('[data-testid="anonymous-refusals"]');
    await line.waitFor({ timeout: 15_000 });
    expect(Number(await line.getAttribute("data-total"))).toBeGreaterThanOrEqual(3);
    expect(await line.textContent()).toMatch(/127\.0\.0\.1/);
    await page.screenshot({ path: `${SHOTS}/audit-anonymous-refusals.png` });
  });

  it("cannot frame the dashboard", async () => {
    violations.length = 0;
    await page.goto(evilUrl);
    // Chromium reports the refusal and shows its error page in the frame instead of ours.
    await waitUntil("the framing refusal", async () => violations.some((v) => /frame-ancestors 'none'/.test(v)), 15_000);
    const frame = page.frames().find((f) => f !== page.mainFrame());
    expect(frame).toBeDefined();
    expect(await frame?.locator("[data-testid]").count()).toBe(0);
    await page.screenshot({ path: `${SHOTS}/framing-refused.png` });
  });
});
