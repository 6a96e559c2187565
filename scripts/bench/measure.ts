// Small measuring helpers for the benchmarks.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

export function percentile(values: number[], p: number) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

export const summarize = (values: number[]) => ({
  n: values.length,
  p50: round(percentile(values, 50)),
  p95: round(percentile(values, 95)),
  max: round(Math.max(...values)),
});

export const round = (v: number, digits = 1) => Math.round(v * 10 ** digits) / 10 ** digits;

/** Resident memory of a process in MiB (VmRSS). */
export function rssMiB(pid: number) {
  const m = readFileSync(`/proc/${pid}/status`, "utf8").match(/VmRSS:\s+(\d+) kB/);
  return m ? round(Number(m[1]) / 1024) : Number.NaN;
}

/** A process and all its descendants (next start runs the server in a child process). */
export function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const ppid = Number(readFileSync(`/proc/${entry}/stat`, "utf8").split(") ")[1]?.split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // the process ended while we looked
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    out.push(p);
    for (const c of children.get(p) ?? []) walk(c);
  };
  walk(pid);
  return out;
}

export const treeRssMiB = (pid: number) => round(processTree(pid).reduce((s, p) => s + (rssMiB(p) || 0), 0));

export async function timeMs<T>(fn: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const t = performance.now();
  const value = await fn();
  return { ms: round(performance.now() - t), value };
}

export function timeCommandMs(cmd: string, args: string[], env: Record<string, string> = {}) {
  const t = performance.now();
  const out = execFileSync(cmd, args, { env: { ...process.env, ...env }, maxBuffer: 1 << 30 });
  return { ms: round(performance.now() - t), bytes: out.length, out };
}

/** CPU time (user + system, ms) a set of processes has used so far, from /proc/<pid>/stat. */
export function cpuMs(pids: readonly number[]): number {
  const tickMs = 1000 / 100; // USER_HZ is 100 on Linux
  let total = 0;
  for (const pid of pids) {
    try {
      const fields = (readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1] ?? "").split(" ");
      total += (Number(fields[11]) + Number(fields[12])) * tickMs;
    } catch {
      // the process ended
    }
  }
  return total;
}

/** Share of one core each group used while `fn` ran (100 = one full core): who else ate the CPU. */
export async function cpuShareDuring<T>(groups: Record<string, () => number[]>, fn: () => Promise<T>) {
  const before = Object.fromEntries(Object.entries(groups).map(([k, pids]) => [k, cpuMs(pids())]));
  const t = performance.now();
  const value = await fn();
  const wallMs = performance.now() - t;
  const share = Object.fromEntries(
    Object.entries(groups).map(([k, pids]) => [k, round((100 * (cpuMs(pids()) - (before[k] ?? 0))) / wallMs)]),
  );
  return { value, share };
}
