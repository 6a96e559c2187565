// The process-wide monitor, started once (instrumentation.ts register(), and lazily by routes),
// together with this process's Instance row, whose heartbeat reconciles what dead instances left,
// the notification worker (woken by the monitor's "incidents" event, never awaited by it) and the
// auto-repair engine (lib/repair/engine.ts), both stopped at shutdown.
import { ApiError } from "@/lib/api/errors";
import { getDb } from "@/lib/db";
import { env } from "@/lib/env";
import { startInstance } from "@/lib/instance/instance";
import { reconcileAtStart, reconcileLocks } from "@/lib/instance/reconcile";
import { ClusterConfigError, loadClusterConfig } from "@/lib/k8s/kubeconfig";
import { startNotifier } from "@/lib/notifications/notifier";
import { remember } from "@/lib/remember";
import { startRepairEngine, type TRepairEngine } from "@/lib/repair/engine";
import { safetySettings } from "@/lib/repair/settings";
import { onShutdown } from "@/lib/shutdown";
import { startMonitor, type TMonitor } from "./monitor";

export type TMonitorState =
  | { monitor: TMonitor; engine: TRepairEngine; error: null }
  | { monitor: null; engine: null; error: ClusterConfigError };

export function ensureMonitorStarted(): TMonitorState {
  return remember<TMonitorState>("monitor", () => {
    const e = env();
    try {
      const connection = loadClusterConfig({ kubeconfig: e.KUBECONFIG, context: e.KUBE_CONTEXT, inClusterHost: e.KUBERNETES_SERVICE_HOST });
      console.log(`[node-rescue] watching ${connection.server} (${connection.source}, context ${connection.context})`);
      const db = getDb();
      // Attempts and locks of dead instances get their "interrupted" outcome and are released:
      // once before any action runs (actions wait for it), then at every heartbeat.
      const cluster = e.NODE_RESCUE_CLUSTER_NAME;
      let first = true;
      const instance = startInstance(db, async (self) => {
        const r = first ? await reconcileAtStart(db, cluster, self) : await reconcileLocks(db, cluster, self);
        first = false;
        if (r.interrupted || r.released) {
          console.log(
            `[node-rescue] reconciled ${r.interrupted} interrupted remediation(s), released ${r.released} lock(s) of stopped servers`,
          );
        }
      });
      const monitor = startMonitor({ connection, db, cluster, correlationWindowMs: e.NODE_RESCUE_INCIDENT_WINDOW_SECONDS * 1000 });
      // One replica today, so this process is the leader; with several, pass isLeader.
      const notifier = startNotifier({
        db,
        cluster,
        owner: instance.self.id,
        baseUrl: e.NODE_RESCUE_BASE_URL ?? null,
        backoff: { baseMs: e.NODE_RESCUE_NOTIFY_BACKOFF_MS, capMs: e.NODE_RESCUE_NOTIFY_BACKOFF_CAP_MS },
        maxAttempts: e.NODE_RESCUE_NOTIFY_MAX_ATTEMPTS,
        maxAgeMs: e.NODE_RESCUE_NOTIFY_GIVE_UP_SECONDS * 1000,
        timeoutMs: e.NODE_RESCUE_NOTIFY_TIMEOUT_MS,
      });
      monitor.events.on("incidents", notifier.wake);
      onShutdown(notifier.stop);
      const engine = startRepairEngine({
        db,
        monitor,
        cluster,
        tickMs: e.NODE_RESCUE_REPAIR_TICK_MS,
        settings: safetySettings(e),
      });
      onShutdown(engine.stop);
      return { monitor, engine, error: null };
    } catch (err) {
      if (!(err instanceof ClusterConfigError)) throw err;
      console.error(`[node-rescue] ${err.message}`);
      return { monitor: null, engine: null, error: err };
    }
  });
}

/** The latest snapshot, or a 503 that says why there is none (no cluster configured, or still connecting). */
export function requireSnapshot() {
  const state = ensureMonitorStarted();
  if (state.error) throw new ApiError("unavailable", state.error.message);
  const snapshot = state.monitor.snapshot();
  if (!snapshot) throw new ApiError("unavailable", "connecting to the cluster: no data yet");
  return snapshot;
}

/** The latest snapshot, or null (no cluster configured, or no data yet): for views that do without. */
export function latestSnapshot() {
  return ensureMonitorStarted().monitor?.snapshot() ?? null;
}

/** The running monitor, or a 503 when no cluster is configured. */
export function requireMonitor() {
  const state = ensureMonitorStarted();
  if (state.error) throw new ApiError("unavailable", state.error.message);
  return state.monitor;
}
