// What one evaluation does to the workloads the open incidents track: pure. A workload is tracked
// from the moment it has a pod on a member node until it is whole (or gone) and has no pod on an
// unhealthy node any more; every change of its state in between is a WorkloadTransition.
import type { TWorkloadImpact } from "@/lib/health/workload-impact";
import { type TIncidentEventDraft, type TWorkloadRef, type TWorkloadState, workloadKey } from "./types";
import { TRACKED_KINDS, type TWorkloadReading } from "./workload-state";

/** Workloads named in one event (the count says how many there were). */
export const EVENT_LIST_MAX = 50;

export type TTrackedWorkload = { incidentId: number; ref: TWorkloadRef; state: TWorkloadState | null };

export type TWorkloadChange = {
  incidentId: number;
  ref: TWorkloadRef;
  /** The state this incident knew (null: newly affected). */
  previous: TWorkloadState | null;
  reading: TWorkloadReading;
  /** The workload's last recorded state anywhere (the WorkloadTransition row's fromState). */
  lastRecorded: TWorkloadState | null;
};

export type TWorkloadPlan = {
  changes: TWorkloadChange[];
  events: { incidentId: number; event: TIncidentEventDraft }[];
  /** Keys no longer worth watching: whole or gone, with no pod left on an unhealthy node. */
  untrack: string[];
};

export function planWorkloadChanges(options: {
  tracked: ReadonlyMap<string, TTrackedWorkload>;
  /** Last recorded state per workload key (any incident). */
  lastRecorded: ReadonlyMap<string, TWorkloadState>;
  impacts: readonly TWorkloadImpact[];
  /** Node → the open incident it is a member of. */
  incidentOfNode: ReadonlyMap<string, number>;
  read: (ref: TWorkloadRef) => TWorkloadReading;
  now: Date;
}): TWorkloadPlan {
  const tracked = new Map(options.tracked);
  const impacted = new Set<string>();
  for (const impact of options.impacts) {
    if (!TRACKED_KINDS.has(impact.kind)) continue;
    const ref = { kind: impact.kind, namespace: impact.namespace, name: impact.name };
    const key = workloadKey(ref);
    impacted.add(key);
    if (tracked.has(key)) continue;
    const incidentId = impact.unhealthyNodes.map((n) => options.incidentOfNode.get(n)).find((id) => id !== undefined);
    // Its node's transition is not recorded yet: the next evaluation picks it up.
    if (incidentId === undefined) continue;
    tracked.set(key, { incidentId, ref, state: null });
  }

  const plan: TWorkloadPlan = { changes: [], events: [], untrack: [] };
  /** Workloads whole again in this evaluation, per incident: one event each (a storm's recovery is not 30,000 pages). */
  const recovered = new Map<number, (TWorkloadRef & { desired: number | null; ready: number | null })[]>();
  for (const [key, entry] of tracked) {
    const reading = options.read(entry.ref);
    if (reading.state !== entry.state) {
      plan.changes.push({
        incidentId: entry.incidentId,
        ref: entry.ref,
        previous: entry.state,
        reading,
        lastRecorded: options.lastRecorded.get(key) ?? null,
      });
      if (reading.state === "whole" && (entry.state === "down" || entry.state === "degraded")) {
        const list = recovered.get(entry.incidentId) ?? [];
        list.push({ ...entry.ref, desired: reading.desired, ready: reading.ready });
        recovered.set(entry.incidentId, list);
      }
    }
    if ((reading.state === "whole" || reading.state === "gone") && !impacted.has(key)) plan.untrack.push(key);
  }
  for (const [incidentId, workloads] of recovered) {
    plan.events.push({
      incidentId,
      event: {
        type: "workload.recovered",
        at: options.now,
        dedupKey: `recovered:${options.now.toISOString()}`,
        payload: { count: workloads.length, workloads: workloads.slice(0, EVENT_LIST_MAX) },
      },
    });
  }
  return plan;
}
