// JSON bodies of the live views, shared by every client. At 5,000 nodes Lease renewals make a
// new snapshot about ten times a second, and /api/nodes is 2.5 MB: building it per snapshot made
// every request allocate and serialize it again. A body is kept while what the view must show at
// once (the snapshot's visible version: states, cordons, taints, pods, stuck pods, connection) is
// unchanged and it is younger than a second; heartbeat times and durations then move at 1 Hz,
// the pace at which the monitor re-judges lateness anyway.
import type { TSnapshot } from "@/lib/monitor/snapshot";
import { remember } from "@/lib/remember";
import { visibleVersionOf } from "./visible-version";

export const BODY_MAX_AGE_MS = 1_000;

/** By cluster and view; one per process (remember()), however many copies of this module Next.js loads. */
const bodies = () =>
  remember("views:bodies", () => new Map<string, { visibleVersion: number; builtAtMs: number; body: Uint8Array<ArrayBuffer> }>());

/** The UTF-8 JSON body of `view` for this snapshot, made by `serialize` only when needed. */
export function liveJsonBody(snapshot: TSnapshot, view: string, serialize: () => Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  const visibleVersion = visibleVersionOf(snapshot);
  const nowMs = Date.now();
  const key = `${snapshot.cluster.name}/${view}`;
  const kept = bodies().get(key);
  if (kept && kept.visibleVersion === visibleVersion && nowMs - kept.builtAtMs < BODY_MAX_AGE_MS) return kept.body;
  const body = serialize();
  bodies().set(key, { visibleVersion, builtAtMs: nowMs, body });
  return body;
}

const CHUNK_BYTES = 256 * 1024;

/**
 * A response that sends a shared body without copying it. `new Response(bytes)` copies its
 * argument (2.5 MB per request at 5,000 nodes: a third of the request's CPU); a plain (not
 * byte) stream hands out views of the shared bytes instead, and nothing downstream transfers
 * them. The body must never be modified afterwards: liveJsonBody never does.
 */
export function sharedBodyResponse(body: Uint8Array<ArrayBuffer>, headers: Record<string, string>): Response {
  let offset = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      controller.enqueue(body.subarray(offset, offset + CHUNK_BYTES));
      offset += CHUNK_BYTES;
      if (offset >= body.byteLength) controller.close();
    },
  });
  return new Response(body.byteLength === 0 ? null : stream, {
    headers: { ...headers, "Content-Length": String(body.byteLength) },
  });
}
