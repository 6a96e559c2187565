// The process-wide monitor, started once (instrumentation.ts register(), and lazily by routes),
// together with this process's Instance row, its leadership (lib/leader: a Lease with several
// replicas, always the leader with one), the notification worker (woken by the monitor's
// "incidents" event, never awaited by it) and the auto-repair engine (lib/repair/engine.ts), all
// stopped at shutdown. Only the leader records, repairs, notifies and, at its heartbeat,
// reconciles what dead instances left; every replica watches and serves.
import { ApiError } from "@/lib/api/errors";
import { getDb } from "@/lib/db";
import { env } from "@/lib/env";
import { startInstance } from "@/lib/instance/instance";
import { reconcileAtStart, reconcileLocks } from "@/lib/instance/reconcile";
import { ClusterConfigError, loadClusterConfig } from "@/lib/k8s/kubeconfig";
import type { TLeaderElection } from "@/lib/leader/elector";
import { startLeadership } from "@/lib/leader/leadership";
import { startNotifier } from "@/lib/notifications/notifier";
import { remember } from "@/lib/remember";
import { startRepairEngine, type TRepairEngine } from "@/lib/repair/engine";
import { safetySettings } from "@/lib/repair/settings";
import { onShutdown } from "@/lib/shutdown";
import { startMonitor, type TMonitor } from "./monitor";

export type TMonitorState =
  | { monitor: TMonitor; engine: TRepairEngine; leadership: TLeaderElection; error: null }
  | { monitor: null; engine: null; leadership: null; error: ClusterConfigError };

export function ensureMonitorStarted(): TMonitorState {
  return remember<TMonitorState>("monitor", () => {
    const e = env();
    try {
      const connection = loadClusterConfig({ kubeconfig: e.KUBECONFIG, context: e.KUBE_CONTEXT, inClusterHost: e.KUBERNETES_SERVICE_HOST });
      console.log(`[node-rescue] watching ${connection.server} (${connection.source}, context ${connection.context})`);
      const db = getDb();
      // The leader gives attempts and locks of dead instances their "interrupted" outcome and
      // releases them: all of them when it starts leading, then the locks at every heartbeat. With
      // one replica that is before any action runs (actions wait for the first beat).
      const cluster = e.NODE_RESCUE_CLUSTER_NAME;
      let leadership: TLeaderElection | null = null;
      let swept = false;
      const instance = startInstance(
        db,
        async (self) => {
          if (!leadership?.isLeader()) {
            swept = false;
            return;
          }
          const r = swept ? await reconcileLocks(db, cluster, self) : await reconcileAtStart(db, cluster, self);
          swept = true;
          if (r.interrupted || r.released) {
            console.log(
              `[node-rescue] reconciled ${r.interrupted} interrupted remediation(s), released ${r.released} lock(s) of stopped servers`,
            );
          }
        },
        e.NODE_RESCUE_INSTANCE_NAME,
      );
      leadership = startLeadership({ e, kc: connection.kc, db, self: instance.self });
      const isLeader = leadership.isLeader;
      const monitor = startMonitor({
        connection,
        db,
        cluster,
        correlationWindowMs: e.NODE_RESCUE_INCIDENT_WINDOW_SECONDS * 1000,
        leading: isLeader(),
      });
      const notifier = startNotifier({
        db,
        cluster,
        owner: instance.self.id,
        baseUrl: e.NODE_RESCUE_BASE_URL ?? null,
        backoff: { baseMs: e.NODE_RESCUE_NOTIFY_BACKOFF_MS, capMs: e.NODE_RESCUE_NOTIFY_BACKOFF_CAP_MS },
        maxAttempts: e.NODE_RESCUE_NOTIFY_MAX_ATTEMPTS,
        maxAgeMs: e.NODE_RESCUE_NOTIFY_GIVE_UP_SECONDS * 1000,
        timeoutMs: e.NODE_RESCUE_NOTIFY_TIMEOUT_MS,
        isLeader,
      });
      monitor.events.on("incidents", notifier.wake);
      onShutdown(notifier.stop);
      const engine = startRepairEngine({
        db,
        monitor,
        cluster,
        tickMs: e.NODE_RESCUE_REPAIR_TICK_MS,
        settings: safetySettings(e),
        isLeader,
      });
      onShutdown(engine.stop);
      leadership.onChange((leading) => {
        monitor.setLeading(leading);
        if (!leading) return;
        notifier.wake();
        engine.wake();
      });
      // Released at shutdown: the next replica takes over at its next try, not after the Lease expires.
      const election = leadership;
      onShutdown(() => election.stop());
      return { monitor, engine, leadership, error: null };
    } catch (err) {
      if (!(err instanceof ClusterConfigError)) throw err;
      console.error(`[node-rescue] ${err.message}`);
      return { monitor: null, engine: null, leadership: null, error: err };
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
