import { setTimeout as sleep } from "node:timers/promises";

/** Polls `probe` until it returns a non-null value; fails the test naming what it waited for. */
export async function waitUntil<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 120_000, everyMs = 250) {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== null && value !== undefined && value !== false) return value as T;
    } catch (err) {
      lastError = err;
    }
    await sleep(everyMs);
  }
  throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ""}`);
}

/** A stopwatch printing each step's time since start, as the lab self-test reports them. */
export function stopwatch(label: string) {
  let t0 = Date.now();
  return {
    reset: () => {
      t0 = Date.now();
    },
    lap: (step: string) => {
      const s = (Date.now() - t0) / 1000;
      console.log(`[${label} +${s.toFixed(1)}s] ${step}`);
      return s;
    },
  };
}
