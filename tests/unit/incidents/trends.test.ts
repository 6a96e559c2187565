import { describe, expect, it } from "vitest";
import { buildTrends, median, p90, quantile, type TTrendIncident, trendsSince, weekStart } from "@/lib/incidents/trends";

describe("quantiles", () => {
  it("interpolates linearly between ranks (numpy's default)", () => {
    expect(median([1, 2, 3, 4])).toBe(2.5);
    expect(median([5])).toBe(5);
    expect(median([1, 3, 100])).toBe(3);
    expect(p90([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toBeCloseTo(9.1, 10);
    expect(p90(Array.from({ length: 101 }, (_, i) => i))).toBe(90);
    expect(quantile([10, 20], 0)).toBe(10);
    expect(quantile([10, 20], 1)).toBe(20);
  });
  it("is null without data", () => {
    expect(median([])).toBeNull();
    expect(p90([])).toBeNull();
  });
});

describe("weeks", () => {
  it("start on Monday 00:00 UTC", () => {
    expect(weekStart(new Date("2026-12-03T15:00:00Z")).toISOString()).toBe("2026-11-30T00:00:00.000Z"); // a Thursday
    expect(weekStart(new Date("2026-11-30T00:00:00Z")).toISOString()).toBe("2026-11-30T00:00:00.000Z"); // Monday itself
    expect(weekStart(new Date("2026-12-06T23:59:59Z")).toISOString()).toBe("2026-11-30T00:00:00.000Z"); // Sunday
    expect(trendsSince(new Date("2026-12-03T15:00:00Z"), 3).toISOString()).toBe("2026-11-16T00:00:00.000Z");
  });
});

describe("buildTrends", () => {
  const now = new Date("2026-12-03T12:00:00Z");
  let id = 0;
  const inc = (openedAt: string, o: Partial<TTrendIncident> = {}): TTrendIncident => ({
    id: ++id,
    openedAt: new Date(openedAt),
    recoveredAt: null,
    confirmed: true,
    closed: true,
    ...o,
  });

  it("counts incidents and suspicions per week, and time to recover with median and p90", () => {
    const t = buildTrends({
      weeks: 2,
      now,
      incidents: [
        inc("2026-11-20T10:00:00Z"), // before the window: ignored
        inc("2026-11-24T10:00:00Z", { recoveredAt: new Date("2026-11-24T10:02:00Z") }),
        inc("2026-11-25T10:00:00Z", { confirmed: false }), // a closed suspicion
        inc("2026-12-01T10:00:00Z", { recoveredAt: new Date("2026-12-01T10:10:00Z") }),
        inc("2026-12-02T10:00:00Z", { recoveredAt: new Date("2026-12-02T10:04:00Z") }),
        inc("2026-12-03T11:00:00Z", { confirmed: false, closed: false }), // an open suspicion: counted, not recovered
      ],
      nodes: [{ node: "w1", incidents: 3 }],
      workloads: [{ kind: "StatefulSet", namespace: "ns", name: "redis", incidents: 2 }],
    });
    expect(t.from).toBe("2026-11-23T00:00:00.000Z");
    expect(t.perWeek).toEqual([
      { weekStart: "2026-11-23T00:00:00.000Z", incidents: 1, suspicions: 1, open: 0 },
      { weekStart: "2026-11-30T00:00:00.000Z", incidents: 3, suspicions: 0, open: 1 },
    ]);
    expect(t.timeToRecover.points.map((p) => p.timeToRecoverMs)).toEqual([120_000, 600_000, 240_000]);
    expect(t.timeToRecover.medianMs).toBe(240_000);
    expect(t.timeToRecover.p90Ms).toBe(240_000 + 0.8 * (600_000 - 240_000));
    expect(t.mostAffectedWorkloads[0]?.key).toBe("StatefulSet/ns/redis");
  });

  it("an empty history has empty weeks and no quantiles", () => {
    const t = buildTrends({ weeks: 12, now, incidents: [], nodes: [], workloads: [] });
    expect(t.perWeek).toHaveLength(12);
    expect(t.perWeek.every((w) => w.incidents === 0)).toBe(true);
    expect(t.timeToRecover).toEqual({ points: [], medianMs: null, p90Ms: null });
  });
});
