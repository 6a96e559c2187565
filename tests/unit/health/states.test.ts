import { describe, expect, it } from "vitest";
import { formatDuration, healthOfState, NODE_HEALTH, NODE_STATES } from "@/lib/health";
import { toIso, toMs } from "@/lib/health/time";

describe("states", () => {
  it("spells the API health and the recorded states", () => {
    expect(NODE_HEALTH).toEqual(["Ready", "NotReady", "Unknown"]);
    expect(NODE_STATES).toEqual(["Ready", "HeartbeatLate", "NotReady", "Unknown", "Deleted"]);
  });

  it.each([
    ["Ready", "Ready"],
    ["HeartbeatLate", "Ready"],
    ["NotReady", "NotReady"],
    ["Unknown", "Unknown"],
    ["Deleted", null],
  ] as const)("maps state %s to health %s", (state, health) => {
    expect(healthOfState(state)).toBe(health);
  });
});

describe("time helpers", () => {
  it("reads Dates and ISO strings, and null for missing or garbage", () => {
    expect(toMs(new Date("2025-03-01T00:00:00Z"))).toBe(Date.UTC(2025, 2, 1));
    expect(toMs("2025-03-01T00:00:00Z")).toBe(Date.UTC(2025, 2, 1));
    expect(toMs(undefined)).toBeNull();
    expect(toMs(null)).toBeNull();
    expect(toMs("not a date")).toBeNull();
    expect(toIso("2025-03-01T00:00:00+01:00")).toBe("2025-02-28T23:00:00.000Z");
    expect(toIso(undefined)).toBeNull();
  });

  it.each([
    [0, "0s"],
    [12_400, "12s"],
    [252_000, "4m 12s"],
    [3_780_000, "1h 3m"],
    [-35_000, "-35s"],
  ])("formats %i ms as %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
