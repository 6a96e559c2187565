// A live body is rebuilt when what the view must show changes, and at least once a second.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { evaluateCluster } from "@/lib/health";
import type { TSnapshot } from "@/lib/monitor/snapshot";
import { BODY_MAX_AGE_MS, liveJsonBody } from "@/lib/views/cache";
import { makeLease, makeNode, NOW } from "../health/fixtures";
import { snapshotOf } from "./snapshot";

function snapshot(version: number, options: { cordoned?: boolean } = {}): TSnapshot {
  const nodes = [makeNode({ name: "worker-1", unschedulable: options.cordoned }), makeNode({ name: "worker-2" })];
  const leases = [makeLease({ name: "worker-1" }), makeLease({ name: "worker-2" })];
  const health = evaluateCluster({ nodes, leases, pods: [], pvcs: [], pvs: [], volumeAttachments: [], workloads: {}, now: NOW });
  return snapshotOf({ health, version });
}

const decode = (b: Uint8Array) => JSON.parse(new TextDecoder().decode(b));
let view = 0;

describe("liveJsonBody", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(NOW);
    view++;
  });
  afterEach(() => vi.useRealTimers());

  it("keeps the body for a new snapshot that shows the same, within a second", () => {
    const first = liveJsonBody(snapshot(1), `v${view}`, () => JSON.stringify({ version: 1 }));
    vi.setSystemTime(NOW.getTime() + BODY_MAX_AGE_MS - 1);
    const second = liveJsonBody(snapshot(2), `v${view}`, () => JSON.stringify({ version: 2 }));
    expect(second).toBe(first);
    expect(decode(second)).toEqual({ version: 1 });
  });

  it("rebuilds it at once when a node changes what the view shows (a cordon)", () => {
    liveJsonBody(snapshot(1), `v${view}`, () => JSON.stringify({ version: 1 }));
    const cordoned = liveJsonBody(snapshot(2, { cordoned: true }), `v${view}`, () => JSON.stringify({ version: 2 }));
    expect(decode(cordoned)).toEqual({ version: 2 });
  });

  it("rebuilds it after a second even when nothing visible changed (heartbeat times move)", () => {
    liveJsonBody(snapshot(1), `v${view}`, () => JSON.stringify({ version: 1 }));
    vi.setSystemTime(NOW.getTime() + BODY_MAX_AGE_MS);
    expect(decode(liveJsonBody(snapshot(2), `v${view}`, () => JSON.stringify({ version: 2 })))).toEqual({ version: 2 });
  });

  it("keeps views apart", () => {
    liveJsonBody(snapshot(1), `a${view}`, () => JSON.stringify({ view: "a" }));
    expect(decode(liveJsonBody(snapshot(1), `b${view}`, () => JSON.stringify({ view: "b" })))).toEqual({ view: "b" });
  });
});
