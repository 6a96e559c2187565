// Dashboard benchmarks on a lab of N simulated nodes with P pods each: server memory, /api/nodes
// latency, change-to-browser latency, transition storms, and `kubectl get pods -A` as baseline.
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { Agent, get as httpGet } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { createApiToken, createUser } from "../../lib/auth/users";
import { createDb } from "../../lib/db";
import { startAppServer } from "../app-server";
import { launchChromium } from "../browser";
import { labDown, labUp } from "../lab/lab";
import { freeLoopbackPorts } from "../lab/processes";
import { KubeApi, MERGE_PATCH } from "../lab/sim/api";
import { ZSimStats } from "../lab/sim/stats";
import { labBinDir, labPaths, readJson } from "../lab/state";
import { migrateDatabase } from "../migrate";
import { cpuShareDuring, processTree, round, summarize, timeCommandMs, treeRssMiB } from "./measure";

const ZMonitorStats = z.object({
  cluster: z.object({ connected: z.boolean() }),
  monitor: z.object({
    evaluationMs: z.number(),
    lastBatch: z.object({ rows: z.number(), ms: z.number() }),
    largestBatch: z.object({ rows: z.number(), ms: z.number() }),
  }),
});

function labApi(dir: string) {
  const p = labPaths(dir);
  const info = JSON.parse(readFileSync(p.info, "utf8")) as { apiServer: string };
  return new KubeApi({
    server: info.apiServer,
    ca: readFileSync(join(p.pki, "ca.crt")),
    cert: readFileSync(join(p.pki, "admin.crt")),
    key: readFileSync(join(p.pki, "admin.key")),
  });
}

/** Creates `perNode` pods bound directly to each node (as if already scheduled), 48 at a time. */
async function createBoundPods(api: KubeApi, nodes: string[], perNode: number) {
  await api.request("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: "bench" } });
  const jobs = nodes.flatMap((node) => Array.from({ length: perNode }, (_, i) => ({ node, i })));
  let next = 0;
  let failed = 0;
  await Promise.all(
    Array.from({ length: 48 }, async () => {
      while (next < jobs.length) {
        const job = jobs[next++];
        if (!job) break;
        const r = await api.request("POST", "/api/v1/namespaces/bench/pods", {
          apiVersion: "v1",
          kind: "Pod",
          metadata: { name: `${job.node}-p${job.i}`, labels: { app: `bench-${job.i}` } },
          spec: { nodeName: job.node, containers: [{ name: "app", image: "registry.local/bench:1" }] },
        });
        if (r.code !== 201) failed++;
      }
    }),
  );
  return { created: jobs.length - failed, failed };
}

export async function dashboardBench(opts: { nodes: number; podsPerNode: number; browserSamples?: number; log: (l: string) => void }) {
  const { log } = opts;
  const dir = mkdtempSync(join(tmpdir(), "node-rescue-bench-"));
  const result: Record<string, unknown> = { nodes: opts.nodes, podsPerNode: opts.podsPerNode };
  const lab = await labUp({ dir, scenario: "empty", nodes: opts.nodes, timings: "kubernetes", log });
  const api = labApi(dir);
  const browser = await launchChromium();
  let app: Awaited<ReturnType<typeof startAppServer>> | undefined;
  try {
    // Pods, bound and reported Running by the simulated kubelets.
    let t = performance.now();
    const pods = await createBoundPods(api, lab.nodeNames, opts.podsPerNode);
    result.podsCreated = pods.created;
    result.podCreateSeconds = round((performance.now() - t) / 1000);
    log(`created ${pods.created} pods in ${result.podCreateSeconds}s (${pods.failed} failed)`);
    const deadline = Date.now() + 20 * 60_000;
    while (readJson(labPaths(dir).simStats, ZSimStats).podsMarkedRunning < pods.created && Date.now() < deadline) await sleep(2_000);
    result.podsRunningSeconds = round((performance.now() - t) / 1000);
    log(`pods Running after ${result.podsRunningSeconds}s`);

    // The dashboard, from a cold start on a fresh database.
    const dbDir = mkdtempSync(join(tmpdir(), "node-rescue-bench-db-"));
    const m = await migrateDatabase({ url: `file:${join(dbDir, "bench.db")}`, quiet: true });
    // Credentials: an API token for the JSON calls, a viewer who signs in through the login page.
    const benchDb = createDb(m.url);
    const { token } = await createApiToken({ db: benchDb, name: "bench", role: "admin" });
    const viewer = { email: "bench-viewer@bench.node-rescue.dev", password: "" };
    viewer.password = (await createUser({ db: benchDb, email: viewer.email, role: "viewer" })).password;
    await benchDb.$disconnect();
    let url = "";
    // One retry: undici may reuse a keep-alive socket the server closed while the bench was
    // busy elsewhere (kubectl), which fails with "fetch failed" although the server is fine.
    const authed = (path: string) => {
      const get = () => fetch(`${url}${path}`, { headers: { Authorization: `Bearer ${token}` } });
      return get().catch(get);
    };
    const [port] = await freeLoopbackPorts(1);
    t = performance.now();
    // NODE_RESCUE_BENCH_SERVER_FLAGS="--trace-gc …": node flags for the server, its output kept in server.log.
    const serverFlags = process.env.NODE_RESCUE_BENCH_SERVER_FLAGS?.split(/\s+/).filter(Boolean) ?? [];
    app = await startAppServer({
      port: port as number,
      nodeFlags: serverFlags,
      ...(serverFlags.length ? { logFile: join(dbDir, "server.log") } : {}),
      env: {
        KUBECONFIG: lab.kubeconfig,
        DATABASE_URL: m.url,
        NODE_RESCUE_CLUSTER_NAME: "bench",
        // NODE_RESCUE_BENCH_HEAP=1: a heap snapshot of the server after the storm (see below).
        ...(process.env.NODE_RESCUE_BENCH_HEAP ? { NODE_OPTIONS: `--heapsnapshot-signal=SIGUSR2 --diagnostic-dir=${dbDir}` } : {}),
      },
    });
    url = app.url;
    const nodesView = async () => (await authed("/api/nodes")).json() as Promise<{ nodes: unknown[]; connection: { status: string } }>;
    while (true) {
      const v = await nodesView().catch(() => null);
      if (v?.connection?.status === "connected" && v.nodes?.length === opts.nodes) break;
      await sleep(250);
    }
    result.dashboardSyncSeconds = round((performance.now() - t) / 1000);
    // Steady state: the first evaluation records every node's first state (N rows in one
    // transaction, seconds at 5,000 nodes); latency is measured once that is committed.
    const monitorStats = async () =>
      (
        (await (await authed("/api/health")).json()) as {
          monitor?: { lastBatch: { rows: number }; evaluationMs: number; eventLoopDelay: unknown };
        }
      ).monitor;
    while (((await monitorStats())?.lastBatch.rows ?? 0) < opts.nodes) await sleep(500);
    result.initialTransitionsCommittedSeconds = round((performance.now() - t) / 1000);
    await sleep(5_000);
    result.serverRssMiB = treeRssMiB(app.child.pid as number);
    log(
      `dashboard synced in ${result.dashboardSyncSeconds}s, first states committed at ${result.initialTransitionsCommittedSeconds}s, RSS ${result.serverRssMiB} MiB`,
    );

    // GET /api/nodes and the UI's GET /api/overview, sequential, after 10 warm-up requests each.
    // A lean client, as a script would use: undici's fetch spent ~20 ms of CPU per 2.4 MB body
    // on its web streams, on the same 2 cores as the server (measured below as benchClient).
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    // A keep-alive socket the server closed just as it was reused fails with ECONNRESET: sent
    // again once, as Node's documentation advises (the sample then includes the retry).
    const getBytes = (path: string, retried = false): Promise<number> =>
      new Promise<number>((resolve, reject) => {
        const req = httpGet(`${url}${path}`, { agent, headers: { Authorization: `Bearer ${token}` } }, (res) => {
          let n = 0;
          res.on("data", (c: Buffer) => {
            n += c.length;
          });
          res.on("end", () => (res.statusCode === 200 ? resolve(n) : reject(new Error(`${path}: HTTP ${res.statusCode}`))));
          res.on("error", reject);
        });
        req.on("error", (err: NodeJS.ErrnoException) => {
          if (!retried && req.reusedSocket && err.code === "ECONNRESET") resolve(getBytes(path, true));
          else reject(err);
        });
      });
    const latencyOf = async (path: string, samples: number) => {
      const latencies: number[] = [];
      let bytes = 0;
      for (let i = 0; i < 10 + samples; i++) {
        const s = performance.now();
        bytes = await getBytes(path);
        if (i >= 10) latencies.push(performance.now() - s);
      }
      return { ms: summarize(latencies), bytes };
    };
    // Who used the 2 cores meanwhile: the dashboard, the control plane + simulator, this client.
    const labPids = () =>
      readdirSync(labPaths(dir).pids)
        .filter((f) => f.endsWith(".pid"))
        .map((f) => Number(readFileSync(join(labPaths(dir).pids, f), "utf8").trim()));
    const { value: nodesLatency, share } = await cpuShareDuring(
      { dashboard: () => processTree(app?.child.pid as number), lab: labPids, benchClient: () => [process.pid] },
      () => latencyOf("/api/nodes", 300),
    );
    result.cpuPercentDuringApiNodes = share;
    log(`CPU during /api/nodes (% of one core): ${JSON.stringify(share)}`);
    result.apiNodesMs = nodesLatency.ms;
    result.apiNodesBytes = nodesLatency.bytes;
    log(`/api/nodes p50 ${nodesLatency.ms.p50} ms p95 ${nodesLatency.ms.p95} ms (${nodesLatency.bytes} bytes)`);
    const overviewLatency = await latencyOf("/api/overview", 300);
    result.apiOverviewMs = overviewLatency.ms;
    result.apiOverviewBytes = overviewLatency.bytes;
    log(`/api/overview p50 ${overviewLatency.ms.p50} ms p95 ${overviewLatency.ms.p95} ms (${overviewLatency.bytes} bytes)`);
    agent.destroy();
    const steady = await monitorStats();
    result.monitorEvaluationMs = steady?.evaluationMs;
    // The server's own stalls: the last complete 10 s window, which the measurement above overlaps.
    result.serverEventLoopDelay = steady?.eventLoopDelay;
    log(`server event-loop delay (last 10 s): ${JSON.stringify(steady?.eventLoopDelay)}`);

    // Change in the API -> visible in the browser: cordon a node, wait for its row to say so.
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(url);
    await page.waitForURL((u) => u.pathname === "/login");
    await page.locator('[data-testid="login-email"]').fill(viewer.email);
    await page.locator('[data-testid="login-password"]').fill(viewer.password);
    await page.locator('[data-testid="login-submit"]').click();
    await page.waitForURL((u) => u.pathname === "/", { timeout: 30_000 });
    const names = [...lab.nodeNames].sort();
    await page.locator(`[data-testid="node-row-${names[0]}"]`).waitFor({ timeout: 120_000 });
    const changeToBrowser: number[] = [];
    for (let i = 0; i < (opts.browserSamples ?? 20); i++) {
      const node = names[i % Math.min(names.length, 10)] as string;
      for (const cordon of [true, false]) {
        // A string, not a function: tsx's helpers (__name) do not exist in the page.
        const selector = JSON.stringify(`[data-testid="node-row-${node}"][data-cordoned="${cordon}"]`);
        const seen = page.evaluate<number>(`new Promise((resolve) => {
          const check = () => (document.querySelector(${selector}) ? (resolve(Date.now()), true) : false);
          if (check()) return;
          const obs = new MutationObserver(() => check() && obs.disconnect());
          obs.observe(document.body, { subtree: true, childList: true, attributes: true });
        })`);
        const t0 = Date.now();
        await api.request("PATCH", `/api/v1/nodes/${node}`, { spec: { unschedulable: cordon } }, { contentType: MERGE_PATCH });
        changeToBrowser.push((await seen) - t0);
      }
    }
    result.changeToBrowserMs = summarize(changeToBrowser);
    log(`change-to-browser p50 ${summarize(changeToBrowser).p50} ms p95 ${summarize(changeToBrowser).p95} ms`);
    await page.close();

    // Storm: every kubelet stops at once -> N "heartbeat late", then N Unknown.
    const stopped = labPaths(dir).stoppedKubelets;
    t = performance.now();
    for (const n of lab.nodeNames) writeFileSync(join(stopped, n), "bench storm\n");
    const stats = async () => ZMonitorStats.parse(await (await authed("/api/health")).json());
    let unknownAt = 0;
    let byState: Record<string, number> = {};
    // Until every node is Unknown, as long as the node controller keeps marking them (a starved
    // one on a slow machine takes minutes: a fixed limit cut the storm short), at most 15 min.
    let progressAt = performance.now();
    let mostUnknown = 0;
    const stormRss: number[] = [];
    let rssSampledAt = 0;
    while (performance.now() - progressAt < 90_000 && performance.now() - t < 15 * 60_000) {
      const v = (await (await authed("/api/nodes")).json()) as {
        connection: { status: string };
        summary: { nodes: { byState: Record<string, number> } };
      };
      byState = v.summary.nodes.byState;
      if ((byState.Unknown ?? 0) > mostUnknown) {
        mostUnknown = byState.Unknown ?? 0;
        progressAt = performance.now();
      }
      if (performance.now() - rssSampledAt > 15_000) {
        rssSampledAt = performance.now();
        stormRss.push(treeRssMiB(app.child.pid as number));
      }
      if (byState.Unknown === opts.nodes) {
        unknownAt = performance.now();
        break;
      }
      if (Math.round((performance.now() - t) / 1000) % 15 === 0)
        log(`storm +${Math.round((performance.now() - t) / 1000)}s: ${JSON.stringify(byState)} (${v.connection.status})`);
      await sleep(1_000);
    }
    await sleep(3_000);
    const s = await stats();
    result.storm = {
      allUnknownAfterSeconds: unknownAt ? round((unknownAt - t) / 1000) : null,
      byStateAtEnd: byState,
      /** The server's RSS every 15 s of the storm (MiB): the goal is ≤ 600 MB at its peak. */
      rssMiBSamples: stormRss,
      rssMiBMax: Math.max(0, ...stormRss),
      largestBatch: s.monitor.largestBatch,
      evaluationMs: s.monitor.evaluationMs,
    };
    log(`storm: ${JSON.stringify(result.storm)}`);

    // "Which pods are stuck on dead nodes": node-rescue's answer vs kubectl's.
    const k = join(labBinDir(), "kubectl");
    const kubectlNodes = timeCommandMs(k, ["--kubeconfig", lab.kubeconfig, "get", "nodes", "-o", "json"]);
    const kubectlPods = timeCommandMs(k, ["--kubeconfig", lab.kubeconfig, "get", "pods", "-A", "-o", "json"]);
    const kubectlWide = timeCommandMs(k, ["--kubeconfig", lab.kubeconfig, "get", "pods", "-A", "-o", "wide"]);
    const s0 = performance.now();
    const answer = (await (await authed("/api/nodes")).json()) as { stuckPodsTotal: number };
    result.baseline = {
      nodeRescueApiMs: round(performance.now() - s0),
      nodeRescueStuckPods: answer.stuckPodsTotal,
      kubectlGetNodesJsonMs: kubectlNodes.ms,
      kubectlGetPodsAllJsonMs: kubectlPods.ms,
      kubectlGetPodsAllJsonMB: round(kubectlPods.bytes / 2 ** 20),
      kubectlGetPodsAllWideMs: kubectlWide.ms,
    };
    log(`baseline: ${JSON.stringify(result.baseline)}`);
    result.serverRssAfterStormMiB = treeRssMiB(app.child.pid as number);
    result.serverMemoryAfterStormMiB = (
      (await (await authed("/api/health")).json()) as { monitor?: { memoryMiB?: unknown } }
    ).monitor?.memoryMiB;
    log(`server memory after the storm (MiB): RSS ${result.serverRssAfterStormMiB}, ${JSON.stringify(result.serverMemoryAfterStormMiB)}`);
    if (serverFlags.length) log(`server output (${serverFlags.join(" ")}) in ${join(dbDir, "server.log")}`);
    if (process.env.NODE_RESCUE_BENCH_HEAP) {
      app.child.kill("SIGUSR2");
      // Written in place, growing: done once its size has held for 5 s (a large heap takes minutes).
      const snapshotSize = () =>
        readdirSync(dbDir)
          .filter((f) => f.endsWith(".heapsnapshot"))
          .reduce((n, f) => n + statSync(join(dbDir, f)).size, 0);
      for (let last = -1, still = 0, i = 0; i < 600 && still < 5; i++) {
        await sleep(1_000);
        const size = snapshotSize();
        still = size > 0 && size === last ? still + 1 : 0;
        last = size;
      }
      result.heapSnapshotDir = dbDir;
      log(`heap snapshot written to ${dbDir}`);
    }
    return result;
  } catch (err) {
    const output = (app as unknown as { output?: string[] } | undefined)?.output ?? [];
    log(`dashboard server output (last lines):\n${output.join("").split("\n").slice(-30).join("\n")}`);
    throw err;
  } finally {
    await browser.close();
    await app?.stop();
    api.destroy();
    await labDown({ dir });
  }
}
