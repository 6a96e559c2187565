// The process-wide monitor, started once (instrumentation.ts register(), and lazily by routes),
// together with this process's Instance row, whose heartbeat reconciles what dead instances left.
import { ApiError } from "@/lib/api/errors";
import { getDb } from "@/lib/db";
import { env } from "@/lib/env";
import { startInstance } from "@/lib/instance/instance";
import { reconcileAtStart, reconcileLocks } from "@/lib/instance/reconcile";
import { ClusterConfigError, loadClusterConfig } from "@/lib/k8s/kubeconfig";
import { remember } from "@/lib/remember";
import { startMonitor, type TMonitor } from "./monitor";

export type TMonitorState = { monitor: TMonitor; error: null } | { monitor: null; error: ClusterConfigError };

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
      startInstance(db, async (self) => {
        const r = first ? await reconcileAtStart(db, cluster, self) : await reconcileLocks(db, cluster, self);
        first = false;
        if (r.interrupted || r.released) {
          console.log(
            `[node-rescue] reconciled ${r.interrupted} interrupted remediation(s), released ${r.released} lock(s) of stopped servers`,
          );
        }
      });
      return {
        monitor: startMonitor({ connection, db, cluster, correlationWindowMs: e.NODE_RESCUE_INCIDENT_WINDOW_SECONDS * 1000 }),
        error: null,
      };
    } catch (err) {
      if (!(err instanceof ClusterConfigError)) throw err;
      console.error(`[node-rescue] ${err.message}`);
      return { monitor: null, error: err };
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

/** The running monitor, or a 503 when no cluster is configured. */
export function requireMonitor() {
  const state = ensureMonitorStarted();
  if (state.error) throw new ApiError("unavailable", state.error.message);
  return state.monitor;
}
