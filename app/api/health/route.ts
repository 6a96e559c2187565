import { handleApiError } from "@/lib/api/errors";
import { liveJson } from "@/lib/api/route";
import { authenticate } from "@/lib/auth/guard";
import { can } from "@/lib/auth/permissions";
import { ensureMonitorStarted } from "@/lib/monitor/instance";
import { viewConnection } from "@/lib/views/nodes";

export const dynamic = "force-dynamic";

/**
 * Process liveness (always 200 while serving) and whether the cluster watch is connected.
 *
 * Public on purpose: Kubernetes probes and load balancers call it without credentials. Without
 * a session or token it answers only `{ ok, cluster: { connected, status } }`; the details
 * (cluster name, where its credentials come from, API server version, last error, monitor
 * statistics, whether this replica leads
 * and who holds the leader Lease) need `cluster.read`.
 * (A plain handler, not apiRoute, because apiRoute always requires a permission.)
 */
export async function GET(req: Request) {
  try {
    const actor = await authenticate(req);
    const full = actor !== null && can(actor.role, "cluster.read");
    const state = ensureMonitorStarted();
    if (state.error) {
      const cluster = { connected: false, status: "unconfigured" as const };
      return liveJson({ ok: true, cluster: full ? { ...cluster, error: state.error.message } : cluster });
    }
    const snapshot = state.monitor.snapshot();
    const connection = snapshot ? viewConnection(snapshot) : { status: "connecting" as const };
    const connected = connection.status === "connected";
    if (!full) return liveJson({ ok: true, cluster: { connected, status: connection.status } });
    return liveJson({
      ok: true,
      cluster: { connected, ...connection, name: snapshot?.cluster.name, source: snapshot?.cluster.source },
      leader: state.leadership.isLeader(),
      leadership: state.leadership.status(),
      monitor: state.monitor.stats(),
    });
  } catch (err) {
    return handleApiError(err);
  }
}
