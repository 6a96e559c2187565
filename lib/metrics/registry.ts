// node-rescue's Prometheus metrics (prom-client), one registry per process. Gauges are read at
// scrape time from the monitor's snapshot; counts of what is durable (incidents, actions) come
// from the database, so every replica reports the same totals and a restart resets nothing;
// the incident histograms are fed once per closed incident, in the order they closed; webhook
// figures are counted from the notification outbox.
// Names: prefix node_rescue_, base units (seconds); no per-pod or per-node labels (cardinality).
import client from "prom-client";
import type { TDb } from "@/lib/db";
import { NODE_STATES } from "@/lib/health/states";
import type { TMonitor } from "@/lib/monitor/monitor";
import { remember } from "@/lib/remember";

/** Database-backed values are re-read at most this often (a scrape every second costs nothing). */
const DB_TTL_MS = 5_000;
const DETECT_BUCKETS = [2, 5, 10, 15, 20, 30, 45, 60, 120, 300, 600];
const RECOVER_BUCKETS = [10, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 86400];

type TSources = { db: TDb; cluster: string; monitor: () => TMonitor | null };
type TDeliveryCount = { format: string; status: string; n: number; failedAttempts: number };

/**
 * Incident deliveries (test sends left out) by format and status, with the attempts that failed:
 * all of a pending or given-up delivery's, all but the last of a delivered one's. Counted from
 * the outbox itself, so replicas agree. An admin's retry resets a delivery's attempts.
 */
async function countDeliveries(db: TDb, cluster: string): Promise<TDeliveryCount[]> {
  const endpoints = await db.notificationEndpoint.findMany({ where: { cluster }, select: { id: true, format: true } });
  if (endpoints.length === 0) return [];
  const groups = await db.notificationDelivery.groupBy({
    by: ["endpointId", "status"],
    where: { endpointId: { in: endpoints.map((e) => e.id) }, eventId: { not: null } },
    _count: { _all: true },
    _sum: { attempts: true },
  });
  const byKey = new Map<string, TDeliveryCount>();
  for (const g of groups) {
    const format = endpoints.find((e) => e.id === g.endpointId)?.format ?? "unknown";
    const key = `${format}/${g.status}`;
    const row = byKey.get(key) ?? { format, status: g.status, n: 0, failedAttempts: 0 };
    const attempts = g._sum.attempts ?? 0;
    row.n += g._count._all;
    row.failedAttempts += g.status === "delivered" ? attempts - g._count._all : attempts;
    byKey.set(key, row);
  }
  return [...byKey.values()];
}

export function createMetrics(sources: TSources) {
  const registry = new client.Registry();
  const { db, cluster } = sources;

  let cachedAt = 0;
  let counts: {
    open: number;
    total: number;
    actions: { action: string; outcome: string; n: number }[];
    deliveries: TDeliveryCount[];
  } | null = null;
  /** The last incident.closed event fed into the histograms. */
  let closedCursor = 0;
  let refreshing: Promise<void> | null = null;

  const ttd = new client.Histogram({
    name: "node_rescue_incident_time_to_detect_seconds",
    help: "Per closed incident: the kubelet's last heartbeat to node-rescue's first sign.",
    buckets: DETECT_BUCKETS,
    registers: [registry],
  });
  const ttr = new client.Histogram({
    name: "node_rescue_incident_time_to_recover_seconds",
    help: "Per closed incident that took a workload down: first sign to every affected workload whole.",
    buckets: RECOVER_BUCKETS,
    registers: [registry],
  });

  async function refresh() {
    const [open, total, actions, deliveries] = await Promise.all([
      db.incident.count({ where: { cluster, closedAt: null } }),
      db.incident.count({ where: { cluster } }),
      db.auditEvent.groupBy({
        by: ["action", "outcome"],
        where: { cluster, phase: "outcome", OR: [{ action: { startsWith: "node." } }, { action: { startsWith: "pods." } }] },
        _count: { _all: true },
      }),
      countDeliveries(db, cluster),
    ]);
    counts = {
      open,
      total,
      actions: actions.map((a) => ({ action: a.action, outcome: a.outcome ?? "unknown", n: a._count._all })),
      deliveries,
    };
    // Histograms: each incident once, when its close is first seen.
    for (;;) {
      const closed = await db.incidentEvent.findMany({
        where: { cluster, type: "incident.closed", id: { gt: closedCursor } },
        orderBy: { id: "asc" },
        take: 1000,
        select: { id: true, incidentId: true },
      });
      if (closed.length === 0) break;
      const ids = closed.map((c) => c.incidentId);
      const [incidents, firsts] = await Promise.all([
        db.incident.findMany({ where: { id: { in: ids } }, select: { id: true, openedAt: true, recoveredAt: true, workloadsHit: true } }),
        db.incidentNode.findMany({
          where: { incidentId: { in: ids } },
          select: { incidentId: true, firstSignAt: true, lastHeartbeatAt: true },
        }),
      ]);
      for (const i of incidents) {
        if (i.recoveredAt && i.workloadsHit > 0) ttr.observe((i.recoveredAt.getTime() - i.openedAt.getTime()) / 1000);
        const first = firsts.filter((m) => m.incidentId === i.id).sort((a, b) => a.firstSignAt.getTime() - b.firstSignAt.getTime())[0];
        if (first?.lastHeartbeatAt) ttd.observe(Math.max(0, first.firstSignAt.getTime() - first.lastHeartbeatAt.getTime()) / 1000);
      }
      closedCursor = closed.at(-1)?.id ?? closedCursor;
    }
    cachedAt = Date.now();
  }
  const fresh = async () => {
    if (counts && Date.now() - cachedAt < DB_TTL_MS) return;
    refreshing ??= refresh().finally(() => {
      refreshing = null;
    });
    await refreshing;
  };

  new client.Gauge({
    name: "node_rescue_nodes",
    help: "Nodes by health state (Ready, HeartbeatLate, NotReady, Unknown).",
    labelNames: ["state"],
    registers: [registry],
    collect() {
      this.reset();
      const byState = sources.monitor()?.snapshot()?.health?.summary.nodes.byState;
      if (!byState) return;
      for (const state of NODE_STATES) if (state !== "Deleted") this.set({ state }, byState[state] ?? 0);
    },
  });
  new client.Gauge({
    name: "node_rescue_stuck_pods",
    help: "Pods on unhealthy nodes (Terminating or about to be), as on the overview.",
    registers: [registry],
    collect() {
      this.set(sources.monitor()?.snapshot()?.health?.summary.stuckPods ?? 0);
    },
  });
  new client.Gauge({
    name: "node_rescue_workloads_impaired",
    help: "Workloads with a pod on an unhealthy node, by service impact (down, degraded).",
    labelNames: ["impact"],
    registers: [registry],
    collect() {
      const workloads = sources.monitor()?.snapshot()?.health?.workloads ?? [];
      for (const impact of ["down", "degraded"] as const) this.set({ impact }, workloads.filter((w) => w.serviceImpact === impact).length);
    },
  });
  new client.Gauge({
    name: "node_rescue_cluster_connected",
    help: "1 while the watch of the API server is connected.",
    registers: [registry],
    collect() {
      this.set(sources.monitor()?.snapshot()?.connection.status === "connected" ? 1 : 0);
    },
  });
  new client.Gauge({
    name: "node_rescue_open_incidents",
    help: "Incidents not closed yet (suspicions included).",
    registers: [registry],
    async collect() {
      await fresh();
      this.set(counts?.open ?? 0);
    },
  });
  new client.Counter({
    name: "node_rescue_incidents_total",
    help: "Incidents ever opened (suspicions included).",
    registers: [registry],
    async collect() {
      await fresh();
      this.reset();
      this.inc(counts?.total ?? 0);
    },
  });
  new client.Counter({
    name: "node_rescue_actions_total",
    help: "Remediation attempts by action and outcome (succeeded, failed, refused, interrupted).",
    labelNames: ["action", "outcome"],
    registers: [registry],
    async collect() {
      await fresh();
      this.reset();
      for (const a of counts?.actions ?? []) this.inc({ action: a.action, outcome: a.outcome }, a.n);
    },
  });
  new client.Counter({
    name: "node_rescue_webhook_deliveries_total",
    help: "Incident notifications that reached an end, by endpoint format and result (delivered, failed = given up, skipped).",
    labelNames: ["format", "result"],
    registers: [registry],
    async collect() {
      await fresh();
      this.reset();
      for (const d of counts?.deliveries ?? []) if (d.status !== "pending") this.inc({ format: d.format, result: d.status }, d.n);
    },
  });
  new client.Gauge({
    name: "node_rescue_webhook_deliveries_pending",
    help: "Incident notifications waiting to be sent or retried, by endpoint format.",
    labelNames: ["format"],
    registers: [registry],
    async collect() {
      await fresh();
      this.reset();
      for (const d of counts?.deliveries ?? []) if (d.status === "pending") this.inc({ format: d.format }, d.n);
    },
  });
  new client.Counter({
    name: "node_rescue_webhook_failed_attempts_total",
    help: "Sends a receiver did not acknowledge (error, timeout or non-2xx), by endpoint format; retries included.",
    labelNames: ["format"],
    registers: [registry],
    async collect() {
      await fresh();
      this.reset();
      for (const d of counts?.deliveries ?? []) this.inc({ format: d.format }, d.failedAttempts);
    },
  });
  new client.Gauge({
    name: "node_rescue_monitor_evaluation_seconds",
    help: "How long the last health evaluation of the cluster took.",
    registers: [registry],
    collect() {
      this.set((sources.monitor()?.stats().evaluationMs ?? 0) / 1000);
    },
  });
  new client.Gauge({
    name: "node_rescue_event_loop_delay_seconds",
    help: "The server's event-loop delay over the last 10 s window, by quantile (1 = the maximum).",
    labelNames: ["quantile"],
    registers: [registry],
    collect() {
      const d = sources.monitor()?.stats().eventLoopDelay;
      if (!d) return;
      this.set({ quantile: "0.5" }, d.p50Ms / 1000);
      this.set({ quantile: "0.99" }, d.p99Ms / 1000);
      this.set({ quantile: "1" }, d.maxMs / 1000);
    },
  });
  client.collectDefaultMetrics({ register: registry, prefix: "node_rescue_" });

  return {
    contentType: registry.contentType,
    /** The text exposition; histograms are brought up to date first. */
    render: async () => {
      await fresh();
      return registry.metrics();
    },
  };
}

/** The process's metrics (kept on globalThis: Next may evaluate this module twice). */
export const processMetrics = (sources: TSources) => remember("metrics", () => createMetrics(sources));
