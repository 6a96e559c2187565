import { describe, expect, it } from "vitest";
import { INSTANCE_STALE_MS, isInstanceGone, type TInstanceRow } from "@/lib/instance/instance";

const self = { id: "me", host: "node-a", pid: 100 };
const now = new Date("2026-12-01T12:00:00Z");
const row = (over: Partial<TInstanceRow> = {}): TInstanceRow => ({
  id: "peer",
  host: "node-b",
  pid: 200,
  heartbeatAt: new Date(now.getTime() - 1_000),
  stoppedAt: null,
  ...over,
});
const alive = () => true;
const dead = () => false;

describe("isInstanceGone", () => {
  it("a missing owner (or one written before instances existed) is gone; we are not", () => {
    expect(isInstanceGone(null, self, now, alive)).toBe(true);
    expect(isInstanceGone(row({ id: "me", stoppedAt: now }), self, now, alive)).toBe(false);
  });
  it("a peer on another host is alive while its heartbeat is fresh, gone once it stopped or went stale", () => {
    expect(isInstanceGone(row(), self, now, dead)).toBe(false);
    expect(isInstanceGone(row({ stoppedAt: now }), self, now, alive)).toBe(true);
    expect(isInstanceGone(row({ heartbeatAt: new Date(now.getTime() - INSTANCE_STALE_MS - 1) }), self, now, alive)).toBe(true);
  });
  it("on this host, a fresh heartbeat of a process that no longer runs, or of our own pid, is a dead predecessor", () => {
    expect(isInstanceGone(row({ host: "node-a" }), self, now, dead)).toBe(true);
    expect(isInstanceGone(row({ host: "node-a" }), self, now, alive)).toBe(false);
    expect(isInstanceGone(row({ host: "node-a", pid: 100 }), self, now, alive)).toBe(true);
  });
});
