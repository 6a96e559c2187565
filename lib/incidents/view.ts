// An incident as the API and the pages show it, built from its stored rows: pure. Every phase
// names the row it comes from (a transition, an audit row, a workload change), and every figure
// is a difference of two such facts.
import type { TNodeState } from "@/lib/health/states";
import { sharedLabels } from "./plan-node-changes";
import { isDead, type TWorkloadState } from "./types";

export type TIncidentRows = {
  incident: {
    id: number;
    cluster: string;
    openedAt: Date;
    confirmedAt: Date | null;
    firstActionAt: Date | null;
    remediatedAt: Date | null;
    recoveredAt: Date | null;
    closedAt: Date | null;
  };
  nodes: {
    node: string;
    state: string;
    firstSignAt: Date;
    lastHeartbeatAt: Date | null;
    confirmedAt: Date | null;
    remediatedAt: Date | null;
    deletedAt: Date | null;
    backAt: Date | null;
    returnedAt: Date | null;
    labels: string;
    transitionId: number;
  }[];
  /** Transitions of each member node from its first sign on, oldest first. */
  transitions: { id: number; node: string; fromState: string | null; toState: string; reason: string; observedAt: Date }[];
  workloads: {
    kind: string;
    namespace: string;
    name: string;
    state: string;
    desired: number | null;
    ready: number | null;
    affectedAt: Date;
    firstDegradedAt: Date | null;
    wholeAt: Date | null;
  }[];
  /** WorkloadTransition rows of this incident, oldest first. */
  workloadTransitions: {
    id: number;
    kind: string;
    namespace: string;
    name: string;
    fromState: string | null;
    toState: string;
    desired: number | null;
    ready: number | null;
    observedAt: Date;
  }[];
  actions: {
    auditEventId: number;
    actionId: string;
    action: string;
    node: string;
    outcome: string;
    actorKind: string;
    actorName: string;
    actorRole: string | null;
    reason: string | null;
    at: Date;
  }[];
  /** Auto-repair's decisions about the member nodes while the incident was open, oldest first. */
  decisions: {
    id: number;
    at: Date;
    node: string | null;
    policyName: string | null;
    decision: string;
    rule: string;
    message: string;
    action: string | null;
    actionId: string | null;
    actor: string | null;
    runId: number | null;
    policyId: number | null;
  }[];
  pods: {
    namespace: string;
    name: string;
    node: string;
    ownerKind: string | null;
    ownerName: string | null;
    deletionAt: Date | null;
    stuckSeenAt: Date;
    goneAt: Date | null;
  }[];
};

export const PHASES = ["first-sign", "confirmed-dead", "first-action", "remediated", "workload-whole", "node-back", "closed"] as const;
export type TPhaseName = (typeof PHASES)[number];
export type TPhase = {
  phase: TPhaseName;
  at: string;
  node?: string;
  workload?: string;
  /** The row this time is taken from. */
  source: { kind: "transition" | "audit" | "workload-transition" | "incident"; id: number };
};

export type TSpan = { state: string; from: string; to: string };
export type TLane = { kind: "node" | "workload"; key: string; label: string; spans: TSpan[] };

const iso = (d: Date) => d.toISOString();
const ms = (a: Date | null | undefined, b: Date | null | undefined) => (a && b ? b.getTime() - a.getTime() : null);

/** Spans from a sequence of (time, state) changes, the last one running to `end`. */
function spansOf(changes: readonly { at: Date; state: string }[], end: Date, initial?: { at: Date; state: string }): TSpan[] {
  const all = initial ? [initial, ...changes] : [...changes];
  const spans: TSpan[] = [];
  all.forEach((c, i) => {
    const next = all[i + 1]?.at ?? end;
    if (next.getTime() < c.at.getTime()) return;
    spans.push({ state: c.state, from: iso(c.at), to: iso(next) });
  });
  return spans;
}

/** Milliseconds spent in `states` along `spans`. */
const timeIn = (spans: readonly TSpan[], states: ReadonlySet<string>) =>
  spans.filter((s) => states.has(s.state)).reduce((sum, s) => sum + Date.parse(s.to) - Date.parse(s.from), 0);

const HIT = new Set<string>(["down", "degraded"]);
const DOWN = new Set<string>(["down"]);

export function buildIncidentView(rows: TIncidentRows, now: Date) {
  const { incident } = rows;
  const end = incident.closedAt ?? now;
  const phases: TPhase[] = [];

  const members = [...rows.nodes].sort((a, b) => a.firstSignAt.getTime() - b.firstSignAt.getTime() || (a.node < b.node ? -1 : 1));
  const first = members[0];
  if (first)
    phases.push({
      phase: "first-sign",
      at: iso(first.firstSignAt),
      node: first.node,
      source: { kind: "transition", id: first.transitionId },
    });
  const deadRow = rows.transitions.find((t) => isDead(t.toState as TNodeState));
  if (deadRow)
    phases.push({
      phase: "confirmed-dead",
      at: iso(deadRow.observedAt),
      node: deadRow.node,
      source: { kind: "transition", id: deadRow.id },
    });
  const acted = rows.actions
    .filter((a) => a.outcome === "succeeded" || a.outcome === "failed")
    .sort((a, b) => a.at.getTime() - b.at.getTime());
  if (acted[0])
    phases.push({ phase: "first-action", at: iso(acted[0].at), node: acted[0].node, source: { kind: "audit", id: acted[0].auditEventId } });
  const remediation = acted.find(
    (a) => a.outcome === "succeeded" && ["node.delete", "node.out-of-service.apply", "pods.force-delete"].includes(a.action),
  );
  if (remediation)
    phases.push({
      phase: "remediated",
      at: iso(remediation.at),
      node: remediation.node,
      source: { kind: "audit", id: remediation.auditEventId },
    });

  const workloadLanes: TLane[] = [];
  const workloads = rows.workloads.map((w) => {
    const key = `${w.kind}/${w.namespace}/${w.name}`;
    const changes = rows.workloadTransitions.filter((t) => t.kind === w.kind && t.namespace === w.namespace && t.name === w.name);
    const spans = spansOf(
      changes.map((c) => ({ at: c.observedAt, state: c.toState })),
      end,
      changes[0]?.observedAt.getTime() === w.affectedAt.getTime() ? undefined : { at: w.affectedAt, state: "whole" },
    );
    workloadLanes.push({ kind: "workload", key, label: `${w.kind} ${w.namespace}/${w.name}`, spans });
    const lastWhole = [...changes].reverse().find((c) => c.toState === "whole");
    if (w.firstDegradedAt && w.state === "whole" && lastWhole)
      phases.push({
        phase: "workload-whole",
        at: iso(lastWhole.observedAt),
        workload: key,
        source: { kind: "workload-transition", id: lastWhole.id },
      });
    return {
      ...w,
      state: w.state as TWorkloadState,
      key,
      affectedAt: iso(w.affectedAt),
      firstDegradedAt: w.firstDegradedAt ? iso(w.firstDegradedAt) : null,
      wholeAt: w.wholeAt ? iso(w.wholeAt) : null,
      /** Fewer ready replicas than desired (degraded or down). */
      downtimeMs: timeIn(spans, HIT),
      /** No ready replica at all. */
      downMs: timeIn(spans, DOWN),
    };
  });

  const nodeLanes: TLane[] = members.map((m) => {
    const changes = rows.transitions.filter((t) => t.node === m.node && t.id >= m.transitionId);
    const spans = spansOf(
      changes.map((c) => ({ at: c.observedAt, state: c.toState })),
      end,
    );
    const back = changes.filter((c) => c.toState === "Ready" || c.toState === "Deleted").at(-1);
    if (back && (m.state === "Ready" || m.state === "Deleted"))
      phases.push({ phase: "node-back", at: iso(back.observedAt), node: m.node, source: { kind: "transition", id: back.id } });
    return { kind: "node", key: m.node, label: m.node, spans };
  });
  if (incident.closedAt) phases.push({ phase: "closed", at: iso(incident.closedAt), source: { kind: "incident", id: incident.id } });
  phases.sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || PHASES.indexOf(a.phase) - PHASES.indexOf(b.phase));

  const pods = rows.pods.map((p) => {
    const since = p.deletionAt ?? p.stuckSeenAt;
    return {
      namespace: p.namespace,
      name: p.name,
      node: p.node,
      owner: p.ownerKind ? { kind: p.ownerKind, name: p.ownerName } : null,
      deletionAt: p.deletionAt ? iso(p.deletionAt) : null,
      goneAt: p.goneAt ? iso(p.goneAt) : null,
      stuckMs: (p.goneAt ?? now).getTime() - since.getTime(),
      fate: fateOf(p, rows),
    };
  });

  const hit = workloads.filter((w) => w.firstDegradedAt);
  const figures = {
    /** The kubelet's last heartbeat → our first sign. */
    timeToDetectMs: ms(first?.lastHeartbeatAt, first?.firstSignAt),
    /** Confirmed dead → the first action. */
    timeToActMs: ms(incident.confirmedAt, incident.firstActionAt),
    /** First sign → the first successful remediation. */
    timeToRemediateMs: ms(incident.openedAt, incident.remediatedAt),
    /** First sign → every affected workload whole (null: none was down, or not yet). */
    timeToRecoverMs: hit.length ? ms(incident.openedAt, incident.recoveredAt) : null,
    durationMs: end.getTime() - incident.openedAt.getTime(),
    workloadsAffected: workloads.length,
    workloadsHit: hit.length,
    podsStuck: pods.length,
    podsStuckLongestMs: pods.reduce((max, p) => Math.max(max, p.stuckMs), 0),
    actions: rows.actions.length,
  };

  return {
    id: incident.id,
    cluster: incident.cluster,
    status: incident.closedAt ? ("closed" as const) : ("open" as const),
    /** A suspicion: no node was ever confirmed dead (a heartbeat blip). */
    suspicion: incident.confirmedAt === null,
    openedAt: iso(incident.openedAt),
    closedAt: incident.closedAt ? iso(incident.closedAt) : null,
    nodes: members.map((m) => ({
      node: m.node,
      state: m.state,
      firstSignAt: iso(m.firstSignAt),
      lastHeartbeatAt: m.lastHeartbeatAt ? iso(m.lastHeartbeatAt) : null,
      confirmedAt: m.confirmedAt ? iso(m.confirmedAt) : null,
      remediatedAt: m.remediatedAt ? iso(m.remediatedAt) : null,
      deletedAt: m.deletedAt ? iso(m.deletedAt) : null,
      backAt: m.backAt ? iso(m.backAt) : null,
      returnedAt: m.returnedAt ? iso(m.returnedAt) : null,
    })),
    sharedLabels: sharedLabels(members.map((m) => ({ labels: JSON.parse(m.labels) as Record<string, string> }))),
    phases,
    figures,
    workloads,
    pods,
    actions: rows.actions.map((a) => ({
      auditEventId: a.auditEventId,
      actionId: a.actionId,
      action: a.action,
      node: a.node,
      outcome: a.outcome,
      actor: { kind: a.actorKind, name: a.actorName, role: a.actorRole },
      reason: a.reason,
      at: iso(a.at),
    })),
    decisions: rows.decisions.map((d) => ({ ...d, at: iso(d.at) })),
    timeline: { from: iso(incident.openedAt), to: iso(end), lanes: [...nodeLanes, ...workloadLanes] },
  };
}
export type TIncidentView = ReturnType<typeof buildIncidentView>;

/** What became of a stuck pod, from the actions on its node and the node's fate. */
function fateOf(p: TIncidentRows["pods"][number], rows: TIncidentRows): string {
  const goneAt = p.goneAt;
  if (!goneAt) return "still Terminating";
  const before = rows.actions
    .filter((a) => a.node === p.node && a.outcome === "succeeded" && a.at.getTime() <= goneAt.getTime())
    .sort((a, b) => b.at.getTime() - a.at.getTime());
  const force = before.find((a) => a.action === "pods.force-delete");
  if (force) return `force-deleted by ${force.actorName}`;
  const deleted = before.find((a) => a.action === "node.delete");
  if (deleted) return `removed with its node (deleted by ${deleted.actorName})`;
  const oos = before.find((a) => a.action === "node.out-of-service.apply");
  if (oos) return `force-deleted after ${oos.actorName}'s out-of-service taint`;
  const member = rows.nodes.find((n) => n.node === p.node);
  if (member?.backAt && member.backAt.getTime() <= goneAt.getTime()) return "finished by its returning kubelet";
  if (member?.deletedAt && member.deletedAt.getTime() <= goneAt.getTime()) return "removed with its node";
  return "gone";
}
