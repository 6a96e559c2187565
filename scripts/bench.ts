// npm run bench [-- --only lab|dashboard] [--nodes 1000,5000] [--pods-per-node 30]
// Measures the lab and the dashboard on this machine and prints a JSON report (also written to
// .bench/results-<time>.json). Speed lives here, never in the tests.
import { mkdirSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { z } from "zod";
import { buildIfNeeded } from "./app-server";
import { dashboardBench } from "./bench/dashboard-bench";
import { coldBuild, heartbeatLag, idleMemory, startToReady } from "./bench/lab-bench";
import { ensureKubeBinaries } from "./lab/lab";

const ZFlags = z.object({
  only: z.enum(["lab", "dashboard"]).optional(),
  nodes: z
    .string()
    .default("1000,5000")
    .transform((s) => s.split(",").map((n) => z.coerce.number().int().positive().parse(n))),
  "pods-per-node": z.coerce.number().int().min(0).default(30),
});

async function main() {
  const { values } = parseArgs({ options: { only: { type: "string" }, nodes: { type: "string" }, "pods-per-node": { type: "string" } } });
  const flags = ZFlags.parse(values);
  const log = (l: string) => console.error(`[bench] ${l}`);
  ensureKubeBinaries(log);
  const report: Record<string, unknown> = { at: new Date().toISOString() };
  if (flags.only !== "dashboard") {
    log("lab: cold build, start-to-ready, idle memory, heartbeat lag");
    report.lab = {
      coldBuild: coldBuild(),
      startToReady: await startToReady(),
      idleRssMiBSeed: await idleMemory(),
      heartbeat: [] as unknown[],
    };
    for (const n of flags.nodes) {
      log(`heartbeat lag with ${n} nodes`);
      (report.lab as { heartbeat: unknown[] }).heartbeat.push(await heartbeatLag(n));
    }
  }
  if (flags.only !== "lab") {
    buildIfNeeded({ log });
    report.dashboard = [];
    for (const n of flags.nodes) {
      log(`dashboard with ${n} nodes × ${flags["pods-per-node"]} pods`);
      (report.dashboard as unknown[]).push(await dashboardBench({ nodes: n, podsPerNode: flags["pods-per-node"], log }));
    }
  }
  mkdirSync(".bench", { recursive: true });
  const file = `.bench/results-${report.at}.json`.replaceAll(":", "-");
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(JSON.stringify(report, null, 2));
  log(`written to ${file}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
