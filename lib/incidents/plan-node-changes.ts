// What a batch of recorded node transitions does to the incidents: pure, so the rules are tested
// without a database, and the recorder applies the plan in the transitions' own transaction.
//
// - A node leaving Ready (a late heartbeat counts) joins the newest open incident that opened at
//   most `windowMs` before, or opens a new one: a rack failure is one incident.
// - A node that registered moments ago and is not Ready yet is joining the cluster, not dying.
// - NotReady/Unknown confirms a member dead; Ready marks it back; Deleted marks it gone.
// - A node seen Ready after its incident closed is noted as returned (applied only where it was
//   deleted in its latest incident: a re-registered node may pass through NotReady on its way).
import type { TNodeState } from "@/lib/health/states";
import type { TStoredTransition } from "@/lib/transitions/types";
import { isDead, isUnhealthy, type TIncidentEventDraft } from "./types";

/** What the watch knew of a node when the batch was recorded (null when it is gone). */
export type TNodeFacts = { labels: Record<string, string>; lastHeartbeatAt: Date | null; createdAt: Date | null };

export type TMember = {
  node: string;
  nodeUid: string | null;
  state: TNodeState;
  firstSignAt: Date;
  lastHeartbeatAt: Date | null;
  confirmedAt: Date | null;
  remediatedAt: Date | null;
  deletedAt: Date | null;
  backAt: Date | null;
  labels: Record<string, string>;
  transitionId: number;
};

export type TOpenIncident = {
  /** The database id, or a negative placeholder for one this plan opens. */
  id: number;
  openedAt: Date;
  confirmedAt: Date | null;
  members: Map<string, TMember>;
};

export type TNodePlan = {
  /** Incidents to create (placeholder ids), in order. */
  opened: TOpenIncident[];
  /** Incidents whose fields or members changed (placeholders included), with their final members. */
  touched: Map<number, { incident: TOpenIncident; changedMembers: Set<string> }>;
  events: { incidentId: number; event: TIncidentEventDraft }[];
  /** Nodes that re-registered after their incident closed. */
  returned: { node: string; at: Date }[];
};

/** Younger than this and not Ready yet: a node still registering. */
export const REGISTERING_MS = 2 * 60_000;

export function planNodeChanges(options: {
  open: readonly TOpenIncident[];
  rows: readonly TStoredTransition[];
  windowMs: number;
  factsOf: (node: string) => TNodeFacts | null;
}): TNodePlan {
  const open = options.open.map((i) => ({ ...i, members: new Map(i.members) }));
  const plan: TNodePlan = { opened: [], touched: new Map(), events: [], returned: [] };
  const incidentOf = new Map<string, TOpenIncident>();
  for (const incident of open) for (const node of incident.members.keys()) incidentOf.set(node, incident);
  /** Nodes confirmed dead in this batch, per incident: one node.dead event each. */
  const dead = new Map<number, { nodes: string[]; at: Date; firstRowId: number }>();
  let placeholder = 0;

  const touch = (incident: TOpenIncident, node: string) => {
    const entry = plan.touched.get(incident.id) ?? { incident, changedMembers: new Set<string>() };
    entry.changedMembers.add(node);
    plan.touched.set(incident.id, entry);
  };
  const noteDead = (incident: TOpenIncident, node: string, row: TStoredTransition) => {
    if (!incident.confirmedAt) incident.confirmedAt = row.observedAt;
    const d = dead.get(incident.id) ?? { nodes: [], at: row.observedAt, firstRowId: row.id };
    d.nodes.push(node);
    dead.set(incident.id, d);
  };

  for (const row of [...options.rows].sort((a, b) => a.id - b.id)) {
    const to = row.toState;
    const incident = incidentOf.get(row.node);
    const member = incident?.members.get(row.node);
    if (incident && member) {
      const next: TMember = { ...member, state: to, nodeUid: row.nodeUid ?? member.nodeUid };
      if (isDead(to) && !member.confirmedAt) {
        next.confirmedAt = row.observedAt;
        noteDead(incident, row.node, row);
      }
      if (to === "Deleted") next.deletedAt ??= row.observedAt;
      next.backAt = to === "Ready" ? row.observedAt : null;
      incident.members.set(row.node, next);
      touch(incident, row.node);
      continue;
    }
    if (!isUnhealthy(to)) {
      if (to === "Ready") plan.returned.push({ node: row.node, at: row.observedAt });
      continue;
    }
    const facts = options.factsOf(row.node);
    const registering =
      (row.fromState === null || row.fromState === "Deleted") &&
      facts?.createdAt != null &&
      row.observedAt.getTime() - facts.createdAt.getTime() < REGISTERING_MS;
    if (registering) continue;

    let target = newestOpenWithin(open, row.observedAt, options.windowMs);
    if (!target) {
      target = { id: --placeholder, openedAt: row.observedAt, confirmedAt: null, members: new Map() };
      open.push(target);
      plan.opened.push(target);
      plan.events.push({
        incidentId: target.id,
        event: {
          type: "incident.opened",
          at: row.observedAt,
          dedupKey: "opened",
          payload: { node: row.node, state: to, reason: row.reason },
        },
      });
    }
    target.members.set(row.node, {
      node: row.node,
      nodeUid: row.nodeUid,
      state: to,
      firstSignAt: row.observedAt,
      lastHeartbeatAt: facts?.lastHeartbeatAt ?? null,
      confirmedAt: isDead(to) ? row.observedAt : null,
      remediatedAt: null,
      deletedAt: null,
      backAt: null,
      labels: facts?.labels ?? {},
      transitionId: row.id,
    });
    incidentOf.set(row.node, target);
    if (isDead(to)) noteDead(target, row.node, row);
    touch(target, row.node);
  }

  for (const [incidentId, d] of dead) {
    plan.events.push({
      incidentId,
      event: { type: "node.dead", at: d.at, dedupKey: `dead:${d.firstRowId}`, payload: { nodes: d.nodes } },
    });
  }
  return plan;
}

function newestOpenWithin(open: readonly TOpenIncident[], at: Date, windowMs: number): TOpenIncident | undefined {
  let best: TOpenIncident | undefined;
  for (const incident of open) {
    const age = at.getTime() - incident.openedAt.getTime();
    if (age < 0 || age > windowMs) continue;
    if (!best || incident.openedAt > best.openedAt) best = incident;
  }
  return best;
}

/** Labels every member carries with the same value (rack, zone, …); the hostname left out. */
export function sharedLabels(members: Iterable<{ labels: Record<string, string> }>): Record<string, string> {
  let shared: Record<string, string> | null = null;
  let count = 0;
  for (const { labels } of members) {
    count++;
    if (shared === null) {
      shared = { ...labels };
      continue;
    }
    for (const [k, v] of Object.entries(shared)) if (labels[k] !== v) delete shared[k];
  }
  if (!shared) return {};
  for (const k of Object.keys(shared)) {
    // One node shares everything with itself: only its place (zone, region) says something then.
    if (k === "kubernetes.io/hostname" || (count < 2 && !k.startsWith("topology.kubernetes.io/"))) delete shared[k];
  }
  return shared;
}
