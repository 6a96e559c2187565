// The monitor: cluster cache -> pure health evaluation -> transitions recorded once in the
// database -> a snapshot published to subscribers (SSE, API). Started once per process.
import { EventEmitter } from "node:events";
import type { V1Node } from "@kubernetes/client-node";
import type { TDb } from "@/lib/db";
import { diffStates, settledTransitions } from "@/lib/health";
import { createClusterEvaluator } from "@/lib/health/evaluate-incremental";
import { startClusterCache } from "@/lib/k8s/cluster-cache";
import type { TClusterConnection } from "@/lib/k8s/kubeconfig";
import { createTransitionRecorder } from "@/lib/transitions/record";
import { watchEventLoopDelay } from "./event-loop";
import type { TSnapshot } from "./snapshot";

/** Coalesce bursts of watch events; re-evaluate at least this often so ages and countdowns move. */
const COALESCE_MS = 100;
const TICK_MS = 1_000;

export type TMonitor = ReturnType<typeof startMonitor>;

export function startMonitor(opts: { connection: TClusterConnection; db: TDb; cluster: string; log?: (msg: string) => void }) {
  const log = opts.log ?? ((m: string) => console.log(`[node-rescue] ${m}`));
  const events = new EventEmitter();
  events.setMaxListeners(0);
  const recorder = createTransitionRecorder({ db: opts.db, cluster: opts.cluster });
  const loaded = recorder.load();
  let version = 0;
  let snapshot: TSnapshot | null = null;
  let scheduled: NodeJS.Timeout | undefined;
  let evaluationMs = 0;
  /** The largest batch of transitions committed so far, and the last one: storms are measured here. */
  let largestBatch = { rows: 0, ms: 0, at: "" };
  let lastBatch = { rows: 0, ms: 0, at: "" };
  /** Compares the cache's lists with the last ones it saw and re-judges only what changed. */
  const evaluateHealth = createClusterEvaluator();
  let judged = { nodes: 0, pods: 0 };
  /** The node list `snapshot.nodeObjects` was indexed from (the cache hands out a new one on change). */
  let nodeList: readonly V1Node[] | null = null;
  /** Node states can only change where a verdict was judged again: otherwise there is nothing to diff. */
  let recordNeeded = true;

  const cache = startClusterCache({
    kc: opts.connection.kc,
    // Lease renewals (hundreds a second on a large cluster) only matter for lateness, which the
    // 1 s tick judges anyway: everything else is evaluated as soon as it changes.
    onChange: (kind) => {
      if (kind !== "leases") schedule();
    },
    onConnection: (c) => log(`cluster connection: ${c.status}${c.status === "reconnecting" ? ` (${c.error})` : ""}`),
  });

  /** Under a burst, at most one evaluation per COALESCE_MS or twice the last one's duration. */
  function schedule() {
    scheduled ??= setTimeout(
      () => {
        scheduled = undefined;
        evaluate();
      },
      Math.max(COALESCE_MS, 2 * evaluationMs),
    );
  }

  function evaluate() {
    const started = performance.now();
    const connection = cache.connection();
    const now = new Date();
    let health = snapshot?.health ?? null;
    let healthAt = snapshot?.healthAt ?? null;
    let podsByNode = snapshot?.podsByNode ?? new Map();
    let nodeObjects = snapshot?.nodeObjects ?? new Map();
    // While disconnected the cache is frozen: evaluating it would turn our blindness into node
    // transitions (every Lease would look late). Keep the last verdict, marked stale, instead.
    if (connection.status === "connected") {
      const nodes = cache.list("nodes");
      const result = evaluateHealth({
        nodes,
        leases: cache.list("leases"),
        pods: cache.list("pods"),
        pvcs: cache.list("pvcs"),
        pvs: cache.list("pvs"),
        volumeAttachments: cache.list("volumeAttachments"),
        workloads: {
          deployments: cache.list("deployments"),
          statefulSets: cache.list("statefulSets"),
          replicaSets: cache.list("replicaSets"),
          daemonSets: cache.list("daemonSets"),
        },
        now,
        observedSince: connection.since,
      });
      judged = { nodes: result.nodesJudged, pods: result.podsJudged };
      health = { summary: result.summary, nodes: result.nodes, stuckPods: result.stuckPods, workloads: result.workloads };
      healthAt = now.toISOString();
      podsByNode = result.podsByNode;
      if (nodes !== nodeList) nodeObjects = new Map(nodes.map((n) => [n.metadata?.name ?? "", n]));
      nodeList = nodes;
      if (recordNeeded || result.nodesJudged > 0 || result.nodeSetChanged) {
        const diffAll = recordNeeded || result.nodeSetChanged;
        recordNeeded = false;
        void recordTransitions(health.nodes, now, diffAll);
      }
    }
    snapshot = {
      version: ++version,
      generatedAt: now.toISOString(),
      cluster: { name: opts.cluster, server: opts.connection.server, source: opts.connection.source, context: opts.connection.context },
      connection,
      policyVersion: cache.policyVersion(),
      health,
      healthAt,
      podsByNode,
      nodeObjects,
    };
    evaluationMs = performance.now() - started;
    events.emit("snapshot", snapshot);
  }

  async function recordTransitions(nodes: NonNullable<TSnapshot["health"]>["nodes"], now: Date, diffAll: boolean) {
    try {
      await loaded;
      const recorded = recorder.lastStates();
      // Most verdicts judged again keep their state (a Lease renewal): then there is nothing to diff.
      if (!diffAll && nodes.every((n) => recorded.get(n.name)?.state === n.state)) return;
      const transitions = settledTransitions({ transitions: diffStates({ previous: recorded, current: nodes, now }), current: nodes });
      if (transitions.length === 0) return;
      const started = performance.now();
      const written = await recorder.record(
        transitions.map((t) => ({
          node: t.node,
          nodeUid: t.uid,
          from: t.from,
          to: t.to,
          reason: t.reason ?? "",
          observedAt: new Date(t.observedAt),
          apiTransitionTime: t.apiTransitionTime ? new Date(t.apiTransitionTime) : null,
        })),
      );
      if (written.length) {
        lastBatch = { rows: written.length, ms: Math.round(performance.now() - started), at: new Date().toISOString() };
        if (lastBatch.rows >= largestBatch.rows) largestBatch = lastBatch;
        events.emit("transitions", written);
      }
    } catch (err) {
      recordNeeded = true;
      log(`recording transitions failed (will retry on the next evaluation): ${err instanceof Error ? err.message : err}`);
    }
  }

  const tick = setInterval(evaluate, TICK_MS);
  const eventLoop = watchEventLoopDelay();
  return {
    kc: opts.connection.kc,
    cache,
    cluster: opts.cluster,
    snapshot: () => snapshot,
    events,
    stats: () => ({
      evaluationMs: Math.round(evaluationMs * 10) / 10,
      judged,
      version,
      lastBatch,
      largestBatch,
      eventLoopDelay: eventLoop.last(),
    }),
    stop: () => {
      clearInterval(tick);
      clearTimeout(scheduled);
      eventLoop.stop();
      cache.stop();
    },
  };
}
