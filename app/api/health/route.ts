import { apiRoute, liveJson } from "@/lib/api/route";
import { ensureMonitorStarted } from "@/lib/monitor/instance";
import { viewConnection } from "@/lib/views/nodes";

export const dynamic = "force-dynamic";

/** Process liveness (always 200 while serving) and whether the cluster watch is connected. */
export const GET = apiRoute(() => {
  const state = ensureMonitorStarted();
  if (state.error) return liveJson({ ok: true, cluster: { connected: false, status: "unconfigured", error: state.error.message } });
  const snapshot = state.monitor.snapshot();
  const connection = snapshot ? viewConnection(snapshot) : { status: "connecting" as const };
  return liveJson({
    ok: true,
    cluster: { connected: connection.status === "connected", ...connection, name: snapshot?.cluster.name },
    monitor: state.monitor.stats(),
  });
});
