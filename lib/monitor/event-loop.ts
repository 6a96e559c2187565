// How long work waited for the event loop: every request, watch event and evaluation queues
// behind whatever holds it. Reported by /api/health so a slow dashboard can be told apart from a
// slow network or API server.
import { monitorEventLoopDelay } from "node:perf_hooks";

const RESOLUTION_MS = 10;

export type TEventLoopDelay = { windowSeconds: number; p50Ms: number; p99Ms: number; maxMs: number };

const ms = (ns: number) => Math.max(0, Math.round((ns / 1e6 - RESOLUTION_MS) * 10) / 10);

/** Delay percentiles of the last complete window (the sampling timer's own period removed). */
export function watchEventLoopDelay(opts: { windowMs?: number } = {}) {
  const windowMs = opts.windowMs ?? 10_000;
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  histogram.enable();
  let last: TEventLoopDelay | null = null;
  const timer = setInterval(() => {
    if (histogram.count > 0)
      last = {
        windowSeconds: windowMs / 1000,
        p50Ms: ms(histogram.percentile(50)),
        p99Ms: ms(histogram.percentile(99)),
        maxMs: ms(histogram.max),
      };
    histogram.reset();
  }, windowMs);
  timer.unref();
  return {
    last: () => last,
    stop: () => {
      clearInterval(timer);
      histogram.disable();
    },
  };
}
