// The process-wide monitor, started once (instrumentation.ts register(), and lazily by routes).
import { ApiError } from "@/lib/api/errors";
import { reconcileInterrupted } from "@/lib/audit/write";
import { getDb } from "@/lib/db";
import { env } from "@/lib/env";
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
      // Attempts a crash cut short get their "interrupted" outcome before anything new runs.
      void reconcileInterrupted(db, e.NODE_RESCUE_CLUSTER_NAME)
        .then((n) => n && console.log(`[node-rescue] ${n} interrupted remediation(s) reconciled in the audit log`))
        .catch((err: unknown) => console.error("[node-rescue] audit reconciliation failed", err));
      return { monitor: startMonitor({ connection, db, cluster: e.NODE_RESCUE_CLUSTER_NAME }), error: null };
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
