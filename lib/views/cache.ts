// JSON bodies of the live views, shared by every client. At 5,000 nodes Lease renewals make a
// new snapshot about ten times a second, and /api/nodes is 2.5 MB: building it per snapshot made
// every request allocate and serialize it again. A body is kept while what the view must show at
// once (the snapshot's fingerprint: states, cordons, taints, pods, stuck pods, connection) is
// unchanged and it is younger than a second; heartbeat times and durations then move at 1 Hz,
// the pace at which the monitor re-judges lateness anyway.
import type { TSnapshot } from "@/lib/monitor/snapshot";
import { fingerprintOf } from "./fingerprint";

export const BODY_MAX_AGE_MS = 1_000;

const encoder = new TextEncoder();
const bodies = new Map<string, { fingerprint: string; builtAtMs: number; body: Uint8Array<ArrayBuffer> }>();

/** The UTF-8 JSON body of `view` for this snapshot, made by `serialize` only when needed. */
export function liveJsonBody(snapshot: TSnapshot, view: string, serialize: () => string): Uint8Array<ArrayBuffer> {
  const fingerprint = fingerprintOf(snapshot);
  const nowMs = Date.now();
  const kept = bodies.get(view);
  if (kept && kept.fingerprint === fingerprint && nowMs - kept.builtAtMs < BODY_MAX_AGE_MS) return kept.body;
  const body = encoder.encode(serialize());
  bodies.set(view, { fingerprint, builtAtMs: nowMs, body });
  return body;
}
