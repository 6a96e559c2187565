// Build and run the dashboard for `npm start`, the demo, the tests and the benchmarks: `next build`,
// then scripts/server.ts bundled by esbuild into plain JavaScript next to the build (no
// TypeScript loader in the running server), started with node. It binds 127.0.0.1 unless HOST
// says otherwise.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createWriteStream, existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { buildSync } from "esbuild";

export const REPO = resolve(fileURLToPath(new URL(".", import.meta.url)), "..");
const NEXT = join(REPO, "node_modules", "next", "dist", "bin", "next");
/** scripts/server.ts as one ES module; bare imports (next, zod, …) stay external. */
export const SERVER_BUNDLE = join(REPO, ".next", "node-rescue-server.mjs");
const SOURCES = [
  "app",
  "components",
  "lib",
  "generated",
  "next.config.js",
  "instrumentation.ts",
  "proxy.ts",
  "scripts/server.ts",
  "postcss.config.mjs",
  "package.json",
];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return readdirSync(path).reduce((m, f) => Math.max(m, newestMtime(join(path, f))), st.mtimeMs);
}

/** Runs `next build` unless the last build is newer than every source file. */
export function buildIfNeeded(opts: { force?: boolean; log?: (l: string) => void } = {}) {
  const buildId = join(REPO, ".next", "BUILD_ID");
  const fresh =
    existsSync(buildId) &&
    existsSync(SERVER_BUNDLE) &&
    Math.min(statSync(buildId).mtimeMs, statSync(SERVER_BUNDLE).mtimeMs) > Math.max(...SOURCES.map((s) => newestMtime(join(REPO, s))));
  if (fresh && !opts.force) return false;
  opts.log?.("building the dashboard (next build)…");
  const r = spawnSync(process.execPath, [NEXT, "build"], {
    cwd: REPO,
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (r.status !== 0) throw new Error(`next build failed (exit ${r.status})`);
  bundleServer();
  return true;
}

/** Bundles scripts/server.ts and the lib modules it imports (the `@/` alias comes from tsconfig.json). */
function bundleServer() {
  buildSync({
    entryPoints: [join(REPO, "scripts", "server.ts")],
    outfile: SERVER_BUNDLE,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    logLevel: "warning",
    // Packages load from node_modules at run time; only our own files (and `@/` paths) are bundled.
    packages: "external",
  });
}

/**
 * Node flags the server always runs with (not allowed in NODE_OPTIONS, hence on the command line).
 * --heap-growing-percent=30: after each full GC the heap may grow to 1.3× what survived before the
 * next one, instead of V8's dynamic factor of up to 4×, which it picks when allocation is fast, as
 * in a storm. A 5,000-node storm left 866 MiB of heap for 213 MiB of live objects (heap snapshot),
 * RSS 1,042 MiB; at 50 % an all-Unknown storm peaked at 612 MiB, at 30 % at 539 MiB with request
 * and event-loop figures unchanged (README, Benchmarks).
 */
export const SERVER_NODE_FLAGS = ["--heap-growing-percent=30"];

export type TAppServer = {
  url: string;
  port: number;
  child: ChildProcess;
  stop: () => Promise<void>;
  /** The server's recent stdout and stderr chunks (empty with inheritOutput). */
  output: string[];
};

/** Starts scripts/server.ts (Next behind our own HTTP server) with `env`; resolves once /api/health answers. */
export async function startAppServer(opts: {
  port: number;
  host?: string;
  env: Record<string, string | undefined>;
  /** Every line the server prints, appended here too (the in-memory `output` keeps the last ones only). */
  logFile?: string;
  inheritOutput?: boolean;
  /** More options for node itself, after SERVER_NODE_FLAGS (V8 flags such as --trace-gc). */
  nodeFlags?: string[];
  /** Runs the server through another command (tests: a mount namespace that looks like a pod). */
  wrap?: (command: string, args: string[]) => { command: string; args: string[] };
}): Promise<TAppServer> {
  const host = opts.host ?? "127.0.0.1";
  if (!existsSync(SERVER_BUNDLE)) throw new Error(`${SERVER_BUNDLE} is missing: build first (buildIfNeeded)`);
  const args = [...SERVER_NODE_FLAGS, ...(opts.nodeFlags ?? []), SERVER_BUNDLE, "--dir", REPO, "--host", host, "--port", String(opts.port)];
  const launch = opts.wrap ? opts.wrap(process.execPath, args) : { command: process.execPath, args };
  const child = spawn(launch.command, launch.args, {
    cwd: REPO,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production", ...opts.env },
    stdio: opts.inheritOutput ? "inherit" : ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  if (!opts.inheritOutput) {
    const log = opts.logFile ? createWriteStream(opts.logFile, { flags: "a" }) : null;
    child.once("exit", () => log?.end());
    const keep = (b: Buffer) => {
      output.push(b.toString());
      if (output.length > 400) output.shift();
      log?.write(b);
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
  }
  const url = `http://${host}:${opts.port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the dashboard server exited (${child.exitCode}):\n${output.join("")}`);
    const ok = await fetch(`${url}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`the dashboard server did not answer on ${url} within 60 s:\n${output.join("")}`);
    }
    await sleep(200);
  }
  const stop = async () => {
    if (child.exitCode !== null) return;
    child.kill("SIGTERM");
    const until = Date.now() + 5_000;
    while (child.exitCode === null && Date.now() < until) await sleep(50);
    if (child.exitCode === null) child.kill("SIGKILL");
  };
  return { url, port: opts.port, child, stop, output };
}
