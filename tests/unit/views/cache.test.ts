// A live body is rebuilt when what the view must show changes, and at least once a second.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { evaluateCluster } from "@/lib/health";
import type { TSnapshot } from "@/lib/monitor/snapshot";
import { BODY_MAX_AGE_MS, liveJsonBody, sharedBodyResponse } from "@/lib/views/cache";
import { makeLease, makeNode, NOW } from "../health/fixtures";
import { snapshotOf } from "./snapshot";

function snapshot(version: number, options: { cordoned?: boolean } = {}): TSnapshot {
  const nodes = [makeNode({ name: "worker-1", unschedulable: options.cordoned }), makeNode({ name: "worker-2" })];
  const leases = [makeLease({ name: "worker-1" }), makeLease({ name: "worker-2" })];
  const health = evaluateCluster({ nodes, leases, pods: [], pvcs: [], pvs: [], volumeAttachments: [], workloads: {}, now: NOW });
  return snapshotOf({ health, version });
}

const decode = (b: Uint8Array) => JSON.parse(new TextDecoder().decode(b));
const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
let view = 0;

describe("liveJsonBody", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(NOW);
    view++;
  });
  afterEach(() => vi.useRealTimers());

  it("keeps the body for a new snapshot that shows the same, within a second", () => {
    const first = liveJsonBody(snapshot(1), `v${view}`, () => json({ version: 1 }));
    vi.setSystemTime(NOW.getTime() + BODY_MAX_AGE_MS - 1);
    const second = liveJsonBody(snapshot(2), `v${view}`, () => json({ version: 2 }));
    expect(second).toBe(first);
    expect(decode(second)).toEqual({ version: 1 });
  });

  it("rebuilds it at once when a node changes what the view shows (a cordon)", () => {
    liveJsonBody(snapshot(1), `v${view}`, () => json({ version: 1 }));
    const cordoned = liveJsonBody(snapshot(2, { cordoned: true }), `v${view}`, () => json({ version: 2 }));
    expect(decode(cordoned)).toEqual({ version: 2 });
  });

  it("rebuilds it after a second even when nothing visible changed (heartbeat times move)", () => {
    liveJsonBody(snapshot(1), `v${view}`, () => json({ version: 1 }));
    vi.setSystemTime(NOW.getTime() + BODY_MAX_AGE_MS);
    expect(decode(liveJsonBody(snapshot(2), `v${view}`, () => json({ version: 2 })))).toEqual({ version: 2 });
  });

  it("keeps views apart", () => {
    liveJsonBody(snapshot(1), `a${view}`, () => json({ view: "a" }));
    expect(decode(liveJsonBody(snapshot(1), `b${view}`, () => json({ view: "b" })))).toEqual({ view: "b" });
  });
});

describe("sharedBodyResponse", () => {
  it("sends the whole body to every client and leaves the shared bytes intact", async () => {
    // Several chunks, with multi-byte characters across chunk boundaries.
    const text = JSON.stringify({ nodes: Array.from({ length: 40_000 }, (_, i) => `wörker-${i}`) });
    const body = new TextEncoder().encode(text);
    const responses = [sharedBodyResponse(body, { "Content-Type": "application/json" }), sharedBodyResponse(body, {})];
    for (const r of responses) {
      expect(r.headers.get("content-length")).toBe(String(body.byteLength));
      expect(await r.text()).toBe(text);
    }
    expect(new TextDecoder().decode(body)).toBe(text);
    expect(responses[0]?.headers.get("content-type")).toBe("application/json");
  });

  it("sends an empty body as empty", async () => {
    const r = sharedBodyResponse(new Uint8Array(0), {});
    expect(await r.text()).toBe("");
    expect(r.headers.get("content-length")).toBe("0");
  });
});
