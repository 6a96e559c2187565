// One incident with everything its page, its export and the API show (view.ts builds it),
// auto-repair's decisions about its nodes included.
import type { TDb } from "@/lib/db";
import { buildIncidentView, type TIncidentView } from "./view";

const DECISIONS_SHOWN = 200;
const DECISION_FIELDS = {
  id: true,
  at: true,
  node: true,
  policyName: true,
  policyId: true,
  runId: true,
  decision: true,
  rule: true,
  message: true,
  action: true,
  actionId: true,
  actor: true,
} as const;

/** The incident `id` of `cluster`, or null when there is none. */
export async function loadIncident(db: TDb, cluster: string, id: number, now = new Date()): Promise<TIncidentView | null> {
  const incident = await db.incident.findFirst({ where: { id, cluster } });
  if (!incident) return null;
  const [nodes, workloads, workloadTransitions, actions, pods] = await Promise.all([
    db.incidentNode.findMany({ where: { incidentId: id } }),
    db.incidentWorkload.findMany({ where: { incidentId: id }, orderBy: [{ namespace: "asc" }, { kind: "asc" }, { name: "asc" }] }),
    db.workloadTransition.findMany({ where: { incidentId: id }, orderBy: { id: "asc" } }),
    db.incidentAction.findMany({ where: { incidentId: id }, orderBy: { at: "asc" } }),
    db.incidentPod.findMany({ where: { incidentId: id }, orderBy: [{ namespace: "asc" }, { name: "asc" }] }),
  ]);
  // The members' transitions from the incident's first sign to its close.
  const transitions = await db.nodeTransition.findMany({
    where: {
      cluster,
      node: { in: nodes.map((n) => n.node) },
      id: { gte: Math.min(...nodes.map((n) => n.transitionId)) },
      // Bounded in time on both sides: the (cluster, node, observedAt) index serves it.
      observedAt: { gte: incident.openedAt, ...(incident.closedAt ? { lte: incident.closedAt } : {}) },
    },
    orderBy: { id: "asc" },
    select: { id: true, node: true, fromState: true, toState: true, reason: true, observedAt: true },
  });
  const firstOf = new Map(nodes.map((n) => [n.node, n.transitionId]));
  const kept = transitions.filter((t) => t.id >= (firstOf.get(t.node) ?? Number.MAX_SAFE_INTEGER));
  // Auto-repair's decisions about the members while it was open (the newest DECISIONS_SHOWN).
  const decisions = (
    await db.repairDecision.findMany({
      where: {
        cluster,
        node: { in: nodes.map((n) => n.node) },
        at: { gte: incident.openedAt, ...(incident.closedAt ? { lte: incident.closedAt } : {}) },
      },
      orderBy: { id: "desc" },
      take: DECISIONS_SHOWN,
      select: DECISION_FIELDS,
    })
  ).reverse();
  return buildIncidentView({ incident, nodes, transitions: kept, workloads, workloadTransitions, actions, decisions, pods }, now);
}
