// The event stream forwards the first notice at once and folds a burst into one trailing call.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { coalesceByKey } from "@/lib/live/coalesce";

describe("coalesceByKey", () => {
  let calls: string[];
  let c: ReturnType<typeof coalesceByKey>;
  beforeEach(() => {
    vi.useFakeTimers();
    calls = [];
    c = coalesceByKey((k) => calls.push(k), 250);
  });
  afterEach(() => {
    c.cancel();
    vi.useRealTimers();
  });

  it("calls at once for a key outside a window", () => {
    c.call("a");
    expect(calls).toEqual(["a"]);
  });

  it("folds a burst into one trailing call at the window's end, so the last state goes out", () => {
    c.call("a");
    c.call("a");
    c.call("a");
    expect(calls).toEqual(["a"]);
    vi.advanceTimersByTime(249);
    expect(calls).toEqual(["a"]);
    vi.advanceTimersByTime(1);
    expect(calls).toEqual(["a", "a"]);
  });

  it("makes no trailing call when nothing came in during the window, and then calls at once again", () => {
    c.call("a");
    vi.advanceTimersByTime(250);
    expect(calls).toEqual(["a"]);
    c.call("a");
    expect(calls).toEqual(["a", "a"]);
  });

  it("opens a new window after a trailing call: a steady stream goes out once per window", () => {
    c.call("a");
    for (let t = 0; t < 1000; t += 50) {
      vi.advanceTimersByTime(50);
      c.call("a");
    }
    // t=0 at once, then the trailing calls at 250, 500, 750 and 1000.
    expect(calls.length).toBe(5);
  });

  it("keeps keys apart: one node's drain does not hold back another's", () => {
    c.call("a");
    c.call("b");
    c.call("a");
    expect(calls).toEqual(["a", "b"]);
    vi.advanceTimersByTime(250);
    expect(calls).toEqual(["a", "b", "a"]);
  });

  it("drops pending calls on cancel", () => {
    c.call("a");
    c.call("a");
    c.cancel();
    vi.advanceTimersByTime(1000);
    expect(calls).toEqual(["a"]);
  });
});
