// Start and stop the lab's long-lived processes, each recorded by PID in the state directory.
import { spawn } from "node:child_process";
import { existsSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

/** Starts `cmd` detached from us (it outlives `npm run lab -- up`), logging to logs/<name>.log. */
export function startProcess(opts: { name: string; cmd: string; args: string[]; pidsDir: string; logsDir: string; cwd?: string }) {
  const log = openSync(join(opts.logsDir, `${opts.name}.log`), "a");
  const child = spawn(opts.cmd, opts.args, { detached: true, stdio: ["ignore", log, log], cwd: opts.cwd });
  if (child.pid === undefined) throw new Error(`could not start ${opts.name} (${opts.cmd})`);
  child.unref();
  writeFileSync(join(opts.pidsDir, `${opts.name}.pid`), `${child.pid}\n`);
  // Kept so the process can be restarted exactly as it was (outage tests stop the apiserver).
  writeFileSync(join(opts.pidsDir, `${opts.name}.cmd.json`), JSON.stringify(opts));
  return child.pid;
}

/** Starts a process again with the command line it was first started with. */
export function restartProcess(opts: { name: string; pidsDir: string }) {
  const file = join(opts.pidsDir, `${opts.name}.cmd.json`);
  if (!existsSync(file)) throw new Error(`${opts.name} was never started here`);
  return startProcess(JSON.parse(readFileSync(file, "utf8")));
}

/** True when `pid` is alive and its command line names `marker` (guards against PID reuse). */
export function isOurProcess(pid: number, marker: string) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(marker);
  } catch {
    return false;
  }
}

/** PIDs recorded in `pidsDir` that still belong to processes of this lab. */
export function runningProcesses(pidsDir: string, marker: string) {
  if (!existsSync(pidsDir)) return [];
  return readdirSync(pidsDir)
    .filter((f) => f.endsWith(".pid"))
    .map((f) => ({ name: f.slice(0, -4), pid: Number(readFileSync(join(pidsDir, f), "utf8").trim()) }))
    .filter((p) => isOurProcess(p.pid, marker));
}

/** SIGTERM, then SIGKILL after `graceMs`; removes the PID file. */
export async function stopProcess(opts: { name: string; pidsDir: string; marker: string; graceMs?: number }) {
  const file = join(opts.pidsDir, `${opts.name}.pid`);
  if (!existsSync(file)) return false;
  const pid = Number(readFileSync(file, "utf8").trim());
  let stopped = false;
  if (isOurProcess(pid, opts.marker)) {
    process.kill(pid, "SIGTERM");
    const deadline = Date.now() + (opts.graceMs ?? 10_000);
    while (isOurProcess(pid, opts.marker) && Date.now() < deadline) await sleep(100);
    if (isOurProcess(pid, opts.marker)) process.kill(pid, "SIGKILL");
    while (isOurProcess(pid, opts.marker)) await sleep(50);
    stopped = true;
  }
  rmSync(file, { force: true });
  return stopped;
}

/** Free TCP ports on 127.0.0.1, all held open together so they are distinct. */
export async function freeLoopbackPorts(count: number) {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
          const s = createServer();
          s.once("error", reject);
          s.listen(0, "127.0.0.1", () => resolve(s));
        }),
    ),
  );
  const ports = servers.map((s) => {
    const addr = s.address();
    if (addr === null || typeof addr === "string") throw new Error("no port");
    return addr.port;
  });
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

/** Polls `check` until it resolves true; throws naming `what` and where to look on timeout. */
export async function waitFor(what: string, check: () => Promise<boolean>, opts: { timeoutMs: number; hint: string }) {
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${opts.timeoutMs / 1000}s waiting for ${what} (${opts.hint})`);
    await sleep(200);
  }
}
