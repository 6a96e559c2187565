import { describe, expect, it } from "vitest";
import { ipAt, PodIpPool } from "@/scripts/lab/sim/ip-pool";
import { microTime, runningPodStatusPatch } from "@/scripts/lab/sim/objects";
import { nextSlot, phaseMs } from "@/scripts/lab/sim/schedule";
import { LagWindow, percentile } from "@/scripts/lab/sim/stats";
import { KeyedWorkQueue } from "@/scripts/lab/sim/work-queue";

describe("percentile", () => {
  it("uses nearest rank and is 0 when empty", () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(xs, 50)).toBe(50);
    expect(percentile(xs, 95)).toBe(95);
    expect(percentile(xs, 100)).toBe(100);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([], 50)).toBe(0);
  });
});

describe("LagWindow", () => {
  it("summarizes only the samples of the last window", () => {
    const w = new LagWindow(30_000);
    w.add(0, 1000); // falls out of the window
    for (let i = 1; i <= 20; i++) w.add(10_000 + i, i);
    expect(w.summary(35_000)).toEqual({ p50: 10, p95: 19, max: 20 });
    expect(w.summary(100_000)).toEqual({ p50: 0, p95: 0, max: 0 });
  });
});

describe("heartbeat schedule", () => {
  it("spreads phases evenly over the interval", () => {
    expect([0, 1, 2, 3].map((i) => phaseMs(i, 4, 10_000))).toEqual([0, 2500, 5000, 7500]);
  });
  it("returns the first grid slot after now, skipping missed ones", () => {
    expect(nextSlot(5_000, 10_000, 1_000)).toBe(5_000);
    expect(nextSlot(5_000, 10_000, 5_000)).toBe(15_000);
    expect(nextSlot(5_000, 10_000, 37_000)).toBe(45_000);
  });
});

describe("PodIpPool", () => {
  it("hands out unique loopback addresses, skipping reserved ones", () => {
    const pool = new PodIpPool();
    pool.reserve("127.2.0.2");
    expect([pool.allocate(), pool.allocate()]).toEqual(["127.2.0.1", "127.2.0.3"]);
    expect(pool.size).toBe(3);
  });
  it("spills from 127.2.x.y into 127.3.x.y and never uses .0 or .255", () => {
    expect(ipAt(253)).toBe("127.2.0.254");
    expect(ipAt(254)).toBe("127.2.1.1");
    expect(ipAt(256 * 254 - 1)).toBe("127.2.255.254");
    expect(ipAt(256 * 254)).toBe("127.3.0.1");
    const seen = new Set(Array.from({ length: 150_000 }, (_, i) => ipAt(i)));
    expect(seen.size).toBe(150_000);
  });
});

describe("KeyedWorkQueue", () => {
  it("bounds concurrency, de-duplicates queued keys and re-runs keys re-added while running", async () => {
    let running = 0;
    let peak = 0;
    const runs: string[] = [];
    const release: (() => void)[] = [];
    const q = new KeyedWorkQueue(2, async (k) => {
      runs.push(k);
      peak = Math.max(peak, ++running);
      await new Promise<void>((r) => release.push(r));
      running--;
    });
    for (const k of ["a", "b", "c", "c", "d"]) q.add(k);
    q.add("a"); // "a" is running: runs once more afterwards
    expect(q.inFlight).toBe(2);
    expect(q.pending).toBe(2); // c (once) and d
    const drain = setInterval(() => release.shift()?.(), 1);
    await q.idle();
    clearInterval(drain);
    expect(peak).toBe(2);
    expect(runs.sort()).toEqual(["a", "a", "b", "c", "d"]);
  });
});

describe("objects", () => {
  it("writes Lease times with microseconds", () => {
    expect(microTime(Date.UTC(2024, 0, 2, 3, 4, 5, 678))).toBe("2024-01-02T03:04:05.678000Z");
  });
  it("reports a pod Running and Ready with its container statuses", () => {
    const { status } = runningPodStatusPatch(
      { uid: "u1", hostIP: "127.1.0.1", podIP: "127.2.0.9", containers: [{ name: "c", image: "nginx" }], initContainers: [] },
      Date.UTC(2024, 0, 1),
    );
    expect(status.phase).toBe("Running");
    expect(status.podIPs).toEqual([{ ip: "127.2.0.9" }]);
    expect(status.conditions.map((c) => `${c.type}=${c.status}`)).toEqual([
      "Initialized=True",
      "Ready=True",
      "ContainersReady=True",
      "PodScheduled=True",
    ]);
    expect(status.containerStatuses[0]).toMatchObject({ name: "c", ready: true, started: true, state: { running: {} } });
    expect("initContainerStatuses" in status).toBe(false);
  });
});
