import type { V1Lease } from "@kubernetes/client-node";
import { toIso, toMs } from "./time";

/** The kubelet's default node Lease duration (--node-lease-duration-seconds). */
export const DEFAULT_LEASE_DURATION_SECONDS = 40;

export type THeartbeat = {
  /** The Lease's spec.renewTime (ISO), null when there is no Lease or it was never renewed. */
  leaseRenewTime: string | null;
  /** How long ago the Lease was renewed; 0 when the renewTime is ahead of our clock. */
  ageMs: number | null;
  leaseDurationSeconds: number | null;
  /** The age beyond which the heartbeat counts as late. */
  lateAfterMs: number;
  late: boolean;
  /**
   * We have watched the cluster for less than lateAfterMs (see `observedSince`), so an old
   * renewTime may be an update not yet received: `late` is held back until the watch has run
   * long enough to have seen a renewal.
   */
  warmingUp: boolean;
};

/**
 * The heartbeat-late threshold.
 *
 * A kubelet renews its Lease every leaseDuration/4 (10 s of the default 40 s). We suspect the node
 * once two renewals are missed, and never before half the lease duration:
 *   lateAfterMs = max(leaseDuration × 0.5, 2 × renewInterval)
 * With a real kubelet both terms are 20 s, well before the node controller flips Ready at 40–50 s.
 * `renewIntervalMs` lets a caller whose kubelets renew on another schedule (the lab) say so.
 */
export function lateThresholdMs(options: { leaseDurationSeconds?: number | null; renewIntervalMs?: number | null }): number {
  const durationMs = (options.leaseDurationSeconds || DEFAULT_LEASE_DURATION_SECONDS) * 1000;
  const renewIntervalMs = options.renewIntervalMs ?? durationMs / 4;
  return Math.max(durationMs * 0.5, 2 * renewIntervalMs);
}

/**
 * Lease freshness. `late` is strictly "age > threshold". Without a Lease (or a renewTime) we have
 * no evidence either way, so the node is not called late: the Ready condition still decides.
 * We do not fall back to the Ready condition's lastHeartbeatTime, which a healthy kubelet only
 * refreshes every few minutes.
 *
 * `observedSince` is when the cache (re)connected: until lateAfterMs has passed since then, a
 * stale Lease may be our blindness rather than the kubelet's, so nothing is called late.
 */
export function evaluateHeartbeat(options: {
  lease: V1Lease | null | undefined;
  now: Date;
  /** An explicit threshold that replaces the lease-derived one. */
  lateAfterMs?: number;
  renewIntervalMs?: number;
  observedSince?: Date | null;
}): THeartbeat {
  const { lease, now, observedSince } = options;
  const leaseDurationSeconds = lease?.spec?.leaseDurationSeconds ?? null;
  const lateAfterMs = options.lateAfterMs ?? lateThresholdMs({ leaseDurationSeconds, renewIntervalMs: options.renewIntervalMs });
  const renewMs = toMs(lease?.spec?.renewTime);
  if (renewMs === null) {
    return { leaseRenewTime: null, ageMs: null, leaseDurationSeconds, lateAfterMs, late: false, warmingUp: false };
  }

  const ageMs = Math.max(0, now.getTime() - renewMs);
  const overdue = ageMs > lateAfterMs;
  const watchedMs = observedSince ? now.getTime() - observedSince.getTime() : Number.POSITIVE_INFINITY;
  const warmingUp = overdue && watchedMs <= lateAfterMs;
  return {
    leaseRenewTime: toIso(lease?.spec?.renewTime),
    ageMs,
    leaseDurationSeconds,
    lateAfterMs,
    late: overdue && !warmingUp,
    warmingUp,
  };
}

/**
 * Until when (epoch ms, inclusive) `heartbeat`, evaluated at `evaluatedAtMs`, stays the verdict
 * for the same Lease: `late` and `warmingUp` only change when the clock passes renewTime +
 * lateAfterMs or observedSince + lateAfterMs. Infinity when neither lies ahead.
 */
export function heartbeatValidUntilMs(options: { heartbeat: THeartbeat; evaluatedAtMs: number; observedSince?: Date | null }): number {
  const { heartbeat, evaluatedAtMs, observedSince } = options;
  const renewMs = toMs(heartbeat.leaseRenewTime);
  if (renewMs === null) return Number.POSITIVE_INFINITY;
  const boundaries = [renewMs + heartbeat.lateAfterMs];
  if (observedSince) boundaries.push(observedSince.getTime() + heartbeat.lateAfterMs);
  return Math.min(...boundaries.filter((b) => b >= evaluatedAtMs), Number.POSITIVE_INFINITY);
}
