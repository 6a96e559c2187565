// The README's test command: prepares what the suites need (both control planes' binaries, the
// modern one in the background; database client), runs every suite, and ends with one line CI
// reads: "N passed, N failed, N skipped".
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { buildIfNeeded } from "./app-server";
import { ensureKubeBinaries, startKubeBuildInBackground } from "./lab/kube-versions";
import { ensureDebianPackages } from "./system-packages";

const OUT = join(process.cwd(), "test-results");
const ZVitestJson = z.object({
  numPassedTests: z.number(),
  numFailedTests: z.number(),
  numPendingTests: z.number(),
  numTodoTests: z.number(),
});

type TCounts = { passed: number; failed: number; skipped: number };

function run(cmd: string, args: string[], env: Record<string, string> = {}) {
  console.log(`\n$ ${cmd} ${args.join(" ")}`);
  return spawnSync(cmd, args, { stdio: "inherit", env: { ...process.env, ...env } }).status ?? 1;
}

/** One Vitest project at a time: each integration/e2e file runs its own lab, and two cores
 *  serve one lab well but two poorly. */
function vitest(project: string): TCounts {
  const file = join(OUT, `vitest-${project}.json`);
  rmSync(file, { force: true });
  const status = run("npx", ["vitest", "run", "--project", project, "--reporter=default", "--reporter=json", `--outputFile.json=${file}`]);
  try {
    const r = ZVitestJson.parse(JSON.parse(readFileSync(file, "utf8")));
    // A crash outside any test (setup, import) still fails the run.
    const failed = r.numFailedTests + (status !== 0 && r.numFailedTests === 0 ? 1 : 0);
    return { passed: r.numPassedTests, failed, skipped: r.numPendingTests + r.numTodoTests };
  } catch {
    return { passed: 0, failed: 1, skipped: 0 };
  }
}

function main() {
  mkdirSync(OUT, { recursive: true });
  // Everything the suites need, so one command works on a fresh machine.
  ensureDebianPackages(["chromium", "openssl", "etcd-server", "prometheus"]);
  // The modern control plane builds at idle priority while the 1.20 suites run (they mostly wait
  // on Kubernetes' timers); its suites come last. A cold machine saves most of its ~10 min.
  startKubeBuildInBackground("modern", console.error);
  ensureKubeBinaries(console.error, "1.20");
  buildIfNeeded({ log: console.log });
  // One formatter/linter for the whole tree (`next build` above already type-checked it).
  const lint: TCounts =
    run("npx", ["biome", "check", "."]) === 0 ? { passed: 1, failed: 0, skipped: 0 } : { passed: 0, failed: 1, skipped: 0 };
  const totals = [lint, ...["unit", "integration", "e2e", "modern"].map(vitest)].reduce((a, b) => ({
    passed: a.passed + b.passed,
    failed: a.failed + b.failed,
    skipped: a.skipped + b.skipped,
  }));
  console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
  process.exit(totals.failed === 0 && totals.passed > 0 ? 0 : 1);
}

main();
