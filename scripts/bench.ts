// npm run bench [-- --only lab|dashboard|evaluate|incidents|storm|recovery|failover] [--nodes 1000,5000] [--pods-per-node 30[,6]]
//                [--stock-seconds 420] [--kube 1.20|modern] [--cases stock,kubectl,click,click-oos,policy] [--rounds 3]
// Measures the lab and the dashboard on this machine and prints a JSON report (also written to
// .bench/results-<time>.json). Speed lives here, never in the tests.
import { mkdirSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { z } from "zod";
import { buildIfNeeded } from "./app-server";
import { dashboardBench } from "./bench/dashboard-bench";
import { evaluateBench } from "./bench/evaluate-bench";
import { failoverBench } from "./bench/failover-bench";
import { incidentHistoryBench, incidentStormBench } from "./bench/incidents-bench";
import { coldBuild, heartbeatLag, idleMemory, startToReady } from "./bench/lab-bench";
import { RECOVERY_CASES, recoveryBench } from "./bench/recovery-bench";
import { KUBE_LINES, kubeBinariesReady } from "./lab/kube-versions";

const ZFlags = z.object({
  only: z.enum(["lab", "dashboard", "evaluate", "incidents", "storm", "recovery", "failover"]).optional(),
  /** Failover: how many times the leader is killed. */
  rounds: z.coerce.number().int().min(1).max(20).default(3),
  /** How long the stock-Kubernetes case watches the dead node's pod (eviction comes at ~340 s). */
  "stock-seconds": z.coerce.number().int().positive().default(420),
  /** The recovery bench's control plane and cases (default: every case the control plane has). */
  kube: z.enum(KUBE_LINES).default("1.20"),
  cases: z
    .string()
    .optional()
    .transform((s) => s?.split(",").map((c) => z.enum(RECOVERY_CASES).parse(c))),
  nodes: z
    .string()
    .default("1000,5000")
    .transform((s) => s.split(",").map((n) => z.coerce.number().int().positive().parse(n))),
  /** One value for every node count, or one per count ("30,6" with --nodes 1000,5000). */
  "pods-per-node": z
    .string()
    .default("30")
    .transform((s) => s.split(",").map((n) => z.coerce.number().int().min(0).parse(n))),
});

async function main() {
  const { values } = parseArgs({
    options: {
      only: { type: "string" },
      nodes: { type: "string" },
      "pods-per-node": { type: "string" },
      "stock-seconds": { type: "string" },
      kube: { type: "string" },
      cases: { type: "string" },
      rounds: { type: "string" },
    },
  });
  const flags = ZFlags.parse(values);
  const log = (l: string) => console.error(`[bench] ${l}`);
  const report: Record<string, unknown> = { at: new Date().toISOString() };
  mkdirSync(".bench", { recursive: true });
  const file = `.bench/results-${report.at}.json`.replaceAll(":", "-");
  // Written after every measurement: a late failure keeps what was measured before it.
  const save = () => writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  if (flags.only === undefined || flags.only === "evaluate") {
    report.evaluate = flags.nodes.map((n, i) =>
      evaluateBench({ nodes: n, podsPerNode: flags["pods-per-node"][i] ?? flags["pods-per-node"][0] ?? 30, log }),
    );
    save();
  }
  if (flags.only === undefined || flags.only === "incidents" || flags.only === "storm") {
    const incidents: Record<string, unknown> = {};
    report.incidents = incidents;
    // The recorder's storm commit, on SQLite and on PostgreSQL (--only storm: this alone).
    incidents.storm = [];
    for (const n of flags.nodes) (incidents.storm as unknown[]).push(await incidentStormBench({ nodes: n, log }));
    save();
    if (flags.only !== "storm") {
      buildIfNeeded({ log });
      incidents.history = await incidentHistoryBench({ log });
      save();
    }
  }
  if (flags.only === "evaluate" || flags.only === "incidents" || flags.only === "storm") {
    save();
    console.log(JSON.stringify(report, null, 2));
    log(`written to ${file}`);
    return;
  }
  await kubeBinariesReady("1.20", log);
  if (flags.only === undefined || flags.only === "lab") {
    log("lab: cold build, start-to-ready, idle memory (1.20 and modern), heartbeat lag");
    const lab: Record<string, unknown> = { heartbeat: [] as unknown[] };
    report.lab = lab;
    for (const kube of KUBE_LINES) {
      await kubeBinariesReady(kube, log);
      lab[kube] = { coldBuild: coldBuild(kube), startToReady: await startToReady(kube), idleRssMiBSeed: await idleMemory(kube) };
      log(`lab ${kube}: ${JSON.stringify(lab[kube])}`);
      save();
    }
    for (const n of flags.nodes) {
      log(`heartbeat lag with ${n} nodes`);
      (lab.heartbeat as unknown[]).push(await heartbeatLag(n));
      save();
      log(JSON.stringify((lab.heartbeat as unknown[]).at(-1)));
    }
  }
  if (flags.only === undefined || flags.only === "dashboard") {
    buildIfNeeded({ log });
    report.dashboard = [];
    for (const [i, n] of flags.nodes.entries()) {
      const perNode = flags["pods-per-node"][i] ?? flags["pods-per-node"][0] ?? 30;
      log(`dashboard with ${n} nodes × ${perNode} pods`);
      (report.dashboard as unknown[]).push(await dashboardBench({ nodes: n, podsPerNode: perNode, log }));
      save();
    }
  }
  if (flags.only === undefined || flags.only === "recovery") {
    buildIfNeeded({ log });
    log("recovery: kubelet stop to the StatefulSet pod Running elsewhere (stock, kubectl, click, policy)");
    await kubeBinariesReady(flags.kube, log);
    // Before 1.26 there is no out-of-service taint to click.
    const cases = flags.cases ?? RECOVERY_CASES.filter((c) => flags.kube !== "1.20" || c !== "click-oos");
    report.recovery = await recoveryBench({ kube: flags.kube, cases, stockSeconds: flags["stock-seconds"], log });
    save();
  }
  if (flags.only === undefined || flags.only === "failover") {
    buildIfNeeded({ log });
    log("failover: two replicas, the leader killed (SIGKILL): time to a new leader, and to it recording");
    report.failover = {
      sqlite: await failoverBench({ rounds: flags.rounds, database: "sqlite", log }),
      postgresql: await failoverBench({ rounds: flags.rounds, database: "postgresql", log }),
    };
    save();
  }
  save();
  console.log(JSON.stringify(report, null, 2));
  log(`written to ${file}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
