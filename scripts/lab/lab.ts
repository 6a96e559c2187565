// The lab's public API, used by the CLI (scripts/lab.ts), the tests and the demo:
// labUp / labDown / kubeletStop / kubeletStart / labStatus.

import { existsSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { z } from "zod";
import { startControlPlane } from "./control-plane";
import { createLabHttp } from "./http";
import { DEFAULT_KUBE, kubeBinariesReady, kubeProfile, type TKubeLine } from "./kube-versions";
import { restartProcess, runningProcesses, startProcess, stopProcess, waitFor } from "./processes";
import { applyScenario, scenarioNodes, type TScenario } from "./scenario";
import { labSubnet, onLabSubnet } from "./scenarios/nodes";
import { defaultLabDir, ensureDirs, labPaths, readJson, type TLabInfo, writeFileAtomic, ZLabInfo, ZSimNode } from "./state";
import { LAB_TIMINGS, type TLabTimings, type TLabTimingsName } from "./timings";

const HERE = fileURLToPath(new URL(".", import.meta.url));
const REPO = resolve(HERE, "../..");
/** Stop order: the simulated kubelets first, etcd last. */
const PROCESSES = ["kubelet-sim", "kube-scheduler", "kube-controller-manager", "kube-apiserver", "etcd"];

export type TLabUpOptions = {
  dir?: string;
  /** Which control plane: Kubernetes 1.20 (default) or the modern release (kube-versions.ts). */
  kube?: TKubeLine;
  scenario?: TScenario;
  /** Extra simulated workers (empty scenario: the node count, default 3). */
  nodes?: number;
  timings?: TLabTimingsName | TLabTimings;
  /** Progress lines, e.g. console.error; each step with its time since start. */
  log?: (line: string) => void;
};
export type TLab = TLabInfo & { reused: boolean; nodeNames: string[] };

export { ensureKubeBinaries } from "./kube-versions";

export function labStatus(dir = defaultLabDir()) {
  const paths = labPaths(dir);
  const running = runningProcesses(paths.pids, dir);
  const info = existsSync(paths.info) ? readJson(paths.info, ZLabInfo) : null;
  return { dir, info, running, up: info !== null && running.some((p) => p.name === "kube-apiserver") };
}

export async function labUp(opts: TLabUpOptions = {}): Promise<TLab> {
  const dir = resolve(opts.dir ?? defaultLabDir());
  const paths = labPaths(dir);
  const t0 = Date.now();
  const log = (what: string) => opts.log?.(`[lab +${((Date.now() - t0) / 1000).toFixed(1)}s] ${what}`);
  const status = labStatus(dir);
  const kube = opts.kube ?? DEFAULT_KUBE;
  if (status.up && status.info) {
    if (status.info.kube !== kube)
      throw new Error(`the lab in ${dir} runs Kubernetes ${status.info.kube}, not ${kube}: run \`npm run lab -- down\` first`);
    const missing = PROCESSES.filter((p) => !status.running.some((r) => r.name === p));
    if (missing.length)
      throw new Error(`the lab in ${dir} is half running (${missing.join(", ")} stopped): run \`npm run lab -- down\` first`);
    log(`already up in ${dir}`);
    return { ...status.info, reused: true, nodeNames: simNodeNames(paths.simNodes) };
  }
  if (status.running.length) await labDown({ dir });

  await kubeBinariesReady(kube, opts.log);
  const profile = kubeProfile(kube);
  const scenario = opts.scenario ?? "seed";
  const timings = typeof opts.timings === "object" ? opts.timings : LAB_TIMINGS[opts.timings ?? "fast"];
  rmSync(dir, { recursive: true, force: true });
  ensureDirs(paths);
  try {
    const { server, ports, kubeVersion } = await startControlPlane({
      paths,
      profile,
      timings,
      onStep: (s) => log(`${s} ready`),
    });
    const nodes = onLabSubnet(scenarioNodes(scenario, opts.nodes), labSubnet(ports.apiserver));
    writeFileAtomic(paths.simNodes, JSON.stringify(nodes));
    const info: TLabInfo = {
      dir,
      kube,
      kubeVersion,
      apiServer: server,
      kubeconfig: paths.kubeconfig,
      ports,
      heartbeat: timings.heartbeat,
      startedAt: new Date().toISOString(),
    };
    writeFileAtomic(paths.info, `${JSON.stringify(info, null, 2)}\n`);

    startProcess({
      name: "kubelet-sim",
      cmd: process.execPath,
      cwd: REPO,
      pidsDir: paths.pids,
      logsDir: paths.logs,
      args: ["--import", "tsx", join(HERE, "kubelet-sim-main.ts"), "--dir", dir],
    });
    const kc = new KubeConfig();
    kc.loadFromFile(paths.kubeconfig);
    await waitForReadyNodes(kc, nodes.length, paths.logs, opts.log);
    log(`${nodes.length} simulated nodes Ready`);
    await applyScenario(kc, scenario, nodes.length, { redisVolume: profile.seedRedisVolume });
    log(`scenario ${scenario} applied and settled`);
    return { ...info, reused: false, nodeNames: nodes.map((n) => n.name) };
  } catch (err) {
    log(`start failed, stopping what was started (logs kept in ${paths.logs})`);
    await stopAll(dir);
    throw err;
  }
}

/** Stops exactly what `labUp` started (by recorded PID) and removes the lab's state. */
export async function labDown(opts: { dir?: string; keepState?: boolean } = {}) {
  const dir = resolve(opts.dir ?? defaultLabDir());
  const stopped = await stopAll(dir);
  if (!opts.keepState) rmSync(dir, { recursive: true, force: true });
  return stopped;
}

async function stopAll(dir: string) {
  const pidsDir = labPaths(dir).pids;
  const stopped: string[] = [];
  for (const name of PROCESSES) if (await stopProcess({ name, pidsDir, marker: dir })) stopped.push(name);
  return stopped;
}

export const CONTROL_PLANE = ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler"] as const;
export type TControlPlaneComponent = (typeof CONTROL_PLANE)[number];

/** Stops one control-plane component (an outage); `controlPlaneStart` brings it back as it was. */
export async function controlPlaneStop(component: TControlPlaneComponent, opts: { dir?: string } = {}) {
  const dir = resolve(opts.dir ?? defaultLabDir());
  if (!(await stopProcess({ name: component, pidsDir: labPaths(dir).pids, marker: dir })))
    throw new Error(`${component} is not running in ${dir}`);
}

export async function controlPlaneStart(component: TControlPlaneComponent, opts: { dir?: string } = {}) {
  const dir = resolve(opts.dir ?? defaultLabDir());
  const paths = labPaths(dir);
  if (runningProcesses(paths.pids, dir).some((p) => p.name === component)) throw new Error(`${component} is already running`);
  restartProcess({ name: component, pidsDir: paths.pids });
  if (component === "kube-apiserver") {
    const info = readJson(paths.info, ZLabInfo);
    const http = createLabHttp({ pkiDir: paths.pki });
    try {
      await waitFor("kube-apiserver /readyz", async () => (await http.get(`${info.apiServer}/readyz`)).status === 200, {
        timeoutMs: 60_000,
        hint: `logs in ${paths.logs}`,
      });
    } finally {
      http.close();
    }
  }
}

/** The node's simulated kubelet stops heartbeating; its pods are left as they are. */
export function kubeletStop(node: string, opts: { dir?: string } = {}) {
  const paths = labPaths(resolve(opts.dir ?? defaultLabDir()));
  assertLabNode(node, paths.simNodes);
  writeFileSync(join(paths.stoppedKubelets, node), `${new Date().toISOString()}\n`);
}

/** The node's kubelet comes back, re-registering the Node if it was deleted. */
export function kubeletStart(node: string, opts: { dir?: string } = {}) {
  const paths = labPaths(resolve(opts.dir ?? defaultLabDir()));
  assertLabNode(node, paths.simNodes);
  rmSync(join(paths.stoppedKubelets, node), { force: true });
}

export function stoppedKubelets(opts: { dir?: string } = {}) {
  const paths = labPaths(resolve(opts.dir ?? defaultLabDir()));
  return existsSync(paths.stoppedKubelets) ? readdirSync(paths.stoppedKubelets) : [];
}

const simNodeNames = (file: string) => readJson(file, z.array(ZSimNode)).map((n) => n.name);

function assertLabNode(node: string, simNodesFile: string) {
  if (!existsSync(simNodesFile)) throw new Error("no lab is running here: start one with `npm run lab -- up`");
  const names = simNodeNames(simNodesFile);
  if (!names.includes(node)) {
    const shown = names.length > 8 ? `${names.slice(0, 8).join(", ")}, … (${names.length} in all)` : names.join(", ");
    throw new Error(`unknown node "${node}": the lab's simulated nodes are ${shown}`);
  }
}

/** No new Ready node for this long: registration has stalled. */
const REGISTRATION_STALL_MS = 60_000;

/** From this many nodes on, every node having been Ready once is enough (see below). */
const LARGE_LAB_NODES = 1_000;

/**
 * Waits until `expected` Nodes report Ready=True, for as long as registration makes progress: a
 * slower machine registers 5,000 nodes in 200–300 s rather than 110 s, and only a stall is an
 * error. Progress is a node seen Ready for the first time. In a large lab on a loaded machine a
 * few nodes blink NotReady while the rest register (their Lease renewals lag): there, every node
 * having been Ready once is enough; small labs wait until all are Ready at once.
 */
async function waitForReadyNodes(kc: KubeConfig, expected: number, logsDir: string, log?: (line: string) => void) {
  const core = kc.makeApiClient(CoreV1Api);
  const started = Date.now();
  const seenReady = new Set<string>();
  let best = -1;
  let progressAt = Date.now();
  let loggedAt = Date.now();
  for (;;) {
    const list = await core.listNode({}).catch(() => null);
    const readyNodes = (list?.items ?? []).filter((n) => n.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True"));
    const ready = readyNodes.length;
    for (const n of readyNodes) seenReady.add(n.metadata?.name ?? "");
    if (ready >= expected) return;
    if (expected >= LARGE_LAB_NODES && seenReady.size >= expected) {
      log?.(`all ${expected} nodes have been Ready (${ready} at this moment) after ${Math.round((Date.now() - started) / 1000)}s`);
      return;
    }
    if (seenReady.size > best) {
      best = seenReady.size;
      progressAt = Date.now();
    }
    if (Date.now() - loggedAt > 15_000) {
      log?.(`${ready} of ${expected} nodes Ready after ${Math.round((Date.now() - started) / 1000)}s`);
      loggedAt = Date.now();
    }
    if (Date.now() - progressAt > REGISTRATION_STALL_MS)
      throw new Error(
        `node registration stalled: ${best} of ${expected} nodes have been Ready (${ready} now), none more for ${REGISTRATION_STALL_MS / 1000}s (see ${join(logsDir, "kubelet-sim.log")})`,
      );
    await sleep(expected > 500 ? 1_000 : 300);
  }
}
