// Server-sent events: a "changed" event whenever what the dashboard shows changes (a node's
// state, the stuck pods, the connection). Clients refetch the JSON views on it. Three narrower
// events name what changed outside the snapshot: `transitions` (rows committed, after the
// "changed" that showed the new state), `audit` (a row written) and `progress` (data: the node
// whose running action reported; a drain reports pod after pod) and `incidents` (the incident
// recorder committed a change: an incident opened, a member, workload, pod or action joined, one
// closed) and `repair` (auto-repair recorded a decision). At most MAX_STREAMS_PER_ACTOR streams per user or token at once (429 beyond).

import { ApiError, handleApiError } from "@/lib/api/errors";
import { requirePermission } from "@/lib/auth/guard";
import { MAX_STREAMS_PER_ACTOR, takeStreamSlot } from "@/lib/http/stream-slots";
import { coalesceByKey } from "@/lib/live/coalesce";
import { onNotices } from "@/lib/live/notices";
import { ensureMonitorStarted } from "@/lib/monitor/instance";
import type { TSnapshot } from "@/lib/monitor/snapshot";
import { visibleVersionOf } from "@/lib/views/visible-version";

export const dynamic = "force-dynamic";

const KEEPALIVE_MS = 15_000;
/** Per stream, at most one `audit`, one `incidents`, one `repair` and one `progress` per node in this window (the last one always goes out). */
const NOTICE_WINDOW_MS = 250;
/** Coalescing keys besides node names, which are never empty and never contain a space. */
const AUDIT_KEY = "";
const INCIDENTS_KEY = " incidents";
const REPAIR_KEY = " repair";

export async function GET(req: Request) {
  // Checked once, before streaming: a stream that has started cannot turn into a 401.
  let actor: Awaited<ReturnType<typeof requirePermission>>;
  try {
    actor = await requirePermission(req, "cluster.read");
  } catch (err) {
    return handleApiError(err);
  }
  const state = ensureMonitorStarted();
  if (state.error) return handleApiError(new ApiError("unavailable", state.error.message));
  const { monitor } = state;
  const release = takeStreamSlot(`${actor.kind}:${actor.id}`);
  if (!release) {
    return handleApiError(
      new ApiError("rate_limited", `at most ${MAX_STREAMS_PER_ACTOR} event streams at once per user or token`, { retryAfterSeconds: 5 }),
    );
  }
  const encoder = new TextEncoder();
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let last = 0;
      const send = (event: string, data: unknown) => {
        try {
          controller.enqueue(encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
        } catch {
          cleanup(); // the stream is closed: stop listening instead of throwing into the emitter
        }
      };
      const onSnapshot = (s: TSnapshot) => {
        const shown = visibleVersionOf(s);
        if (shown === last) return;
        last = shown;
        send("changed", { version: s.version, generatedAt: s.generatedAt, connection: s.connection.status });
      };
      const current = monitor.snapshot();
      if (current) onSnapshot(current);
      monitor.events.on("snapshot", onSnapshot);
      const onTransitions = (count: number) => send("transitions", { count });
      monitor.events.on("transitions", onTransitions);
      const notices = coalesceByKey((key) => {
        if (key === AUDIT_KEY) send("audit", {});
        else if (key === INCIDENTS_KEY) send("incidents", {});
        else if (key === REPAIR_KEY) send("repair", {});
        else send("progress", { node: key });
      }, NOTICE_WINDOW_MS);
      const offNotices = onNotices({
        progress: (node) => notices.call(node),
        audit: () => notices.call(AUDIT_KEY),
        repair: () => notices.call(REPAIR_KEY),
      });
      const onIncidents = () => notices.call(INCIDENTS_KEY);
      monitor.events.on("incidents", onIncidents);
      const keepalive = setInterval(() => controller.enqueue(encoder.encode(": keepalive\n\n")), KEEPALIVE_MS);
      cleanup = () => {
        release();
        clearInterval(keepalive);
        monitor.events.off("snapshot", onSnapshot);
        monitor.events.off("transitions", onTransitions);
        monitor.events.off("incidents", onIncidents);
        offNotices();
        notices.cancel();
      };
      req.signal.addEventListener("abort", () => {
        cleanup();
        try {
          controller.close();
        } catch {
          // already closed by the client going away
        }
      });
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(stream, {
    headers: {
      "Content-Type": "text/event-stream",
      "Cache-Control": "no-cache, no-transform",
      Connection: "keep-alive",
      "X-Accel-Buffering": "no",
    },
  });
}
