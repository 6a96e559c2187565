// The monitor: cluster cache -> pure health evaluation -> transitions (and the incidents they
// open, move and close) recorded once in the database -> a snapshot published to subscribers
// (SSE, API). Started once per process. Every replica watches, evaluates and publishes; only the
// leader records (`setLeading`). A follower keeps what it saw (follower-log.ts) and, when it
// takes over, records what the old leader had not, then diffs every node against the database.
import { EventEmitter } from "node:events";
import type { V1Node } from "@kubernetes/client-node";
import type { TDb } from "@/lib/db";
import { diffStates, settledTransitions } from "@/lib/health";
import { createClusterEvaluator } from "@/lib/health/evaluate-incremental";
import type { TNodeFacts } from "@/lib/incidents/plan-node-changes";
import { createIncidentRecorder, type TNodeFactsOf, type TWorkloadInputs } from "@/lib/incidents/recorder";
import { startClusterCache } from "@/lib/k8s/cluster-cache";
import type { TClusterConnection } from "@/lib/k8s/kubeconfig";
import { onNotices } from "@/lib/live/notices";
import { createTransitionRecorder } from "@/lib/transitions/record";
import type { TTransitionInput } from "@/lib/transitions/types";
import { watchEventLoopDelay } from "./event-loop";
import { createFollowerLog, type TObserved } from "./follower-log";
import type { TSnapshot } from "./snapshot";

/** Coalesce bursts of watch events; re-evaluate at least this often so ages and countdowns move. */
const COALESCE_MS = 100;
const TICK_MS = 1_000;
/** Actions are joined to incidents after each audit write, and at least this often (other processes). */
const LINK_ACTIONS_MS = 5_000;
/** A follower looks this often for what the leader recorded, so its pages refresh live too. */
const FOLLOW_POLL_MS = 2_000;

export type TMonitor = ReturnType<typeof startMonitor>;

export function startMonitor(opts: {
  connection: TClusterConnection;
  db: TDb;
  cluster: string;
  log?: (msg: string) => void;
  /** Incidents: nodes going unhealthy within this window of an open incident join it. */
  correlationWindowMs?: number;
  /** Whether this replica records from the start (default true: one replica). */
  leading?: boolean;
}) {
  const log = opts.log ?? ((m: string) => console.log(`[node-rescue] ${m}`));
  const events = new EventEmitter();
  events.setMaxListeners(0);
  const incidents = createIncidentRecorder({ db: opts.db, cluster: opts.cluster, windowMs: opts.correlationWindowMs });
  const recorder = createTransitionRecorder<TNodeFactsOf>({ db: opts.db, cluster: opts.cluster, inTransaction: incidents.inTransaction });
  const follower = createFollowerLog();
  let leading = opts.leading ?? true;
  const loaded = Promise.all([recorder.load(), incidents.load()]).then(([states]) => follower.reset(states));
  /** Workload and stuck-pod facts wait for the node facts of the same evaluation (one chain). */
  let history: Promise<unknown> = loaded.catch((err) => log(`loading recorded state failed: ${err instanceof Error ? err.message : err}`));
  let pendingWorkloads: TWorkloadInputs | null = null;
  let reconciled = false;
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
    let volumeAttachments = snapshot?.volumeAttachments ?? [];
    // While disconnected the cache is frozen: evaluating it would turn our blindness into node
    // transitions (every Lease would look late). Keep the last verdict, marked stale, instead.
    if (connection.status === "connected") {
      const nodes = cache.list("nodes");
      volumeAttachments = cache.list("volumeAttachments");
      const result = evaluateHealth({
        nodes,
        leases: cache.list("leases"),
        pods: cache.list("pods"),
        pvcs: cache.list("pvcs"),
        pvs: cache.list("pvs"),
        volumeAttachments,
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
      const previousObjects = nodeObjects;
      if (nodes !== nodeList) nodeObjects = new Map(nodes.map((n) => [n.metadata?.name ?? "", n]));
      nodeList = nodes;
      if (recordNeeded || result.nodesJudged > 0 || result.nodeSetChanged) {
        const diffAll = recordNeeded || result.nodeSetChanged;
        recordNeeded = false;
        const factsOf = nodeFactsOf({ nodes: health.nodes, objects: nodeObjects, previousObjects });
        const judgedNodes = health.nodes;
        history = history.then(() =>
          leading ? recordTransitions(judgedNodes, now, diffAll, factsOf) : followTransitions(judgedNodes, now, diffAll, factsOf),
        );
      }
      if (leading)
        queueWorkloads({
          impacts: health.workloads,
          stuckPods: health.stuckPods,
          workloads: {
            deployments: cache.list("deployments"),
            statefulSets: cache.list("statefulSets"),
            replicaSets: cache.list("replicaSets"),
            daemonSets: cache.list("daemonSets"),
          },
          pods: cache.list("pods"),
          now,
        });
    }
    snapshot = {
      version: ++version,
      generatedAt: now.toISOString(),
      cluster: { name: opts.cluster, server: opts.connection.server, source: opts.connection.source, context: opts.connection.context },
      connection,
      policyVersions: cache.policyVersions(),
      health,
      healthAt,
      podsByNode,
      nodeObjects,
      volumeAttachments,
    };
    evaluationMs = performance.now() - started;
    events.emit("snapshot", snapshot);
  }

  /** The newest inputs win: under a burst, one workload write runs after the one in flight. */
  function queueWorkloads(inputs: TWorkloadInputs) {
    const idle = pendingWorkloads === null;
    pendingWorkloads = inputs;
    if (!idle) return;
    history = history.then(async () => {
      const next = pendingWorkloads;
      pendingWorkloads = null;
      if (!next || !leading) return;
      try {
        const { changes } = await incidents.recordWorkloads(next);
        if (!reconciled) {
          reconciled = true;
          const closed = await incidents.reconcile(next.now);
          if (closed.length) log(`closed ${closed.length} incident(s) that settled while no one was recording`);
        }
        if (changes) events.emit("incidents");
      } catch (err) {
        log(`recording incident workloads failed (will retry on the next evaluation): ${err instanceof Error ? err.message : err}`);
      }
    });
  }

  let linking: Promise<void> | null = null;
  /** Joins new audit outcomes to the open incidents (the leader); at most one pass at a time. */
  function linkActions() {
    if (!leading) return Promise.resolve();
    linking ??= loaded
      .then(() => incidents.linkActions())
      .then((n) => {
        if (n) events.emit("incidents");
      })
      .catch((err) => log(`linking actions to incidents failed: ${err instanceof Error ? err.message : err}`))
      .finally(() => {
        linking = null;
      });
    return linking;
  }

  /** Transition inputs for what changed between `previous` and the judged nodes. */
  const transitionsOf = (previous: Parameters<typeof diffStates>[0]["previous"], nodes: TJudged, now: Date): TTransitionInput[] =>
    settledTransitions({ transitions: diffStates({ previous, current: nodes, now }), current: nodes }).map((t) => ({
      node: t.node,
      nodeUid: t.uid,
      from: t.from,
      to: t.to,
      reason: t.reason ?? "",
      observedAt: new Date(t.observedAt),
      apiTransitionTime: t.apiTransitionTime ? new Date(t.apiTransitionTime) : null,
    }));

  /** A follower: what the leader should be recording now, kept in case it dies before it does. */
  function followTransitions(nodes: TJudged, now: Date, diffAll: boolean, factsOf: TNodeFactsOf) {
    const seen = follower.states();
    if (!diffAll && nodes.every((n) => seen.get(n.name)?.state === n.state)) return;
    const observed: TObserved[] = transitionsOf(seen, nodes, now).map((input) => ({ input, facts: factsOf(input.node) }));
    follower.observe(observed, now);
  }

  /** Taking over: what this replica saw and the database lacks is recorded first, in order. */
  async function replayFollowerLog() {
    const missed = follower.unrecorded(recorder.lastStates());
    if (missed.length === 0) return follower.clear();
    const facts = new Map(missed.map((o) => [o.input.node, o.facts]));
    const written = await recorder.record(
      missed.map((o) => o.input),
      (node) => facts.get(node) ?? null,
    );
    // Only once committed: a failed replay is tried again before the next recording.
    follower.clear();
    log(`took over recording: ${written.length} transition(s) the previous leader had not recorded`);
    if (written.length) {
      events.emit("transitions", written.length);
      events.emit("incidents");
    }
  }

  /** Starts or stops recording here (the leader election's verdict). */
  function setLeading(next: boolean) {
    if (next === leading) return;
    leading = next;
    if (next) {
      history = history.then(async () => {
        try {
          await recorder.load();
          await incidents.load();
          await replayFollowerLog();
        } catch (err) {
          log(`taking over the recording failed (the next evaluation diffs every node): ${err instanceof Error ? err.message : err}`);
        }
        recordNeeded = true;
        reconciled = false;
        void linkActions();
      });
      schedule();
    } else {
      history = history.then(() => follower.reset(recorder.lastStates()));
    }
  }

  async function recordTransitions(nodes: TJudged, now: Date, diffAll: boolean, factsOf: TNodeFactsOf) {
    try {
      if (follower.size() > 0) await replayFollowerLog();
      const recorded = recorder.lastStates();
      // Most verdicts judged again keep their state (a Lease renewal): then there is nothing to diff.
      if (!diffAll && nodes.every((n) => recorded.get(n.name)?.state === n.state)) return;
      const transitions = transitionsOf(recorded, nodes, now);
      if (transitions.length === 0) return;
      const started = performance.now();
      const written = await recorder.record(transitions, factsOf);
      if (written.length) {
        lastBatch = { rows: written.length, ms: Math.round(performance.now() - started), at: new Date().toISOString() };
        if (lastBatch.rows >= largestBatch.rows) largestBatch = lastBatch;
        events.emit("transitions", written.length);
        events.emit("incidents");
      }
    } catch (err) {
      recordNeeded = true;
      log(`recording transitions failed (will retry on the next evaluation): ${err instanceof Error ? err.message : err}`);
    }
  }

  let leaderHeads: { transitions: number; others: string } | null = null;
  /** A follower's SSE clients learn of the leader's writes from the database (its events stay in its process). */
  async function pollLeaderWrites() {
    if (leading) {
      leaderHeads = null;
      return;
    }
    const [t, w, e] = await Promise.all([
      opts.db.nodeTransition.aggregate({ _max: { id: true } }),
      opts.db.workloadTransition.aggregate({ _max: { id: true } }),
      opts.db.incidentEvent.aggregate({ _max: { id: true } }),
    ]);
    const heads = { transitions: t._max.id ?? 0, others: `${w._max.id ?? 0}|${e._max.id ?? 0}` };
    const before = leaderHeads;
    leaderHeads = heads;
    if (!before) return;
    // Counted, not subtracted: PostgreSQL's ids have gaps (a rolled-back insert keeps its number).
    if (heads.transitions > before.transitions)
      events.emit("transitions", await opts.db.nodeTransition.count({ where: { id: { gt: before.transitions, lte: heads.transitions } } }));
    if (heads.transitions !== before.transitions || heads.others !== before.others) events.emit("incidents");
  }

  const tick = setInterval(evaluate, TICK_MS);
  const linkTick = setInterval(linkActions, LINK_ACTIONS_MS);
  const followTick = setInterval(() => {
    pollLeaderWrites().catch((err) => log(`following the leader's writes failed: ${err instanceof Error ? err.message : err}`));
  }, FOLLOW_POLL_MS);
  const stopNotices = onNotices({ audit: () => void linkActions() });
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
      memoryMiB: memoryMiB(),
      incidents: incidents.tracking(),
    }),
    setLeading,
    leading: () => leading,
    /** Resolves once everything evaluated so far is recorded (tests, shutdown). */
    settled: () => history.then(() => linkActions()),
    stop: () => {
      clearInterval(tick);
      clearInterval(linkTick);
      clearInterval(followTick);
      stopNotices();
      clearTimeout(scheduled);
      eventLoop.stop();
      cache.stop();
    },
  };
}

type TJudged = NonNullable<TSnapshot["health"]>["nodes"];

/** What the incidents keep of a node at its first sign: labels, last heartbeat, age. */
function nodeFactsOf(options: {
  nodes: NonNullable<TSnapshot["health"]>["nodes"];
  objects: ReadonlyMap<string, V1Node>;
  previousObjects: ReadonlyMap<string, V1Node>;
}): TNodeFactsOf {
  const health = new Map(options.nodes.map((n) => [n.name, n]));
  return (name: string): TNodeFacts | null => {
    const object = options.objects.get(name) ?? options.previousObjects.get(name);
    if (!object) return null;
    const renew = health.get(name)?.heartbeat.leaseRenewTime;
    const created = object.metadata?.creationTimestamp;
    return {
      labels: { ...(object.metadata?.labels ?? {}) },
      lastHeartbeatAt: renew ? new Date(renew) : null,
      createdAt: created ? new Date(created) : null,
    };
  };
}

/** Where this process's memory is (MiB): the JS heap, and Buffers outside it. */
function memoryMiB() {
  const m = process.memoryUsage();
  const mib = (b: number) => Math.round(b / 2 ** 20);
  return {
    rss: mib(m.rss),
    heapUsed: mib(m.heapUsed),
    heapTotal: mib(m.heapTotal),
    external: mib(m.external),
    arrayBuffers: mib(m.arrayBuffers),
  };
}
