// Lab benchmarks: cold build time, start-to-ready and idle memory of each component with the seed
// scenario, on either control plane (1.20 or modern), and heartbeat lag of the simulated kubelets
// at scale.
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { CoordinationV1Api, KubeConfig } from "@kubernetes/client-node";
import { z } from "zod";
import { kubeProfile, type TKubeLine } from "../lab/kube-versions";
import { labDown, labUp, type TLabUpOptions } from "../lab/lab";
import { runningProcesses } from "../lab/processes";
import { ZSimStats } from "../lab/sim/stats";
import { labPaths, readJson } from "../lab/state";
import { round, rssMiB, summarize } from "./measure";

const tempLabDir = () => mkdtempSync(join(tmpdir(), "node-rescue-bench-"));

async function withLab<T>(opts: Omit<TLabUpOptions, "dir">, fn: (lab: Awaited<ReturnType<typeof labUp>>) => Promise<T>) {
  const dir = tempLabDir();
  const lab = await labUp({ ...opts, dir });
  try {
    return await fn(lab);
  } finally {
    await labDown({ dir });
  }
}

/** What the build script recorded when it built this cache's binaries (null seconds: not built cold here). */
export function coldBuild(kube: TKubeLine) {
  const file = join(kubeProfile(kube).binDir, "build-stats.json");
  if (!existsSync(file)) return { coldBuildSeconds: null, note: "no cold build recorded in this cache" };
  return z
    .object({ coldBuildSeconds: z.number().nullable(), builtAt: z.string() })
    .passthrough()
    .parse(JSON.parse(readFileSync(file, "utf8")));
}

/** Start to ready with cached binaries: control plane, nodes Ready, scenario settled. */
export async function startToReady(kube: TKubeLine, runs = 2) {
  const out: Array<{ scenario: string; seconds: number }> = [];
  for (let i = 0; i < runs; i++) {
    for (const scenario of ["empty", "seed"] as const) {
      const dir = tempLabDir();
      const t = performance.now();
      await labUp({ dir, kube, scenario, nodes: scenario === "empty" ? 3 : 0 });
      out.push({ scenario, seconds: round((performance.now() - t) / 1000, 2) });
      await labDown({ dir });
    }
  }
  return out;
}

export async function idleMemory(kube: TKubeLine, settleMs = 20_000) {
  return withLab({ kube, scenario: "seed" }, async (lab) => {
    await sleep(settleMs);
    return Object.fromEntries(runningProcesses(labPaths(lab.dir).pids, lab.dir).map((p) => [p.name, rssMiB(p.pid)]));
  });
}

/** Heartbeat lag with N simulated nodes at Kubernetes' timings (Lease renewed every 10 s). */
export async function heartbeatLag(nodes: number, observeMs = 60_000) {
  const t = performance.now();
  return withLab({ scenario: "empty", nodes, timings: "kubernetes" }, async (lab) => {
    const upSeconds = round((performance.now() - t) / 1000);
    await sleep(observeMs);
    const stats = readJson(labPaths(lab.dir).simStats, ZSimStats);
    // The API side: how old is each Lease right now (includes the simulator's own lag).
    const kc = new KubeConfig();
    kc.loadFromFile(lab.kubeconfig);
    const leases = await kc.makeApiClient(CoordinationV1Api).listNamespacedLease({ namespace: "kube-node-lease" });
    const now = Date.now();
    const ages = leases.items.map((l) => now - new Date(l.spec?.renewTime ?? 0).getTime());
    const rss = Object.fromEntries(runningProcesses(labPaths(lab.dir).pids, lab.dir).map((p) => [p.name, rssMiB(p.pid)]));
    return {
      nodes,
      upSeconds,
      renewIntervalSeconds: lab.heartbeat.renewIntervalSeconds,
      simLeaseLagMs: stats.leaseLagMs,
      apiLeaseAgeMs: summarize(ages),
      simCpuPercent: stats.cpuPercent,
      simRssMiB: round(stats.rssBytes / 2 ** 20),
      simErrors: stats.errors.count,
      rssMiB: rss,
    };
  });
}
