// The incident recorder: the monitor hands it each evaluation, and it keeps incidents durable with
// the same guarantees as transitions.
// - Node facts are applied inside the transaction that inserts the node's transitions
//   (`inTransaction`, called by lib/transitions/record.ts), so a transition and its effect on an
//   incident commit together or not at all.
// - Workload and stuck-pod facts are written by `recordWorkloads`, in a transaction of their own
//   with the WorkloadTransition rows they come from (unique per workload and seq).
// - `load()` (start-up) reads back what the open incidents follow; `reconcile()` closes any that
//   settled while no one was recording. Actions are joined from the audit log (link-actions.ts).
import type { V1Pod } from "@kubernetes/client-node";
import { Prisma } from "@/generated/prisma/client";
import type { TDb } from "@/lib/db";
import type { TStuckPod } from "@/lib/health/evaluate-pod";
import type { TWorkloadImpact, TWorkloadObjects } from "@/lib/health/workload-impact";
import type { TStoredTransition } from "@/lib/transitions/types";
import { applyNodePlan } from "./apply-node-plan";
import { closeSettledIncidents } from "./close-incidents";
import { insertIncidentEvents } from "./insert-events";
import { linkActions } from "./link-actions";
import { loadOpenIncidents } from "./load-open";
import { planNodeChanges, type TNodeFacts } from "./plan-node-changes";
import { planWorkloadChanges, type TTrackedWorkload } from "./plan-workload-changes";
import { planStuckPods, type TTrackedPod } from "./track-stuck-pods";
import { DEFAULT_CORRELATION_WINDOW_MS, type TWorkloadState, workloadKey, ZWorkloadState } from "./types";
import { readWorkloadState } from "./workload-state";
import { writeStuckPods, writeWorkloadChanges } from "./write-workloads";

export type TIncidentRecorder = ReturnType<typeof createIncidentRecorder>;
export type TNodeFactsOf = (node: string) => TNodeFacts | null;

export type TWorkloadInputs = {
  impacts: readonly TWorkloadImpact[];
  stuckPods: readonly TStuckPod[];
  workloads: TWorkloadObjects;
  pods: readonly V1Pod[];
  now: Date;
};

export function createIncidentRecorder(options: { db: TDb; cluster: string; windowMs?: number }) {
  const { db, cluster } = options;
  const windowMs = options.windowMs ?? DEFAULT_CORRELATION_WINDOW_MS;
  let tracked = new Map<string, TTrackedWorkload>();
  let trackedPods = new Map<string, TTrackedPod>();
  /** Last recorded state and seq per workload key (WorkloadTransition). */
  let lastRecorded = new Map<string, { state: TWorkloadState; seq: number }>();
  /** Node → open incident; reloaded after a node transaction changed membership. */
  let incidentOfNode = new Map<string, number>();
  let membersStale = true;

  const refreshMembers = async () => {
    const rows = await db.incidentNode.findMany({
      where: { cluster, incidentId: { in: (await openIds()).map((i) => i.id) } },
      select: { node: true, incidentId: true },
    });
    incidentOfNode = new Map(rows.map((r) => [r.node, r.incidentId]));
    membersStale = false;
  };
  const openIds = () => db.incident.findMany({ where: { cluster, closedAt: null }, select: { id: true } });

  /** Reads back what the open incidents follow (at start, and after a failed write). */
  const load = async () => {
    const open = (await openIds()).map((i) => i.id);
    const [workloads, pods, last] = await Promise.all([
      db.incidentWorkload.findMany({ where: { incidentId: { in: open } } }),
      db.incidentPod.findMany({ where: { incidentId: { in: open }, goneAt: null } }),
      loadLastWorkloadStates(db, cluster),
    ]);
    tracked = new Map(
      workloads.map((w) => {
        const ref = { kind: w.kind, namespace: w.namespace, name: w.name };
        return [workloadKey(ref), { incidentId: w.incidentId, ref, state: ZWorkloadState.parse(w.state) }];
      }),
    );
    trackedPods = new Map(
      pods.map((p) => [
        p.podKey,
        { incidentId: p.incidentId, podKey: p.podKey, namespace: p.namespace, name: p.name, uid: p.podKey.includes("/") ? null : p.podKey },
      ]),
    );
    lastRecorded = last;
    await refreshMembers();
  };

  /** Applies recorded node transitions to the incidents, inside their transaction. */
  const inTransaction = async (tx: Prisma.TransactionClient, rows: readonly TStoredTransition[], factsOf: TNodeFactsOf) => {
    if (rows.length === 0) return;
    const open = await loadOpenIncidents(tx, cluster);
    const plan = planNodeChanges({ open, rows, windowMs, factsOf });
    if (plan.touched.size === 0 && plan.returned.length === 0) return;
    const touched = await applyNodePlan(tx, cluster, plan);
    const at = new Date(Math.max(...rows.map((r) => r.observedAt.getTime())));
    await closeSettledIncidents(tx, cluster, touched, at);
    membersStale = true;
  };

  /** Records the changes of the workloads and stuck pods the open incidents follow. */
  const recordWorkloads = async (inputs: TWorkloadInputs) => {
    if (membersStale) await refreshMembers();
    if (incidentOfNode.size === 0 && tracked.size === 0 && trackedPods.size === 0) return { changes: 0 };
    const plan = planWorkloadChanges({
      tracked,
      lastRecorded: new Map([...lastRecorded].map(([k, v]) => [k, v.state])),
      impacts: inputs.impacts,
      incidentOfNode,
      read: (ref) => readWorkloadState({ ref, workloads: inputs.workloads, pods: inputs.pods }),
      now: inputs.now,
    });
    const pods = planStuckPods({ tracked: trackedPods, stuckPods: inputs.stuckPods, pods: inputs.pods, incidentOfNode });
    const newTracked = new Map(tracked);
    for (const c of plan.changes) newTracked.set(workloadKey(c.ref), { incidentId: c.incidentId, ref: c.ref, state: c.reading.state });
    for (const key of plan.untrack) newTracked.delete(key);
    if (plan.changes.length === 0 && pods.started.length === 0 && pods.gone.length === 0) {
      tracked = newTracked;
      return { changes: 0 };
    }
    const nextLast = new Map(lastRecorded);
    const now = inputs.now;
    try {
      await db.$transaction(
        async (tx) => {
          const touched = new Set<number>([...plan.changes.map((c) => c.incidentId), ...pods.started.map((p) => p.incidentId)]);
          const rows = plan.changes.map((c) => {
            const key = workloadKey(c.ref);
            const last = nextLast.get(key);
            if (last?.state === c.reading.state) return { ...c, seq: null };
            const seq = (last?.seq ?? 0) + 1;
            nextLast.set(key, { state: c.reading.state, seq });
            return { ...c, lastRecorded: last?.state ?? null, seq };
          });
          await writeWorkloadChanges(tx, cluster, rows, now);
          await writeStuckPods(tx, pods.started, pods.gone, now);
          for (const id of touched) {
            const [count, hit] = await Promise.all([
              tx.incidentWorkload.count({ where: { incidentId: id } }),
              tx.incidentWorkload.count({ where: { incidentId: id, firstDegradedAt: { not: null } } }),
            ]);
            await tx.incident.update({ where: { id }, data: { workloadCount: count, workloadsHit: hit } });
          }
          await insertIncidentEvents(tx, cluster, plan.events);
          await closeSettledIncidents(tx, cluster, [...touched], now);
        },
        { maxWait: 10_000, timeout: 60_000 },
      );
    } catch (err) {
      // Another writer, or a failed statement: read the stored truth back and try again next time.
      await load().catch(() => undefined);
      throw err;
    }
    tracked = newTracked;
    lastRecorded = nextLast;
    const nextPods = new Map(trackedPods);
    for (const p of pods.started) nextPods.set(p.podKey, p);
    for (const p of pods.gone) nextPods.delete(p.podKey);
    trackedPods = nextPods;
    membersStale = true;
    return { changes: plan.changes.length + pods.started.length + pods.gone.length };
  };

  /** Joins new audit outcomes to the open incidents. */
  /** Joins new audit outcomes; closes what an outcome was the last fact of (an action in flight defers a close). */
  const link = async () => {
    const { linked, closed } = await db.$transaction(async (tx) => {
      const linked = await linkActions(tx, cluster);
      const open = (await tx.incident.findMany({ where: { cluster, closedAt: null }, select: { id: true } })).map((i) => i.id);
      return { linked, closed: open.length ? await closeSettledIncidents(tx, cluster, open, new Date()) : [] };
    });
    if (closed.length) membersStale = true;
    return linked + closed.length;
  };

  /** Closes open incidents that settled while nothing was recorded (start-up). */
  const reconcile = async (now: Date) => {
    const ids = (await openIds()).map((i) => i.id);
    if (ids.length === 0) return [];
    const closed = await db.$transaction((tx) => closeSettledIncidents(tx, cluster, ids, now));
    if (closed.length) membersStale = true;
    return closed;
  };

  return {
    load,
    inTransaction,
    recordWorkloads,
    linkActions: link,
    reconcile,
    tracking: () => ({ workloads: tracked.size, pods: trackedPods.size }),
  };
}

/** The last WorkloadTransition (highest seq) of every workload of the cluster. */
async function loadLastWorkloadStates(db: TDb, cluster: string) {
  const rows = await db.$queryRaw<{ kind: string; namespace: string; name: string; seq: unknown; toState: string }[]>(Prisma.sql`
    SELECT t."kind", t."namespace", t."name", t."seq", t."toState"
    FROM "WorkloadTransition" t
    JOIN (
      SELECT "kind", "namespace", "name", MAX("seq") AS "maxSeq" FROM "WorkloadTransition" WHERE "cluster" = ${cluster}
      GROUP BY "kind", "namespace", "name"
    ) m ON t."kind" = m."kind" AND t."namespace" = m."namespace" AND t."name" = m."name" AND t."seq" = m."maxSeq"
    WHERE t."cluster" = ${cluster}
  `);
  return new Map(rows.map((r) => [workloadKey(r), { state: ZWorkloadState.parse(r.toState), seq: Number(r.seq) }]));
}
