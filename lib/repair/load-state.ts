// What GET /api/repair shows (besides the engine's status): the switches, the holds, the repairs under way and the latest
// ended ones, and the newest decisions (all, or one node's), newest first.
import "server-only";
import type { RepairDecision, RepairRun } from "@/generated/prisma/client";
import type { TDb } from "@/lib/db";
import { loadControl } from "./control";
import type { TEngineStatus } from "./engine";

const iso = (d: Date | null) => d?.toISOString() ?? null;

function runView(r: RepairRun) {
  const ladder = (JSON.parse(r.policy) as { ladder?: { action: string; timeoutSeconds: number }[] }).ladder ?? [];
  return {
    id: r.id,
    policyId: r.policyId,
    policyName: r.policyName,
    mode: r.mode,
    node: r.node,
    phase: r.phase,
    step: r.step,
    ladder,
    stepUnderWay: r.stepActionId !== null,
    nextStepAt: iso(r.nextStepAt),
    cause: r.cause,
    cordonedBefore: r.cordonedBefore,
    startedAt: r.startedAt.toISOString(),
    firstActedAt: iso(r.firstActedAt),
    approvedBy: r.approvedBy,
    approvedAt: iso(r.approvedAt),
    approvalReason: r.approvalReason,
    quarantineUntil: iso(r.quarantineUntil),
    endedAt: iso(r.endedAt),
    result: r.result,
    resultMessage: r.resultMessage,
  };
}
export type TRepairRunView = ReturnType<typeof runView>;

const decisionView = (d: RepairDecision) => ({
  id: d.id,
  at: d.at.toISOString(),
  runId: d.runId,
  policyId: d.policyId,
  policyName: d.policyName,
  node: d.node,
  decision: d.decision,
  rule: d.rule,
  message: d.message,
  action: d.action,
  actionId: d.actionId,
  actor: d.actor,
});
export type TRepairDecisionView = ReturnType<typeof decisionView>;

export async function loadRepairState(db: TDb, cluster: string, opts: { node?: string; limit: number }) {
  const node = opts.node ? { node: opts.node } : {};
  const [control, holds, open, ended, decisions] = await Promise.all([
    loadControl(db, cluster),
    db.repairHold.findMany({ where: { cluster, openKey: { not: null }, ...node }, orderBy: { since: "desc" } }),
    db.repairRun.findMany({ where: { cluster, openKey: { not: null }, ...node }, orderBy: { id: "asc" } }),
    db.repairRun.findMany({ where: { cluster, openKey: null, ...node }, orderBy: { id: "desc" }, take: 50 }),
    db.repairDecision.findMany({ where: { cluster, ...node }, orderBy: { id: "desc" }, take: opts.limit }),
  ]);
  return {
    control: {
      paused: control.paused,
      pausedBy: control.pausedBy,
      pausedReason: control.pausedReason,
      pausedAt: iso(control.pausedAt),
      breakerTripped: control.breakerTrippedAt !== null,
      breakerTrippedAt: iso(control.breakerTrippedAt),
      breakerReason: control.breakerReason,
    },
    holds: holds.map((h) => ({ id: h.id, node: h.node, kind: h.kind, reason: h.reason, since: h.since.toISOString() })),
    runs: open.map(runView),
    ended: ended.map(runView),
    decisions: decisions.map(decisionView),
  };
}
export type TRepairState = Awaited<ReturnType<typeof loadRepairState>>;
/** GET /api/repair: the state, and this process's engine (null without a cluster). */
export type TRepairView = TRepairState & { engine: TEngineStatus | null };
