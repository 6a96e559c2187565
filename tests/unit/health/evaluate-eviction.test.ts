import { describe, expect, it } from "vitest";
import { evaluateEviction, type TTaint } from "@/lib/health";
import { ago, daemonSetTolerations, defaultTolerations, iso, MINUTE, NOT_READY, NOW, SECOND, UNREACHABLE } from "./fixtures";

const taint = (key: string, addedAgoMs: number | null, effect = "NoExecute"): TTaint => ({
  key,
  value: null,
  effect,
  timeAdded: addedAgoMs === null ? null : iso(ago(addedAgoMs)),
});

describe("evaluateEviction", () => {
  it("has no countdown without NoExecute taints", () => {
    const eviction = evaluateEviction({
      tolerations: defaultTolerations(),
      taints: [taint(UNREACHABLE, MINUTE, "NoSchedule")],
      now: NOW,
    });
    expect(eviction).toEqual({
      status: "none",
      taintKeys: [],
      tolerationSeconds: null,
      startedAt: null,
      evictAt: null,
      evictInMs: null,
    });
  });

  it("counts down from the taint's timeAdded plus tolerationSeconds (default 300 s)", () => {
    const eviction = evaluateEviction({
      tolerations: defaultTolerations(),
      taints: [taint(UNREACHABLE, 2 * MINUTE)],
      now: NOW,
    });
    expect(eviction).toEqual({
      status: "scheduled",
      taintKeys: [UNREACHABLE],
      tolerationSeconds: 300,
      startedAt: iso(ago(2 * MINUTE)),
      evictAt: iso(ago(-3 * MINUTE)),
      evictInMs: 3 * MINUTE,
    });
  });

  it("goes negative once the eviction time has passed", () => {
    const eviction = evaluateEviction({
      tolerations: defaultTolerations(),
      taints: [taint(UNREACHABLE, 7 * MINUTE)],
      now: NOW,
    });
    expect(eviction.evictInMs).toBe(-2 * MINUTE);
  });

  it("is 0 exactly at the eviction time", () => {
    const eviction = evaluateEviction({
      tolerations: defaultTolerations(30),
      taints: [taint(NOT_READY, 30 * SECOND)],
      now: NOW,
    });
    expect(eviction.evictInMs).toBe(0);
    expect(eviction.evictAt).toBe(iso(NOW));
  });

  it("is immediate when a NoExecute taint is not tolerated at all", () => {
    const eviction = evaluateEviction({ tolerations: [], taints: [taint(UNREACHABLE, MINUTE)], now: NOW });
    expect(eviction.status).toBe("scheduled");
    expect(eviction.tolerationSeconds).toBe(0);
    expect(eviction.evictAt).toBe(iso(ago(MINUTE)));
    expect(eviction.evictInMs).toBe(-MINUTE);
  });

  it("is immediate with undefined tolerations", () => {
    expect(evaluateEviction({ tolerations: undefined, taints: [taint(UNREACHABLE, 0)], now: NOW }).evictInMs).toBe(0);
  });

  it("counts every NoExecute taint: an untolerated custom one evicts at once", () => {
    const eviction = evaluateEviction({
      tolerations: defaultTolerations(),
      taints: [taint(UNREACHABLE, 2 * MINUTE), taint("example.com/maintenance", 10 * SECOND)],
      now: NOW,
    });
    expect(eviction.taintKeys).toEqual([UNREACHABLE, "example.com/maintenance"]);
    expect(eviction.tolerationSeconds).toBe(0);
    expect(eviction.evictAt).toBe(iso(ago(10 * SECOND)));
  });

  it("is never for tolerations without tolerationSeconds (DaemonSet pods)", () => {
    const eviction = evaluateEviction({
      tolerations: daemonSetTolerations(),
      taints: [taint(UNREACHABLE, MINUTE)],
      now: NOW,
    });
    expect(eviction.status).toBe("never");
    expect(eviction.evictAt).toBeNull();
    expect(eviction.evictInMs).toBeNull();
    expect(eviction.taintKeys).toEqual([UNREACHABLE]);
  });

  it("is never with an empty-key Exists toleration (tolerates everything forever)", () => {
    const eviction = evaluateEviction({
      tolerations: [{ operator: "Exists" }],
      taints: [taint(UNREACHABLE, MINUTE), taint("anything", MINUTE)],
      now: NOW,
    });
    expect(eviction.status).toBe("never");
  });

  it("uses an Equal toleration with a matching value", () => {
    const eviction = evaluateEviction({
      tolerations: [{ key: "maintenance", operator: "Equal", value: "yes", effect: "NoExecute", tolerationSeconds: 60 }],
      taints: [{ key: "maintenance", value: "yes", effect: "NoExecute", timeAdded: iso(ago(10 * SECOND)) }],
      now: NOW,
    });
    expect(eviction.evictInMs).toBe(50 * SECOND);
  });

  it("is immediate when the Equal toleration's value differs", () => {
    const eviction = evaluateEviction({
      tolerations: [{ key: "maintenance", operator: "Equal", value: "no", effect: "NoExecute", tolerationSeconds: 60 }],
      taints: [{ key: "maintenance", value: "yes", effect: "NoExecute", timeAdded: iso(ago(10 * SECOND)) }],
      now: NOW,
    });
    expect(eviction.tolerationSeconds).toBe(0);
  });

  it("takes the smallest tolerationSeconds among the tolerations used", () => {
    const eviction = evaluateEviction({
      tolerations: [
        { key: NOT_READY, operator: "Exists", effect: "NoExecute", tolerationSeconds: 600 },
        { key: UNREACHABLE, operator: "Exists", effect: "NoExecute", tolerationSeconds: 120 },
      ],
      taints: [taint(NOT_READY, MINUTE), taint(UNREACHABLE, MINUTE)],
      now: NOW,
    });
    expect(eviction.tolerationSeconds).toBe(120);
    expect(eviction.evictInMs).toBe(MINUTE);
  });

  it("ignores forever tolerations when another used toleration has a limit", () => {
    const eviction = evaluateEviction({
      tolerations: [
        { key: NOT_READY, operator: "Exists", effect: "NoExecute" },
        { key: UNREACHABLE, operator: "Exists", effect: "NoExecute", tolerationSeconds: 60 },
      ],
      taints: [taint(NOT_READY, MINUTE), taint(UNREACHABLE, MINUTE)],
      now: NOW,
    });
    expect(eviction.tolerationSeconds).toBe(60);
  });

  it("uses only the first matching toleration per taint", () => {
    // The catch-all forever toleration comes first, so the 10 s one is never used.
    const eviction = evaluateEviction({
      tolerations: [{ operator: "Exists" }, { key: UNREACHABLE, operator: "Exists", tolerationSeconds: 10 }],
      taints: [taint(UNREACHABLE, MINUTE)],
      now: NOW,
    });
    expect(eviction.status).toBe("never");
  });

  it("treats tolerationSeconds ≤ 0 as immediate", () => {
    const eviction = evaluateEviction({
      tolerations: [{ key: UNREACHABLE, operator: "Exists", tolerationSeconds: -5 }],
      taints: [taint(UNREACHABLE, MINUTE)],
      now: NOW,
    });
    expect(eviction.tolerationSeconds).toBe(0);
    expect(eviction.evictInMs).toBe(-MINUTE);
  });

  it("starts from the earliest timeAdded among the NoExecute taints", () => {
    const eviction = evaluateEviction({
      tolerations: defaultTolerations(),
      taints: [taint(UNREACHABLE, MINUTE), taint(NOT_READY, 4 * MINUTE)],
      now: NOW,
    });
    expect(eviction.startedAt).toBe(iso(ago(4 * MINUTE)));
    expect(eviction.evictInMs).toBe(MINUTE);
  });

  it("skips taints without timeAdded when others have one", () => {
    const eviction = evaluateEviction({
      tolerations: defaultTolerations(),
      taints: [taint(NOT_READY, null), taint(UNREACHABLE, MINUTE)],
      now: NOW,
    });
    expect(eviction.startedAt).toBe(iso(ago(MINUTE)));
  });

  it("is unknown when no NoExecute taint has a timeAdded", () => {
    const eviction = evaluateEviction({
      tolerations: defaultTolerations(),
      taints: [taint(UNREACHABLE, null)],
      now: NOW,
    });
    expect(eviction).toEqual({
      status: "unknown",
      taintKeys: [UNREACHABLE],
      tolerationSeconds: 300,
      startedAt: null,
      evictAt: null,
      evictInMs: null,
    });
  });
});
