// The seed incident's pages in Chromium: acp-worker01's kubelet stops, an admin (API token) deletes
// the node, Redis runs on another worker and the incident closes — while a viewer's incident page,
// open since the incident opened, follows it live to "closed" without a reload. Then the list row,
// the timeline's lanes and markers (an action marker leads to its audit rows), the figures, the
// node page's health strip and incidents, and the trends; screenshots light and dark.
import { mkdirSync } from "node:fs";
import type { Browser, Page } from "@playwright/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatDuration } from "@/lib/health/time";
import type { TIncidentPage } from "@/lib/incidents/list";
import type { TIncidentTrends } from "@/lib/incidents/trends";
import type { TIncidentView } from "@/lib/incidents/view";
import type { TNodesView } from "@/lib/views/nodes";
import { kubeletStop } from "@/scripts/lab/lab";
import { SEED_VICTIM } from "@/scripts/lab/scenarios/seed";
import { createTestUser, startTestApp, type TTestApp, testDatabase } from "../helpers/app";
import { launchChromium, signedInPage } from "../helpers/browser";
import { startTestLab } from "../helpers/lab";
import { stopwatch, waitUntil } from "../helpers/wait";

const SHOTS = "test-results/screenshots";
const REDIS = { namespace: "harbor-registry", pod: "harbor-registry-redis-master-0", statefulSet: "harbor-registry-redis-master" };
const REDIS_LANE = `StatefulSet/${REDIS.namespace}/${REDIS.statefulSet}`;
const REASON = "kubelet dead, node confirmed off (e2e)";

const lane = (page: Page, key: string) => page.locator(`[data-testid="lane-${key}"]`);
const spanStates = (page: Page, key: string) =>
  lane(page, key)
    .locator('[data-testid="span"]')
    .evaluateAll((els) => els.map((e) => e.getAttribute("data-state")));

/** Light, then dark (the app follows prefers-color-scheme), full page. */
async function shots(page: Page, name: string) {
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.waitForTimeout(150);
    await page.screenshot({ path: `${SHOTS}/${name}-${scheme}.png`, fullPage: true });
  }
  await page.emulateMedia({ colorScheme: "light" });
}

describe("incident pages in Chromium", () => {
  let lab: Awaited<ReturnType<typeof startTestLab>>;
  let app: TTestApp;
  let browser: Browser;
  let page: Page;
  let viewer: { email: string; password: string };
  let incidentId = 0;
  let view: TIncidentView;
  const clock = stopwatch("incidents");

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    lab = await startTestLab({ scenario: "seed" });
    const database = await testDatabase();
    viewer = await createTestUser(database.url, "viewer");
    app = await startTestApp({ kubeconfig: lab.kubeconfig, databaseUrl: database.url, env: { NODE_RESCUE_DEAD_AFTER_SECONDS: "5" } });
    browser = await launchChromium();
    await waitUntil(
      "six Ready nodes",
      async () => (await app.getJson<TNodesView>("/api/nodes")).nodes.filter((n) => n.state === "Ready").length === 6,
      60_000,
    );
    page = await signedInPage(browser, app.url, viewer);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await lab?.down();
  });

  it("an empty history says so, and the navigation leads to it", async () => {
    await page.goto(`${app.url}/`);
    await page.getByRole("link", { name: "Incidents", exact: true }).click();
    await page.waitForURL((u) => u.pathname === "/incidents");
    await page.getByText("No open incident.").waitFor();
    await page.getByText("No incident recorded yet.").waitFor();
  });

  it("the seed incident: the open incident's page follows it live until it closes", async () => {
    kubeletStop(SEED_VICTIM, { dir: lab.dir });
    clock.reset();
    // On a busy machine other nodes' heartbeats may be late for a moment too: such blips join the
    // incident (correlation) or are suspicions of their own. The victim's incident is the one to follow.
    const opened = await waitUntil(
      "an open incident",
      async () => (await app.getJson<TIncidentPage>(`/api/incidents?status=open&node=${SEED_VICTIM}`)).items[0],
      60_000,
    );
    incidentId = opened.id;
    clock.lap("incident opened");
    await page.goto(`${app.url}/incidents/${incidentId}`);
    await page.locator('[data-testid="incident-detail"][data-status="open"]').waitFor();
    await page.evaluate(() => {
      (window as unknown as { __noReload: boolean }).__noReload = true;
    });
    // Unknown appears in the node's lane without a reload (the event stream refetches the incident).
    await lane(page, SEED_VICTIM).locator('[data-state="Unknown"]').waitFor({ timeout: 60_000 });
    clock.lap("browser shows Unknown");
    // Redis' pod stuck Terminating (the taint manager evicts it; no kubelet confirms), shown live.
    await waitUntil(
      "Redis down and its pod stuck",
      async () => {
        const v = await app.getJson<TIncidentView>(`/api/incidents/${incidentId}`);
        return v.workloads.find((w) => w.key === REDIS_LANE)?.state === "down" && v.pods.some((p) => p.name === REDIS.pod);
      },
      120_000,
    );
    await page.locator(`[data-testid="incident-pod-row"][data-pod="${REDIS.pod}"]`).waitFor({ timeout: 15_000 });
    clock.lap("browser shows Redis stuck");
    await shots(page, "incident-open");

    const res = await waitUntil(
      "delete-node accepted",
      async () => {
        const r = await app.fetch(`/api/nodes/${SEED_VICTIM}/actions/delete`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ confirm: SEED_VICTIM, reason: REASON }),
        });
        return r.status === 200 ? ((await r.json()) as { outcome: string; actionId: string }) : null;
      },
      60_000,
      1_000,
    );
    expect(res.outcome).toBe("succeeded");
    clock.lap("node deleted");
    await page.locator('[data-testid="incident-detail"][data-status="closed"]').waitFor({ timeout: 240_000 });
    clock.lap("browser shows the incident closed");
    expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
    view = await app.getJson<TIncidentView>(`/api/incidents/${incidentId}`);
    expect(view.status).toBe("closed");
    const redis = view.workloads.find((w) => w.key === REDIS_LANE);
    expect(redis?.state).toBe("whole");
    expect(view.pods.find((p) => p.name === REDIS.pod)?.goneAt).toBeTruthy();
  });

  it("the list shows the incident's row and links to it", async () => {
    await page.goto(`${app.url}/incidents`);
    const row = page.locator(`[data-testid="incidents-closed"] [data-testid="incident-row-${incidentId}"]`);
    await row.waitFor();
    expect(await row.getAttribute("data-status")).toBe("closed");
    expect((await row.getAttribute("data-nodes"))?.split(",")).toContain(SEED_VICTIM);
    expect(await row.locator('[data-testid="incident-ttr"]').textContent()).toBe(formatDuration(view.figures.timeToRecoverMs ?? -1));
    expect(await row.locator('[data-testid="incident-duration"]').textContent()).toBe(formatDuration(view.figures.durationMs));
    expect(await row.locator('[data-testid="incident-workloads"]').textContent()).toBe(
      `${view.figures.workloadsHit} / ${view.figures.workloadsAffected}`,
    );
    expect(await row.locator('[data-testid="incident-actions"]').textContent()).toBe("1");
    expect(await page.locator('[data-testid="incidents-open"]').count()).toBe(0);
    // Filters: a node that was in no incident matches nothing (on a busy lab any real node may have blipped and joined); this node matches.
    await page.goto(`${app.url}/incidents?node=no-such-node`);
    await page.getByText("No closed incident matches these filters.").waitFor();
    await page.goto(`${app.url}/incidents?node=${SEED_VICTIM}&actions=with`);
    await row.waitFor();
    await shots(page, "incidents-list");
    await row.locator('[data-testid="incident-link"]').click();
    await page.waitForURL((u) => u.pathname === `/incidents/${incidentId}`);
    await page.locator('[data-testid="incident-detail"]').waitFor();
  });

  it("the timeline: the node's lane, Redis down then whole, the phases and the action marker", async () => {
    await page.locator('[data-testid="timeline"]').waitFor();
    const nodeStates = await spanStates(page, SEED_VICTIM);
    expect(nodeStates).toEqual(expect.arrayContaining(["HeartbeatLate", "Unknown", "Deleted"]));
    expect(nodeStates.indexOf("HeartbeatLate")).toBeLessThan(nodeStates.indexOf("Unknown"));
    expect(nodeStates.indexOf("Unknown")).toBeLessThan(nodeStates.indexOf("Deleted"));
    const redisStates = await spanStates(page, REDIS_LANE);
    expect(redisStates).toContain("down");
    expect(redisStates.at(-1)).toBe("whole");
    expect(redisStates.indexOf("down")).toBeLessThan(redisStates.lastIndexOf("whole"));
    expect(await lane(page, REDIS_LANE).getAttribute("aria-label")).toMatch(/down.*whole/);

    for (const phase of ["first-sign", "confirmed-dead", "first-action", "remediated", "workload-whole", "node-back", "closed"])
      expect(await page.locator(`[data-testid="marker-phase-${phase}"]`).count(), phase).toBeGreaterThanOrEqual(1);

    const action = view.actions.find((a) => a.action === "node.delete");
    expect(action).toBeTruthy();
    const marker = page.locator(`[data-testid="marker-action-${action?.auditEventId}"]`);
    expect(await marker.getAttribute("data-actor")).toBe(action?.actor.name);
    expect(await marker.getAttribute("data-role")).toBe("admin");
    expect(await marker.getAttribute("data-reason")).toBe(REASON);
    expect(await marker.getAttribute("aria-label")).toContain(REASON);

    // The figures, as the API computed them.
    const figure = (key: string) => page.locator(`[data-testid="figure-${key}"] > div`).nth(1).textContent();
    expect(await figure("recover")).toBe(formatDuration(view.figures.timeToRecoverMs ?? -1));
    expect(await figure("detect")).toBe(formatDuration(view.figures.timeToDetectMs ?? -1));
    expect(await figure("act")).toBe(formatDuration(view.figures.timeToActMs ?? -1));
    expect(await figure("duration")).toBe(formatDuration(view.figures.durationMs));
    expect(await figure("actions")).toBe("1");
    const redisRow = page.locator(`[data-testid="incident-workload-row"][data-key="${REDIS_LANE}"]`);
    expect(await redisRow.locator('[data-testid="workload-downtime"]').textContent()).toBe(
      formatDuration(view.workloads.find((w) => w.key === REDIS_LANE)?.downtimeMs ?? -1),
    );
    expect(await page.locator(`[data-testid="incident-pod-row"][data-pod="${REDIS.pod}"]`).textContent()).toMatch(/removed with its node/);
    expect(await page.locator('[data-testid="shared-labels"]').textContent()).toContain("topology.kubernetes.io/zone=rack-a");
    expect(await page.locator('[data-testid="export-md"]').getAttribute("href")).toBe(`/api/incidents/${incidentId}/export?format=md`);
    await shots(page, "incident-detail");

    // The downloads are the API's exports.
    const [download] = await Promise.all([page.waitForEvent("download"), page.locator('[data-testid="export-md"]').click()]);
    expect(download.suggestedFilename()).toBe(`incident-${incidentId}.md`);

    // Clicking the marker opens the audit page on that attempt: its intent and its outcome.
    await marker.click();
    await page.waitForURL((u) => u.pathname === "/audit" && u.searchParams.get("actionId") === action?.actionId);
    await page.locator('[data-testid="audit-row"]').first().waitFor();
    const rows = await page
      .locator('[data-testid="audit-row"]')
      .evaluateAll((els) =>
        els.map((e) => [e.getAttribute("data-action-id"), e.getAttribute("data-phase"), e.getAttribute("data-action")]),
      );
    expect(rows).toEqual([
      [action?.actionId, "outcome", "node.delete"],
      [action?.actionId, "intent", "node.delete"],
    ]);
    expect(await page.locator('[data-testid="audit-table"]').textContent()).toContain(REASON);
  });

  it("the node page: the health strip of 24 h and 7 days, and the node's incidents (also once the node is gone)", async () => {
    await page.goto(`${app.url}/nodes/${SEED_VICTIM}`);
    await page.locator('[data-testid="node-history"]').waitFor();
    for (const window of ["24h", "7d"]) {
      const strip = page.locator(`[data-testid="health-strip-${window}"]`);
      await strip.locator('[data-testid="span"]').first().waitFor();
      const states = await strip.locator('[data-testid="span"]').evaluateAll((els) => els.map((e) => e.getAttribute("data-state")));
      expect(states[0], window).toBe("Ready");
      expect(states.slice(-3), window).toEqual(["HeartbeatLate", "Unknown", "Deleted"]);
    }
    await page.locator(`[data-testid="node-incident-${incidentId}"]`).waitFor();
    await shots(page, "node-history");
  });

  it("the trends: one incident this week, its time to recover as median and p90, the node and Redis most affected", async () => {
    const api = await app.getJson<TIncidentTrends>("/api/incidents/trends?weeks=12");
    expect(api.perWeek.at(-1)?.incidents).toBe(1);
    expect(api.timeToRecover.medianMs).toBe(view.figures.timeToRecoverMs);
    expect(api.timeToRecover.p90Ms).toBe(view.figures.timeToRecoverMs);
    expect(api.mostAffectedNodes).toEqual([{ node: SEED_VICTIM, incidents: 1 }]);
    expect(api.mostAffectedWorkloads.map((w) => w.key)).toContain(REDIS_LANE);

    await page.goto(`${app.url}/incidents`);
    await page.locator('[data-testid="trends-link"]').click();
    await page.waitForURL((u) => u.pathname === "/incidents/trends");
    const perWeek = page.locator('[data-testid="trends-per-week"]');
    await perWeek.waitFor();
    expect(await perWeek.getAttribute("data-total")).toBe("1");
    expect(await page.locator('[data-testid="week-bar"]').count()).toBe(12);
    const ttr = page.locator('[data-testid="trends-ttr"]');
    expect(await ttr.getAttribute("data-points")).toBe("1");
    expect(await ttr.getAttribute("data-median-ms")).toBe(String(view.figures.timeToRecoverMs));
    expect(await page.locator('[data-testid="trends-median"] > div').nth(1).textContent()).toBe(
      formatDuration(view.figures.timeToRecoverMs ?? -1),
    );
    expect(await page.locator(`[data-testid="trends-nodes"] [data-key="${SEED_VICTIM}"]`).getAttribute("data-count")).toBe("1");
    await page.locator(`[data-testid="trends-workloads"] [data-key="${REDIS_LANE}"]`).waitFor();
    await shots(page, "incident-trends");
  });
});
