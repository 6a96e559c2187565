// Progress and audit notices reach every subscriber; a failing subscriber fails neither the
// action that reported nor the audit write that announced.
import { afterEach, describe, expect, it, vi } from "vitest";
import { announceAudit, notifyProgress, onNotices } from "@/lib/live/notices";
import { setProgress } from "@/lib/remediation/progress";

describe("live notices", () => {
  const offs: (() => void)[] = [];
  afterEach(() => {
    for (const off of offs.splice(0)) off();
    vi.restoreAllMocks();
  });
  const subscribe = () => {
    const seen: string[] = [];
    offs.push(onNotices({ progress: (node) => seen.push(`progress:${node}`), audit: () => seen.push("audit") }));
    return seen;
  };

  it("setProgress announces the node; announceAudit passes the row through and announces it", () => {
    const a = subscribe();
    const b = subscribe();
    setProgress("worker-1", { actionId: "x", action: "node.drain", actor: "ops", startedAt: "", results: [], done: false, message: null });
    const row = { id: 1 };
    expect(announceAudit(row)).toBe(row);
    expect(a).toEqual(["progress:worker-1", "audit"]);
    expect(b).toEqual(a);
  });

  it("stops after unsubscribing", () => {
    const seen: string[] = [];
    const off = onNotices({ progress: (n) => seen.push(n), audit: () => seen.push("audit") });
    off();
    notifyProgress("worker-1");
    announceAudit(null);
    expect(seen).toEqual([]);
  });

  it("a throwing subscriber is logged, not thrown into the caller", () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    offs.push(
      onNotices({
        progress: () => {
          throw new Error("stream closed");
        },
        audit: () => {
          throw new Error("stream closed");
        },
      }),
    );
    expect(() => notifyProgress("worker-1")).not.toThrow();
    expect(announceAudit("row")).toBe("row");
    expect(error).toHaveBeenCalledTimes(2);
  });
});
