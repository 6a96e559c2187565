import { describe, expect, it } from "vitest";
import { DEFAULT_LEASE_DURATION_SECONDS, evaluateHeartbeat, lateThresholdMs } from "@/lib/health";
import { makeLease, NOW, SECOND } from "./fixtures";

describe("lateThresholdMs", () => {
  it("is half the lease duration for a real kubelet (renews every duration/4)", () => {
    expect(lateThresholdMs({ leaseDurationSeconds: 40 })).toBe(20 * SECOND);
    expect(lateThresholdMs({ leaseDurationSeconds: 60 })).toBe(30 * SECOND);
  });

  it("waits for two missed renewals when the renew interval is slower", () => {
    expect(lateThresholdMs({ leaseDurationSeconds: 40, renewIntervalMs: 15 * SECOND })).toBe(30 * SECOND);
  });

  it("never goes below half the lease duration when renewals are faster", () => {
    expect(lateThresholdMs({ leaseDurationSeconds: 40, renewIntervalMs: 2 * SECOND })).toBe(20 * SECOND);
  });

  it("falls back to the kubelet default duration (40 s) when the lease has none", () => {
    expect(DEFAULT_LEASE_DURATION_SECONDS).toBe(40);
    expect(lateThresholdMs({})).toBe(20 * SECOND);
    expect(lateThresholdMs({ leaseDurationSeconds: null })).toBe(20 * SECOND);
    expect(lateThresholdMs({ leaseDurationSeconds: 0 })).toBe(20 * SECOND);
  });
});

describe("evaluateHeartbeat", () => {
  it("reports a fresh lease", () => {
    const lease = makeLease({ renewedAgoMs: 3 * SECOND });
    expect(evaluateHeartbeat({ lease, now: NOW })).toEqual({
      leaseRenewTime: new Date(NOW.getTime() - 3 * SECOND).toISOString(),
      ageMs: 3 * SECOND,
      leaseDurationSeconds: 40,
      lateAfterMs: 20 * SECOND,
      late: false,
      warmingUp: false,
    });
  });

  it("is not late exactly at the threshold, and late one millisecond after", () => {
    expect(evaluateHeartbeat({ lease: makeLease({ renewedAgoMs: 20 * SECOND }), now: NOW }).late).toBe(false);
    expect(evaluateHeartbeat({ lease: makeLease({ renewedAgoMs: 20 * SECOND + 1 }), now: NOW }).late).toBe(true);
  });

  it("derives the threshold from the lease's own duration", () => {
    const lease = makeLease({ renewedAgoMs: 25 * SECOND, durationSeconds: 60 });
    const heartbeat = evaluateHeartbeat({ lease, now: NOW });
    expect(heartbeat.lateAfterMs).toBe(30 * SECOND);
    expect(heartbeat.late).toBe(false);
  });

  it("honours an explicit lateAfterMs over the lease-derived threshold", () => {
    const lease = makeLease({ renewedAgoMs: 6 * SECOND });
    const heartbeat = evaluateHeartbeat({ lease, now: NOW, lateAfterMs: 5 * SECOND });
    expect(heartbeat.lateAfterMs).toBe(5 * SECOND);
    expect(heartbeat.late).toBe(true);
  });

  it("takes the caller's renew interval into account", () => {
    const lease = makeLease({ renewedAgoMs: 25 * SECOND });
    expect(evaluateHeartbeat({ lease, now: NOW, renewIntervalMs: 15 * SECOND }).late).toBe(false);
  });

  it("has no evidence without a lease and does not call it late", () => {
    expect(evaluateHeartbeat({ lease: undefined, now: NOW })).toEqual({
      leaseRenewTime: null,
      ageMs: null,
      leaseDurationSeconds: null,
      lateAfterMs: 20 * SECOND,
      late: false,
      warmingUp: false,
    });
    expect(evaluateHeartbeat({ lease: null, now: NOW }).late).toBe(false);
  });

  it("has no evidence when the lease was never renewed", () => {
    const lease = makeLease();
    delete lease.spec?.renewTime;
    const heartbeat = evaluateHeartbeat({ lease, now: NOW });
    expect(heartbeat.ageMs).toBeNull();
    expect(heartbeat.leaseDurationSeconds).toBe(40);
    expect(heartbeat.late).toBe(false);
  });

  it("clamps the age to 0 when the renewTime is ahead of our clock", () => {
    const lease = makeLease({ renewedAgoMs: -5 * SECOND });
    expect(evaluateHeartbeat({ lease, now: NOW }).ageMs).toBe(0);
  });

  it("accepts a renewTime still in its JSON string form", () => {
    const lease = makeLease();
    (lease.spec as { renewTime: unknown }).renewTime = new Date(NOW.getTime() - 30 * SECOND).toISOString();
    const heartbeat = evaluateHeartbeat({ lease, now: NOW });
    expect(heartbeat.ageMs).toBe(30 * SECOND);
    expect(heartbeat.late).toBe(true);
  });

  describe("right after the cache (re)connected", () => {
    const stale = makeLease({ renewedAgoMs: 5 * 60 * SECOND });

    it("holds back late while we have watched for no longer than the threshold", () => {
      const heartbeat = evaluateHeartbeat({
        lease: stale,
        now: NOW,
        observedSince: new Date(NOW.getTime() - 20 * SECOND),
      });
      expect(heartbeat.late).toBe(false);
      expect(heartbeat.warmingUp).toBe(true);
      expect(heartbeat.ageMs).toBe(5 * 60 * SECOND);
    });

    it("calls it late once we have watched for longer than the threshold", () => {
      const heartbeat = evaluateHeartbeat({
        lease: stale,
        now: NOW,
        observedSince: new Date(NOW.getTime() - 20 * SECOND - 1),
      });
      expect(heartbeat.late).toBe(true);
      expect(heartbeat.warmingUp).toBe(false);
    });

    it("is not warming up for a fresh lease", () => {
      const heartbeat = evaluateHeartbeat({ lease: makeLease(), now: NOW, observedSince: NOW });
      expect(heartbeat.warmingUp).toBe(false);
      expect(heartbeat.late).toBe(false);
    });

    it("treats a null observedSince as watching for long", () => {
      expect(evaluateHeartbeat({ lease: stale, now: NOW, observedSince: null }).late).toBe(true);
    });
  });
});
