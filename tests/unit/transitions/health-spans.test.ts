import { describe, expect, it } from "vitest";
import { healthSpans, timeInStates } from "@/lib/transitions/health-spans";

const t0 = new Date("2026-12-01T00:00:00Z");
const at = (min: number) => new Date(t0.getTime() + min * 60_000);
const iso = (min: number) => at(min).toISOString();

describe("healthSpans", () => {
  it("covers the whole window from the state before it", () => {
    expect(healthSpans({ before: { state: "Ready", at: at(-500) }, changes: [], from: at(0), to: at(60) })).toEqual([
      { state: "Ready", from: iso(0), to: iso(60) },
    ]);
  });

  it("starts at the first change when nothing was recorded before the window", () => {
    expect(
      healthSpans({
        before: null,
        changes: [
          { state: "Ready", at: at(10) },
          { state: "HeartbeatLate", at: at(20) },
        ],
        from: at(0),
        to: at(60),
      }),
    ).toEqual([
      { state: "Ready", from: iso(10), to: iso(20) },
      { state: "HeartbeatLate", from: iso(20), to: iso(60) },
    ]);
  });

  it("draws the seed incident: late, Unknown, Deleted, back", () => {
    const spans = healthSpans({
      before: { state: "Ready", at: at(-5) },
      changes: [
        { state: "HeartbeatLate", at: at(1) },
        { state: "Unknown", at: at(2) },
        { state: "Deleted", at: at(5) },
        { state: "Ready", at: at(9) },
      ],
      from: at(0),
      to: at(10),
    });
    expect(spans.map((s) => s.state)).toEqual(["Ready", "HeartbeatLate", "Unknown", "Deleted", "Ready"]);
    expect(spans[0]).toEqual({ state: "Ready", from: iso(0), to: iso(1) });
    expect(spans.at(-1)).toEqual({ state: "Ready", from: iso(9), to: iso(10) });
    expect(timeInStates(spans)).toEqual({ Ready: 2 * 60_000, HeartbeatLate: 60_000, Unknown: 3 * 60_000, Deleted: 4 * 60_000 });
  });

  it("merges repeated states and replaces a change by a later one at the same instant", () => {
    const spans = healthSpans({
      before: null,
      changes: [
        { state: "Ready", at: at(0) },
        { state: "Ready", at: at(1) },
        { state: "HeartbeatLate", at: at(2) },
        { state: "Unknown", at: at(2) },
      ],
      from: at(0),
      to: at(3),
    });
    expect(spans).toEqual([
      { state: "Ready", from: iso(0), to: iso(2) },
      { state: "Unknown", from: iso(2), to: iso(3) },
    ]);
  });

  it("clips changes outside the window and keeps spans contiguous", () => {
    const spans = healthSpans({
      before: null,
      changes: [
        { state: "Unknown", at: at(-30) },
        { state: "Ready", at: at(5) },
        { state: "NotReady", at: at(70) },
      ],
      from: at(0),
      to: at(60),
    });
    expect(spans).toEqual([
      { state: "Unknown", from: iso(0), to: iso(5) },
      { state: "Ready", from: iso(5), to: iso(60) },
    ]);
    for (const [i, s] of spans.entries()) if (i > 0) expect(s.from).toBe(spans[i - 1]?.to);
  });

  it("an empty or inverted window has no spans", () => {
    expect(healthSpans({ before: { state: "Ready", at: at(-1) }, changes: [], from: at(5), to: at(5) })).toEqual([]);
    expect(healthSpans({ before: null, changes: [], from: at(0), to: at(60) })).toEqual([]);
  });
});
