// The seed incident on the modern control plane, fixed with the out-of-service taint through the
// dashboard in Chromium — no delete node. Redis' volume is attachable there (a CSI volume of the
// lab's driver), so the real attach/detach controller has a VolumeAttachment to detach. The
// kubelet of acp-worker01 stops; once the dashboard shows it dead and the gates open, an admin
// applies the taint (dry run, typed confirmation, reason). Then, against the API server: the
// taint is on the node, its pods are gone (but the DaemonSet pod that tolerates the taint), the
// VolumeAttachment on acp-worker01 is removed and harbor-registry-redis-master-0 runs on another
// worker (the time from the click is printed). The taint is tracked: the server refuses its
// removal while the node is down, saying why; after kubelet start the node page proposes it, and
// applied through the UI the taint is gone. Eviction and PDBs go through policy/v1, discovered.
import { CoreV1Api, KubeConfig, StorageV1Api, type V1Pod, type V1VolumeAttachment } from "@kubernetes/client-node";
import type { Browser, Page } from "@playwright/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OUT_OF_SERVICE_TAINT } from "@/lib/remediation/catalog";
import { kubeletStart, kubeletStop } from "@/scripts/lab/lab";
import { SEED_PDB, SEED_REDIS, SEED_REDIS_CSI_PV, SEED_REDIS_POD, SEED_VICTIM } from "@/scripts/lab/scenarios/seed";
import { LAB_CSI_DRIVER } from "@/scripts/lab/sim/attacher";
import { csiVolumeName } from "@/scripts/lab/sim/volumes";
import { createTestUser, startTestApp, type TTestApp, testDatabase, withDb } from "../helpers/app";
import { launchChromium, signedInPage } from "../helpers/browser";
import { startTestLab } from "../helpers/lab";
import { stopwatch, waitUntil } from "../helpers/wait";

const SHOTS = "test-results/screenshots";
/** Dead-node actions need the node NotReady/Unknown this long here (the lab's grace period is 10 s). */
const DEAD_AFTER_S = 5;
const REDIS = { namespace: SEED_REDIS.namespace, name: SEED_REDIS_POD };
const REDIS_VOLUME = csiVolumeName(LAB_CSI_DRIVER, "harbor-redis-data");
const hasOos = (taints: Array<{ key: string }> | undefined) => (taints ?? []).some((t) => t.key === OUT_OF_SERVICE_TAINT.key);
const isRunningReady = (p: V1Pod | null) =>
  p?.status?.phase === "Running" && (p.status.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false);
const isDaemonPod = (p: V1Pod) => p.metadata?.ownerReferences?.some((o) => o.kind === "DaemonSet") ?? false;

describe("the out-of-service path on the modern lab, in Chromium", () => {
  let lab: Awaited<ReturnType<typeof startTestLab>>;
  let app: TTestApp;
  let browser: Browser;
  let page: Page;
  let core: CoreV1Api;
  let storage: StorageV1Api;
  let databaseUrl: string;
  /** The VolumeAttachment pinning Redis' volume to acp-worker01 before the incident. */
  let victimAttachment: string;
  /** When the admin clicked the out-of-service action's submit button. */
  let clickedAt = 0;
  /** Seconds from the click until the dialog showed the action's success. */
  let resultShownAt = "";
  const clock = stopwatch("out-of-service");
  const redisAttachments = async () =>
    (await storage.listVolumeAttachment({})).items.filter((va) => va.spec.source.persistentVolumeName === SEED_REDIS_CSI_PV);
  const victimPods = async () => (await core.listPodForAllNamespaces({ fieldSelector: `spec.nodeName=${SEED_VICTIM}` })).items;
  const removeByApi = () =>
    app.fetch(`/api/nodes/${SEED_VICTIM}/actions/remove-out-of-service`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ confirm: SEED_VICTIM, reason: "trying to put the node back in service early" }),
    });

  /**
   * Polls the API server side by side from the click on (every 100 ms), noting when each outcome is
   * first seen: the node's pods gone (but the DaemonSet pod tolerating the taint), the old
   * VolumeAttachment removed, Redis Running and Ready on another worker.
   */
  const watchOutcomes = () => {
    const since = () => ((Date.now() - clickedAt) / 1000).toFixed(1);
    return Promise.all([
      waitUntil(
        "only the DaemonSet pod that tolerates the taint left on acp-worker01",
        async () => {
          const pods = await victimPods();
          return pods.every(isDaemonPod) ? { pods, at: since() } : null;
        },
        60_000,
        100,
      ),
      waitUntil(
        `VolumeAttachment ${victimAttachment} removed`,
        async () =>
          (await storage.readVolumeAttachment({ name: victimAttachment }).catch((e: { code?: number }) => (e.code === 404 ? null : e)))
            ? null
            : { at: since() },
        60_000,
        100,
      ),
      waitUntil(
        `${SEED_REDIS_POD} Running on another worker`,
        async () => {
          const p = await core.readNamespacedPod(REDIS).catch(() => null);
          return isRunningReady(p) && p?.spec?.nodeName !== SEED_VICTIM ? { pod: p as V1Pod, at: since() } : null;
        },
        90_000,
        100,
      ),
    ]);
  };
  let outcomes: ReturnType<typeof watchOutcomes> | undefined;

  beforeAll(async () => {
    lab = await startTestLab({ kube: "modern", scenario: "seed" });
    const database = await testDatabase();
    databaseUrl = database.url;
    const admin = await createTestUser(database.url, "admin");
    app = await startTestApp({
      kubeconfig: lab.kubeconfig,
      databaseUrl: database.url,
      env: { NODE_RESCUE_DEAD_AFTER_SECONDS: String(DEAD_AFTER_S) },
    });
    browser = await launchChromium();
    page = await signedInPage(browser, app.url, admin);
    const kc = new KubeConfig();
    kc.loadFromFile(lab.kubeconfig);
    core = kc.makeApiClient(CoreV1Api);
    storage = kc.makeApiClient(StorageV1Api);
    clock.lap("modern lab, dashboard and Chromium up");
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await lab?.down();
  });

  it("before the incident: Redis' volume is attached to acp-worker01 through a VolumeAttachment; the dashboard found policy/v1", async () => {
    const va = await waitUntil(
      "Redis' VolumeAttachment attached on acp-worker01",
      async () => (await redisAttachments()).find((a) => a.spec.nodeName === SEED_VICTIM && a.status?.attached === true),
      30_000,
    );
    victimAttachment = va.metadata?.name ?? "";
    expect(va.spec.attacher).toBe(LAB_CSI_DRIVER);
    expect(va.metadata?.finalizers).toContain(`external-attacher/${LAB_CSI_DRIVER}`);
    const node = await core.readNode({ name: SEED_VICTIM });
    expect(node.status?.volumesInUse).toContain(REDIS_VOLUME);
    expect(node.status?.volumesAttached?.map((v) => v.name)).toContain(REDIS_VOLUME);
    expect(isRunningReady(await core.readNamespacedPod(REDIS))).toBe(true);

    // The drain's dry run where the seed's PodDisruptionBudget applies: Evictions in policy/v1 as
    // the server advertises them, and the budget read through the policy/v1 watch.
    const guarded = (await core.listNamespacedPod({ namespace: SEED_PDB.namespace, labelSelector: `app=${SEED_PDB.blocks}` })).items[0];
    expect(guarded?.spec?.nodeName).toMatch(/^acp-worker0\d$/);
    const preview = await waitUntil(
      "the drain preview",
      async () => {
        const res = await app.fetch(`/api/nodes/${guarded?.spec?.nodeName}/actions/drain`);
        return res.ok
          ? ((await res.json()) as { plan: { summary: string; pdbs: Array<{ name: string; disruptionsAllowed: number }> } })
          : null;
      },
      30_000,
    );
    expect(preview.plan.summary).toContain("through the Eviction API (policy/v1, as the server advertises)");
    expect(preview.plan.pdbs).toEqual([expect.objectContaining({ name: SEED_PDB.name, disruptionsAllowed: 0 })]);
  });

  it("kubelet stop: the dashboard shows the node dead and the gates open; an admin applies the taint in Chromium", async () => {
    await page.goto(`${app.url}/nodes/${SEED_VICTIM}`);
    await page.locator('[data-testid="node-detail"][data-state="Ready"]').waitFor({ timeout: 30_000 });
    // Kubernetes 1.37 acts on the taint: the action is offered, and the 1.20 note is absent.
    expect(await page.locator('[data-testid="out-of-service-unsupported"]').count()).toBe(0);
    kubeletStop(SEED_VICTIM, { dir: lab.dir });
    clock.reset();
    await page.locator('[data-testid="node-detail"][data-state="Unknown"]').waitFor({ timeout: 60_000 });
    clock.lap("the node page shows acp-worker01 Unknown");

    await page.locator('[data-testid="action-out-of-service"]').click();
    const dialog = page.getByRole("dialog", { name: `Apply out-of-service taint: ${SEED_VICTIM}` });
    await dialog.waitFor();
    await dialog.locator('[data-testid="gates-summary"]:has-text("Every safety gate passes")').waitFor({ timeout: 60_000 });
    clock.lap(`gates open (dead for at least ${DEAD_AFTER_S}s)`);
    // The dry run: the taint, the pods it frees and the one that stays, the attachment it detaches.
    const plan = (await dialog.locator('[data-testid="plan"]').textContent()) ?? "";
    expect(plan).toMatch(/Taint acp-worker01 node\.kubernetes\.io\/out-of-service=nodeshutdown:NoExecute/);
    expect(plan).toMatch(/detaches their 1 attached volume without its 6-minute wait/);
    expect(plan).toContain(`attached here: ${victimAttachment}`);
    expect(plan).toMatch(/node-exporter-\w+ → stays \(tolerates the out-of-service taint\)/);
    expect(plan).toMatch(new RegExp(`${SEED_REDIS_POD} → freed`));

    await dialog.locator('[data-testid="action-reason"]').fill("acp-worker01 lost power; confirmed off with the DC team");
    const submit = dialog.locator('[data-testid="action-submit"]');
    expect(await submit.isDisabled()).toBe(true); // not confirmed yet
    await dialog.locator('[data-testid="action-confirm"]').fill(SEED_VICTIM);
    await page.screenshot({ path: `${SHOTS}/oos-apply-confirm.png` });
    clickedAt = Date.now();
    outcomes = watchOutcomes();
    outcomes.catch(() => undefined); // awaited (and reported) by the next test
    await submit.click();
    await dialog.locator('[data-testid="action-result"][data-outcome="succeeded"]').waitFor({ timeout: 30_000 });
    resultShownAt = ((Date.now() - clickedAt) / 1000).toFixed(1);
    expect(await dialog.locator('[data-testid="action-result"]').textContent()).toMatch(
      /node\.kubernetes\.io\/out-of-service applied to acp-worker01/,
    );
    clock.lap("the out-of-service action succeeded");
    await page.screenshot({ path: `${SHOTS}/oos-applied.png` });
  });

  it("the API server: the taint on the node, its pods gone, the VolumeAttachment removed, Redis Running on another worker", async () => {
    expect(hasOos((await core.readNode({ name: SEED_VICTIM })).spec?.taints)).toBe(true);
    if (!outcomes) throw new Error("the out-of-service click did not happen");
    const [podsGone, detached, redis] = await outcomes;
    const audit = await withDb(databaseUrl, (db) =>
      db.auditEvent.findMany({ where: { action: "node.out-of-service.apply", target: SEED_VICTIM }, orderBy: { at: "asc" } }),
    );
    const atOf = (phase: string) => {
      const row = audit.find((r) => r.phase === phase);
      return row ? ((row.at.getTime() - clickedAt) / 1000).toFixed(1) : "?";
    };
    console.log(
      `[out-of-service] the server wrote its intent ${atOf("intent")}s and its outcome ${atOf("outcome")}s after the click; the dialog showed the success at ${resultShownAt}s`,
    );
    console.log(`[out-of-service] acp-worker01's pods gone (DaemonSet's left) ${podsGone.at}s after the click`);
    console.log(`[out-of-service] VolumeAttachment ${victimAttachment} removed ${detached.at}s after the click`);
    console.log(
      `[out-of-service] MEASURED: click → ${SEED_REDIS_POD} Running on ${redis.pod.spec?.nodeName}: ${redis.at}s (the old VolumeAttachment removed first, at ${detached.at}s)`,
    );
    expect(podsGone.pods.map((p) => p.metadata?.name)).toEqual([expect.stringMatching(/^node-exporter-/)]);
    expect(redis.pod.spec?.nodeName).toMatch(/^acp-worker0[23]$/);
    // The volume followed it: attached on the new node only, by the lab's attacher.
    const attachments: V1VolumeAttachment[] = await redisAttachments();
    expect(attachments.map((a) => [a.spec.nodeName, a.status?.attached])).toEqual([[redis.pod.spec?.nodeName, true]]);
    expect(Number(detached.at)).toBeLessThanOrEqual(Number(redis.at));
  });

  it("tracked: the node page says what keeps the taint on, and the server refuses its removal while the node is down", async () => {
    await page.keyboard.press("Escape");
    // The page follows the cluster live: once its view has caught up, only the node's state blocks.
    const status = page.locator('[data-testid="out-of-service-status"][data-releasable="false"]');
    await status.filter({ hasText: /tainted by admin-\w+@test\.node-rescue\.dev through node-rescue/ }).waitFor({ timeout: 15_000 });
    const blockers = page.locator('[data-testid="out-of-service-blockers"] li');
    await waitUntil(
      "the node page naming only the node's state as blocking",
      async () => (await blockers.allTextContents()).join("|") === "acp-worker01 is Unknown (it must be Ready: its kubelet back)",
      15_000,
    );
    await page.screenshot({ path: `${SHOTS}/oos-tracked-blocked.png`, fullPage: true });

    const refusal = async () => {
      const res = await removeByApi();
      return { status: res.status, ...((await res.json()) as { error: { code: string; message: string } }) };
    };
    const first = await refusal();
    expect(first.status).toBe(412);
    expect(first.error.code).toBe("precondition_failed");
    expect(first.error.message).toMatch(/^refused by safety gates: the out-of-service taint stays until acp-worker01 is back and empty: /);
    // The API server has no pods or attachments left there (the previous test saw it); once the
    // dashboard's watch has seen that too, only the node's state blocks.
    await waitUntil(
      "a refusal naming only the node's state",
      async () =>
        (await refusal()).error.message ===
        "refused by safety gates: the out-of-service taint stays until acp-worker01 is back and empty: acp-worker01 is Unknown (it must be Ready: its kubelet back)",
      15_000,
      500,
    );
    expect(hasOos((await core.readNode({ name: SEED_VICTIM })).spec?.taints)).toBe(true);
    const rows = await withDb(databaseUrl, (db) => db.outOfServiceTaint.findMany({ where: { node: SEED_VICTIM } }));
    expect(rows.map((r) => [r.appliedBy.startsWith("admin-"), r.removedAt])).toEqual([[true, null]]);
  });

  it("kubelet start: Ready again, the removal is proposed; applied through the UI, the taint is gone", async () => {
    kubeletStart(SEED_VICTIM, { dir: lab.dir });
    clock.reset();
    await waitUntil(
      "acp-worker01 Ready",
      async () => (await core.readNode({ name: SEED_VICTIM })).status?.conditions?.some((c) => c.type === "Ready" && c.status === "True"),
      60_000,
    );
    clock.lap("acp-worker01 Ready again");
    // Still tainted: Kubernetes never removes it; node-rescue proposes it, now that nothing blocks.
    expect(hasOos((await core.readNode({ name: SEED_VICTIM })).spec?.taints)).toBe(true);
    const offer = page.locator('[data-testid="out-of-service-offer"]');
    await offer.waitFor({ timeout: 30_000 });
    clock.lap("the node page proposes removing the taint");
    expect(await offer.textContent()).toMatch(/acp-worker01 is Ready again with no pods and no VolumeAttachments left on it/);
    const remove = page.locator('[data-testid="action-remove-out-of-service"][data-proposed="true"]');
    await remove.waitFor();
    await page.screenshot({ path: `${SHOTS}/oos-removal-proposed.png`, fullPage: true });

    await remove.click();
    const dialog = page.getByRole("dialog", { name: `Remove out-of-service taint: ${SEED_VICTIM}` });
    await dialog.locator('[data-testid="gates-summary"]:has-text("Every safety gate passes")').waitFor({ timeout: 30_000 });
    expect(await dialog.locator('[data-gate="recovered"][data-passed="true"]').textContent()).toMatch(
      /acp-worker01 is Ready with no pods and no VolumeAttachments left on it/,
    );
    await dialog.locator('[data-testid="action-reason"]').fill("acp-worker01 repaired and back; its workloads moved");
    await dialog.locator('[data-testid="action-confirm"]').fill(SEED_VICTIM);
    await dialog.locator('[data-testid="action-submit"]').click();
    await dialog.locator('[data-testid="action-result"][data-outcome="succeeded"]').waitFor({ timeout: 30_000 });
    clock.lap("the removal succeeded");
    expect(hasOos((await core.readNode({ name: SEED_VICTIM })).spec?.taints)).toBe(false);
    const rows = await withDb(databaseUrl, (db) => db.outOfServiceTaint.findMany({ where: { node: SEED_VICTIM } }));
    expect(rows).toHaveLength(1);
    expect(rows[0]?.removedAt).toBeInstanceOf(Date);
    await page.keyboard.press("Escape");
    await page.locator('[data-testid="out-of-service-status"]').waitFor({ state: "detached", timeout: 15_000 });
    await page.screenshot({ path: `${SHOTS}/oos-removed.png`, fullPage: true });
  });
});
