// The event-loop delay in /api/health: a held loop shows up in the window it happened in.
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { watchEventLoopDelay } from "@/lib/monitor/event-loop";

const holdLoop = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // busy: nothing else may run
  }
};

describe("watchEventLoopDelay", () => {
  it("reports nothing before a window is complete, then the loop held in it", async () => {
    const watch = watchEventLoopDelay({ windowMs: 400 });
    try {
      expect(watch.last()).toBeNull();
      await sleep(50);
      holdLoop(120);
      // The first window to complete is the one the hold happened in.
      while (watch.last() === null) await sleep(10);
      const delay = watch.last();
      expect(delay?.windowSeconds).toBe(0.4);
      // The 120 ms hold, less the sampling period at most.
      expect(delay?.maxMs).toBeGreaterThanOrEqual(100);
      expect(delay?.p50Ms).toBeLessThanOrEqual(delay?.maxMs ?? 0);
    } finally {
      watch.stop();
    }
  });
});
