// What the simulator reports about itself (kubelet-sim.stats.json), and the small meters behind it.
import { monitorEventLoopDelay } from "node:perf_hooks";
import { z } from "zod";

const ZLag = z.object({ p50: z.number(), p95: z.number(), max: z.number() });

export const ZSimStats = z.object({
  at: z.string(),
  nodes: z.number(),
  /** Registered and not stopped. */
  liveNodes: z.number(),
  leaseRenewals: z.number(),
  /** Completion time of a lease renewal minus its scheduled time, over the last ~30 s. */
  leaseLagMs: ZLag,
  statusPatches: z.number(),
  /** Node registrations, including re-registrations after a Node or Lease was deleted. */
  registrations: z.number(),
  podsMarkedRunning: z.number(),
  podsFinalized: z.number(),
  podQueue: z.object({ pending: z.number(), inFlight: z.number() }),
  podWatch: z.object({ lists: z.number(), events: z.number(), cachedPods: z.number() }),
  errors: z.object({ count: z.number(), last: z.string().nullable() }),
  /** This process's event-loop delay over the last stats interval (tells our lag from the apiserver's). */
  eventLoopDelayMs: z.object({ p99: z.number(), max: z.number() }),
  /** Process CPU over the last stats interval, 100 = one core. */
  cpuPercent: z.number(),
  rssBytes: z.number(),
});
export type TSimStats = z.infer<typeof ZSimStats>;

/** Nearest-rank percentile of an ascending array (0 when empty). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? 0;
}

/** Samples kept for a sliding time window; summarized as p50/p95/max. */
export class LagWindow {
  private at: number[] = [];
  private values: number[] = [];

  constructor(private readonly windowMs = 30_000) {}

  add(nowMs: number, value: number) {
    this.at.push(nowMs);
    this.values.push(value);
  }

  summary(nowMs: number) {
    const cut = this.at.findIndex((t) => t > nowMs - this.windowMs);
    const drop = cut === -1 ? this.at.length : cut;
    if (drop > 0) {
      this.at = this.at.slice(drop);
      this.values = this.values.slice(drop);
    }
    const sorted = [...this.values].sort((a, b) => a - b);
    const round = (n: number) => Math.round(n * 10) / 10;
    return { p50: round(percentile(sorted, 50)), p95: round(percentile(sorted, 95)), max: round(sorted.at(-1) ?? 0) };
  }
}

/** CPU% of this process between successive calls (user + system time over wall time). */
export class CpuMeter {
  private lastCpu = process.cpuUsage();
  private lastWall = process.hrtime.bigint();

  sample(): number {
    const cpu = process.cpuUsage(this.lastCpu);
    const wall = process.hrtime.bigint();
    const wallUs = Number(wall - this.lastWall) / 1000;
    this.lastCpu = process.cpuUsage();
    this.lastWall = wall;
    return wallUs > 0 ? Math.round(((cpu.user + cpu.system) / wallUs) * 1000) / 10 : 0;
  }
}

/** Event-loop delay between successive calls. */
export class LoopDelayMeter {
  private readonly h = monitorEventLoopDelay({ resolution: 10 });

  constructor() {
    this.h.enable();
  }

  sample() {
    const ms = (ns: number) => Math.round(ns / 1e5) / 10;
    const r = { p99: ms(this.h.percentile(99)), max: ms(this.h.max) };
    this.h.reset();
    return r;
  }

  stop() {
    this.h.disable();
  }
}

export class Counters {
  leaseRenewals = 0;
  statusPatches = 0;
  registrations = 0;
  podsMarkedRunning = 0;
  podsFinalized = 0;
  errorCount = 0;
  lastError: string | null = null;
  readonly leaseLag = new LagWindow();

  error(message: string) {
    this.errorCount++;
    this.lastError = `${new Date().toISOString()} ${message}`;
  }
}
