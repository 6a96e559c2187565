// A person's answer to a proposal. Approving re-checks, at that moment, every safety rule (but
// the partition rule, which is why it was proposed) and the gates of the step it will run; the
// approver must hold the permission of every action on the run's ladder, as if they ran it by
// hand. Rejecting ends the run: the node is left to people. Both are decisions on the record;
// the HTTP side (lib/repair/handle-request.ts) audits them.
import "server-only";
import { ApiError } from "@/lib/api/errors";
import { can } from "@/lib/auth/permissions";
import type { TActor } from "@/lib/auth/roles";
import { ZPolicy } from "@/lib/policies/schema";
import { ACTION_PERMISSION } from "@/lib/remediation/catalog";
import { assessAction } from "@/lib/remediation/context";
import { refusalsOf } from "@/lib/remediation/gates";
import { endRun } from "./advance-run";
import { checkSafety } from "./check-safety";
import { planStep } from "./ladder";
import { ladderFacts, type TTick } from "./tick";

async function proposedRun(t: TTick, runId: number) {
  const run = await t.db.repairRun.findFirst({ where: { id: runId, cluster: t.cluster } });
  if (!run) throw new ApiError("not_found", `repair ${runId} does not exist`);
  if (run.phase !== "proposed") throw new ApiError("conflict", `repair ${runId} is not waiting for approval (it is ${run.phase})`);
  return run;
}

export async function approveRun(t: TTick, opts: { runId: number; actor: TActor; reason: string }) {
  const run = await proposedRun(t, opts.runId);
  const policy = ZPolicy.parse(JSON.parse(run.policy));
  const missing = policy.ladder.filter((s) => !can(opts.actor.role, ACTION_PERMISSION[s.action]));
  if (missing.length)
    throw new ApiError("forbidden", `${opts.actor.role} may not approve a ladder with ${missing.map((s) => s.action).join(", ")}`);
  const view = t.views.get(run.node);
  if (!view) throw new ApiError("conflict", `node ${run.node} is not in the cluster any more`);

  const verdict = await checkSafety(t, { policyId: run.policyId, policy, view, started: run.firstActedAt !== null });
  if (verdict.verdict !== "go")
    throw new ApiError("precondition_failed", `not now: ${verdict.blocking.message}`, { checks: verdict.checks });
  const plan = planStep(policy.ladder, run.step, ladderFacts(t, view));
  if (plan.kind === "run") {
    const { checks } = await assessAction({ monitor: t.monitor, db: t.db, node: run.node, action: plan.action, now: t.now });
    const refusals = refusalsOf(checks, false);
    if (refusals.length)
      throw new ApiError("precondition_failed", `refused by safety gates: ${refusals.map((r) => r.message).join("; ")}`, { checks });
  }

  const approved = await t.db.repairRun.updateMany({
    where: { id: run.id, phase: "proposed" },
    data: { phase: "acting", approvedBy: opts.actor.name, approvedAt: t.now, approvalReason: opts.reason, nextStepAt: t.now },
  });
  if (approved.count === 0) throw new ApiError("conflict", `repair ${run.id} was answered meanwhile`);
  await t.decisions.record({
    runId: run.id,
    policyId: run.policyId,
    policyName: run.policyName,
    node: run.node,
    decision: "approved",
    rule: "approval",
    actor: opts.actor.name,
    message: `${opts.actor.name} approved the repair: ${opts.reason}`,
  });
  return { runId: run.id, node: run.node };
}

export async function rejectRun(t: TTick, opts: { runId: number; actor: TActor; reason: string }) {
  const run = await proposedRun(t, opts.runId);
  await endRun(t, run, "rejected", `${opts.actor.name} rejected the repair: ${opts.reason}`);
  return { runId: run.id, node: run.node };
}

export async function clearHold(t: Pick<TTick, "db" | "cluster" | "decisions">, opts: { holdId: number; actor: TActor; reason: string }) {
  const hold = await t.db.repairHold.findFirst({ where: { id: opts.holdId, cluster: t.cluster } });
  if (!hold) throw new ApiError("not_found", `hold ${opts.holdId} does not exist`);
  const cleared = await t.db.repairHold.updateMany({
    where: { id: hold.id, openKey: { not: null } },
    data: { clearedAt: new Date(), clearedBy: opts.actor.name, clearReason: opts.reason, openKey: null },
  });
  if (cleared.count === 0) throw new ApiError("conflict", `hold ${hold.id} is cleared already`);
  await t.decisions.record({
    node: hold.node,
    decision: "cleared",
    rule: hold.kind,
    actor: opts.actor.name,
    message: `${opts.actor.name} cleared the ${hold.kind} hold (${hold.reason}): ${opts.reason}`,
  });
  return { holdId: hold.id, node: hold.node };
}
