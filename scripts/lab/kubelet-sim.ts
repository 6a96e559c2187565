// Simulated kubelets (kwok-style) for every node in the lab's sim-nodes.json, in one process:
// nodes register, renew Leases and post Ready; pods bound to them are reported Running (once their
// attachable volumes are attached); a node's kubelet can be stopped/started through marker files.
// The lab CSI driver's external-attacher runs here too (sim/attacher.ts): what the control plane
// would find running on the cluster's nodes. See scripts/lab/sim/ for the parts.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { KubeApi } from "./sim/api";
import { SimulatedAttacher } from "./sim/attacher";
import { KubeletPorts } from "./sim/kubelet-port";
import type { NodeContext } from "./sim/node-agent";
import { NodeAgent } from "./sim/node-agent";
import { PodSync } from "./sim/pod-sync";
import { phaseMs } from "./sim/schedule";
import type { TSimStats } from "./sim/stats";
import { Counters, CpuMeter, LoopDelayMeter } from "./sim/stats";
import { StoppedKubeletsPoller } from "./sim/stopped-kubelets";
import { PodVolumes } from "./sim/volumes";
import { labPaths, readJson, writeFileAtomic, ZLabInfo, ZSimNode } from "./state";

export type { TSimStats } from "./sim/stats";
export { ZSimStats } from "./sim/stats";

export interface KubeletSimulatorOptions {
  /** The lab state directory (see labPaths). */
  dir: string;
  /** One line per call; default: stdout with a timestamp. */
  log?: (line: string) => void;
  /** Pod writes in flight at once (default 32). */
  podConcurrency?: number;
  /** Node registrations in flight at once during start() (default 32). */
  registerConcurrency?: number;
}

const STATS_EVERY_MS = 2_000;
/** Kubelet ports (for the dashboard's TCP probe) are opened for labs up to this many nodes. */
const KUBELET_PORTS_MAX_NODES = 500;
const SUMMARY_EVERY_MS = 30_000;
const ERROR_LOG_BURST = 10; // error lines per 10 s; the rest are only counted

export class KubeletSimulator {
  private readonly paths;
  private readonly log: (line: string) => void;
  private readonly counters = new Counters();
  private readonly cpu = new CpuMeter();
  private readonly loopDelay = new LoopDelayMeter();
  private readonly agents = new Map<string, NodeAgent>();
  private ports: KubeletPorts | undefined;
  private api: KubeApi | undefined;
  private pods: PodSync | undefined;
  private attacher: SimulatedAttacher | undefined;
  private poller: StoppedKubeletsPoller | undefined;
  private timers: NodeJS.Timeout[] = [];
  private lastCpuPercent = 0;
  private lastLoopDelay = { p99: 0, max: 0 };
  private errorWindow = { start: 0, logged: 0, dropped: 0 };

  constructor(private readonly opts: KubeletSimulatorOptions) {
    this.paths = labPaths(opts.dir);
    this.log = opts.log ?? ((line) => console.log(`${new Date().toISOString()} ${line}`));
  }

  /** Registers every node whose kubelet is not stopped (each starts heartbeating as soon as it is
   *  registered), then starts the pod watch; heartbeats go on until stop(). */
  async start(): Promise<void> {
    const info = readJson(this.paths.info, ZLabInfo);
    const nodes = readJson(this.paths.simNodes, z.array(ZSimNode));
    const pki = (f: string) => readFileSync(join(this.paths.pki, f));
    const api = new KubeApi({ server: info.apiServer, ca: pki("ca.crt"), cert: pki("admin.crt"), key: pki("admin.key") });
    this.api = api;

    const ctx: NodeContext = {
      api,
      heartbeat: info.heartbeat,
      kubeletVersion: info.kubeVersion,
      counters: this.counters,
      log: this.log,
      onError: (what, e) => this.onError(what, e),
      onLive: (name) => this.pods?.nodeLive(name),
    };
    const origin = Date.now();
    const { renewIntervalSeconds: renewS, statusIntervalSeconds: statusS } = info.heartbeat;
    nodes.forEach((n, i) => {
      const renewAt = origin + phaseMs(i, nodes.length, renewS * 1000);
      const statusAt = origin + phaseMs(i, nodes.length, statusS * 1000);
      this.agents.set(n.name, new NodeAgent(n, ctx, renewAt, statusAt));
    });

    this.pods = new PodSync({
      api,
      counters: this.counters,
      node: (name) => {
        const a = this.agents.get(name);
        return a && { hostIP: a.cfg.internalIP, live: a.live };
      },
      onError: (what, e) => this.onError(what, e),
      concurrency: this.opts.podConcurrency ?? 32,
      volumes: new PodVolumes(api),
      setVolumesInUse: (name, names) => this.agents.get(name)?.setVolumesInUse(names) ?? Promise.resolve(),
    });
    this.attacher = new SimulatedAttacher({ api, log: this.log, onError: (what, e) => this.onError(what, e) });
    this.poller = new StoppedKubeletsPoller(this.paths.stoppedKubelets, (name, stopped) => this.kubeletToggled(name, stopped));
    for (const name of this.poller.stopped) this.agents.get(name)?.stop();
    this.ports = new KubeletPorts(nodes.length <= KUBELET_PORTS_MAX_NODES, (what, e) => this.onError(what, e));
    for (const a of this.agents.values()) if (!a.stopped) this.ports.open(a.name, a.cfg.internalIP);
    this.poller.start();
    this.every(STATS_EVERY_MS, () => this.writeStats());
    this.every(SUMMARY_EVERY_MS, () => this.logSummary());

    const t0 = Date.now();
    const toStart = [...this.agents.values()].filter((a) => !a.stopped);
    this.log(
      `registering ${toStart.length} of ${nodes.length} nodes at ${info.apiServer} (${nodes.length - toStart.length} kubelets stopped)`,
    );
    await pool(toStart, this.opts.registerConcurrency ?? 32, (a) => a.start());
    const live = toStart.filter((a) => a.live).length;
    this.log(`registered ${live} nodes in ${Date.now() - t0} ms; watching pods and VolumeAttachments`);
    this.pods.start();
    this.attacher.start();
    this.writeStats();
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    this.poller?.stop();
    this.pods?.stop();
    this.attacher?.stop();
    for (const a of this.agents.values()) a.stop();
    this.ports?.closeAll();
    this.writeStats();
    this.loopDelay.stop();
    this.api?.destroy();
  }

  stats(): TSimStats {
    const now = Date.now();
    const c = this.counters;
    let live = 0;
    for (const a of this.agents.values()) if (a.live) live++;
    const p = this.pods?.stats ?? { pending: 0, inFlight: 0, lists: 0, events: 0, cachedPods: 0 };
    return {
      at: new Date(now).toISOString(),
      nodes: this.agents.size,
      liveNodes: live,
      leaseRenewals: c.leaseRenewals,
      leaseLagMs: c.leaseLag.summary(now),
      statusPatches: c.statusPatches,
      registrations: c.registrations,
      podsMarkedRunning: c.podsMarkedRunning,
      podsFinalized: c.podsFinalized,
      podQueue: { pending: p.pending, inFlight: p.inFlight },
      podWatch: { lists: p.lists, events: p.events, cachedPods: p.cachedPods },
      errors: { count: c.errorCount, last: c.lastError },
      eventLoopDelayMs: this.lastLoopDelay,
      cpuPercent: this.lastCpuPercent,
      rssBytes: process.memoryUsage.rss(),
    };
  }

  /** Resolves when no pod work is queued or in flight. */
  podsIdle(): Promise<void> {
    return this.pods?.idle() ?? Promise.resolve();
  }

  private kubeletToggled(name: string, stopped: boolean) {
    const a = this.agents.get(name);
    if (!a) return; // a marker for a node we do not simulate
    this.log(`${name}: kubelet ${stopped ? "stopped" : "started"}`);
    if (stopped) {
      a.stop();
      this.ports?.close(name);
    } else {
      a.resume();
      this.ports?.open(name, a.cfg.internalIP);
    }
  }

  private writeStats() {
    this.lastCpuPercent = this.cpu.sample();
    this.lastLoopDelay = this.loopDelay.sample();
    try {
      writeFileAtomic(this.paths.simStats, `${JSON.stringify(this.stats(), null, 2)}\n`);
    } catch (e) {
      this.onError("write stats", e);
    }
  }

  private logSummary() {
    const s = this.stats();
    const l = s.leaseLagMs;
    this.log(
      `live ${s.liveNodes}/${s.nodes} renewals ${s.leaseRenewals} lag p50/p95/max ${l.p50}/${l.p95}/${l.max} ms ` +
        `pods running ${s.podsMarkedRunning} finalized ${s.podsFinalized} queued ${s.podQueue.pending} ` +
        `errors ${s.errors.count} cpu ${s.cpuPercent}% rss ${Math.round(s.rssBytes / 2 ** 20)} MiB`,
    );
  }

  private onError(what: string, e: unknown) {
    const msg = `${what}: ${e instanceof Error ? e.message : String(e)}`;
    this.counters.error(msg);
    const w = this.errorWindow;
    const now = Date.now();
    if (now - w.start > 10_000) {
      if (w.dropped > 0) this.log(`(${w.dropped} more errors not shown)`);
      this.errorWindow = { start: now, logged: 0, dropped: 0 };
    }
    if (this.errorWindow.logged++ < ERROR_LOG_BURST) this.log(`error: ${msg}`);
    else this.errorWindow.dropped++;
  }

  private every(ms: number, fn: () => void) {
    this.timers.push(setInterval(fn, ms));
  }
}

/** Runs fn over items, at most n at a time. */
async function pool<T>(items: readonly T[], n: number, fn: (item: T) => Promise<void>) {
  let i = 0;
  const worker = async () => {
    while (i < items.length) {
      const item = items[i++];
      if (item !== undefined) await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
}
