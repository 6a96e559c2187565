// When to try a failed delivery again: exponential backoff with "equal jitter" (half the delay
// fixed, half random), so receivers that fail together are not hit again in lockstep. Pure.

export type TBackoff = { baseMs: number; capMs: number };

/** Delay after the `attempts`-th failed attempt (1, 2, …): base·2^(attempts−1), capped, jittered into [d/2, d]. */
export function backoffDelayMs(attempts: number, { baseMs, capMs }: TBackoff, random: () => number = Math.random): number {
  const exp = Math.min(capMs, baseMs * 2 ** Math.max(0, Math.min(attempts - 1, 40)));
  return Math.round(exp / 2 + random() * (exp / 2));
}

/**
 * A receiver's Retry-After (seconds or an HTTP date) as a delay, bounded by the cap; null when
 * absent or unreadable.
 */
export function retryAfterMs(header: string | null, now: Date, capMs: number): number | null {
  if (!header) return null;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - now.getTime();
  if (!Number.isFinite(ms) || ms < 0) return null;
  return Math.min(capMs, ms);
}

/** Whether a delivery that has failed `attempts` times since `createdAt` (or an admin's retry) is given up. */
export function givenUp(opts: { attempts: number; createdAt: Date; now: Date; maxAttempts: number; maxAgeMs: number }): boolean {
  return opts.attempts >= opts.maxAttempts || opts.now.getTime() - opts.createdAt.getTime() >= opts.maxAgeMs;
}
