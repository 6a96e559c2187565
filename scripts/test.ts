// The README's test command: prepares what the suites need (both control planes' binaries, the
// modern one and the container image in the background; database client), runs every suite
// (the database-bound integration files a second time on PostgreSQL), and ends with one line CI
// reads: "N passed, N failed, N skipped", after the name and first message line of every failure
// (CI keeps only the tail of the log).
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { buildIfNeeded } from "./app-server";
import { IMAGE_PACKAGES, startImageBuildInBackground } from "./image/build";
import { ensureKubeBinaries, startKubeBuildInBackground } from "./lab/kube-versions";
import { ensureDebianPackages } from "./system-packages";

const OUT = join(process.cwd(), "test-results");
const ZVitestJson = z.object({
  numPassedTests: z.number(),
  numFailedTests: z.number(),
  numPendingTests: z.number(),
  numTodoTests: z.number(),
  testResults: z
    .array(
      z.object({
        name: z.string(),
        status: z.string(),
        message: z.string().optional(),
        assertionResults: z.array(z.object({ fullName: z.string(), status: z.string(), failureMessages: z.array(z.string()).optional() })),
      }),
    )
    .default([]),
});

type TCounts = { passed: number; failed: number; skipped: number; failures: string[] };

const firstLine = (text: string | undefined) =>
  (text ?? "")
    .split("\n")
    .find((line) => line.trim() !== "")
    ?.slice(0, 300) ?? "";

/** "file › test: first line of the message" for each failed test, and for a file that failed outside any. */
function failuresOf(report: z.infer<typeof ZVitestJson>): string[] {
  return report.testResults.flatMap((file) => {
    const path = file.name.replace(`${process.cwd()}/`, "");
    const tests = file.assertionResults
      .filter((t) => t.status === "failed")
      .map((t) => `${path} › ${t.fullName}: ${firstLine(t.failureMessages?.[0])}`);
    return tests.length === 0 && file.status === "failed" ? [`${path}: ${firstLine(file.message)}`] : tests;
  });
}

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
    const failures = failuresOf(r);
    if (failed > 0 && failures.length === 0) failures.push(`${project}: vitest exited ${status} outside any test`);
    return { passed: r.numPassedTests, failed, skipped: r.numPendingTests + r.numTodoTests, failures };
  } catch {
    return { passed: 0, failed: 1, skipped: 0, failures: [`${project}: no JSON report (vitest exited ${status})`] };
  }
}

function main() {
  mkdirSync(OUT, { recursive: true });
  // Everything the suites need, so one command works on a fresh machine.
  ensureDebianPackages(["chromium", "openssl", "etcd-server", "prometheus", "postgresql", ...IMAGE_PACKAGES]);
  // The modern control plane builds at idle priority while the 1.20 suites run (they mostly wait
  // on Kubernetes' timers); its suites come last. A cold machine saves most of its ~10 min.
  startKubeBuildInBackground("modern", console.error);
  // The container image likewise (nice 19, ionice idle), for tests/modern/image.test.ts.
  startImageBuildInBackground(console.error);
  ensureKubeBinaries(console.error, "1.20");
  buildIfNeeded({ log: console.log });
  // One formatter/linter for the whole tree (`next build` above already type-checked it).
  const lint: TCounts =
    run("npx", ["biome", "check", "."]) === 0
      ? { passed: 1, failed: 0, skipped: 0, failures: [] }
      : { passed: 0, failed: 1, skipped: 0, failures: ["biome check: see its output above"] };
  const totals = [lint, ...["unit", "integration", "postgres", "e2e", "modern"].map(vitest)].reduce((a, b) => ({
    passed: a.passed + b.passed,
    failed: a.failed + b.failed,
    skipped: a.skipped + b.skipped,
    failures: [...a.failures, ...b.failures],
  }));
  if (totals.failures.length > 0) console.log(`\nFailed:\n${totals.failures.map((f) => `  ✗ ${f}`).join("\n")}`);
  console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
  process.exit(totals.failed === 0 && totals.passed > 0 ? 0 : 1);
}

main();
