// One open repair, one move forward per tick, from what is durable (the RepairRun row and the
// audit log) and what the tick sees (the node now):
//   proposed   → waits for an operator (lib/repair/approve-run.ts), announced in the node's open
//                incident (a notification); ends if the node recovers;
//   acting     → settles the step that reached the audit log, then runs or passes the next one
//                once its predecessor's timeout is up; every step re-checks the safety rules and
//                the gates first;
//   returning  → the ladder is done: waits for the kubelet, then cordons the node (a re-registered
//                node comes back schedulable), restores what node-rescue's backup kept, and
//                quarantines it;
//   quarantine → at quarantineUntil uncordons it (unless it was cordoned before the repair).
// Restart safety: `stepActionId` is written before a step's performAction, so after a crash its
// audit outcome says what happened — succeeded: next step; interrupted or never written: run it
// again (every step is idempotent); failed: escalate to the next step.
import "server-only";
import { randomUUID } from "node:crypto";
import type { RepairRun } from "@/generated/prisma/client";
import type { TPolicy } from "@/lib/policies/schema";
import { ZPolicy } from "@/lib/policies/schema";
import { OUT_OF_SERVICE_TAINT, type TAction } from "@/lib/remediation/catalog";
import { assessAction, pendingBackup } from "@/lib/remediation/context";
import { refusalsOf } from "@/lib/remediation/gates";
import { outOfServiceRelease } from "@/lib/remediation/out-of-service";
import { announceProposal } from "./announce-proposal";
import { checkSafety } from "./check-safety";
import { planStep } from "./ladder";
import type { TDecisionDraft } from "./record-decision";
import { takeStep } from "./take-step";
import { ladderFacts, type TNodeView, type TTick } from "./tick";

export const RUN_RESULTS = ["recovered", "repaired", "failed", "abandoned", "rejected"] as const;
export type TRunResult = (typeof RUN_RESULTS)[number];

const policyOfRun = (run: RepairRun): TPolicy => ZPolicy.parse(JSON.parse(run.policy));

function about(run: RepairRun): Pick<TDecisionDraft, "runId" | "policyId" | "policyName" | "node"> {
  return { runId: run.id, policyId: run.policyId, policyName: run.policyName, node: run.node };
}

async function update(t: TTick, run: RepairRun, data: Partial<RepairRun>): Promise<RepairRun> {
  return t.db.repairRun.update({ where: { id: run.id }, data });
}

export async function endRun(t: Pick<TTick, "db" | "decisions" | "now">, run: RepairRun, result: TRunResult, message: string) {
  await t.db.repairRun.update({
    where: { id: run.id },
    data: { phase: "ended", result, resultMessage: message.slice(0, 2000), endedAt: t.now, openKey: null, stepActionId: null },
  });
  await t.decisions.record({ ...about(run), decision: "ended", rule: result, message });
}

/** The node as the rules see it; `back` when it is Ready as the same object the run started on. */
function nodeState(run: RepairRun, view: TNodeView | undefined) {
  if (!view) return { present: false as const, ready: false, sameObject: false };
  return { present: true as const, ready: view.health.state === "Ready", sameObject: view.health.uid === run.nodeUid };
}

export async function advanceRun(t: TTick, run: RepairRun): Promise<void> {
  const view = t.views.get(run.node);
  switch (run.phase) {
    case "proposed":
      return waitForApproval(t, run, view);
    case "acting":
      return climb(t, run, view);
    case "returning":
      return awaitReturn(t, run, view);
    case "quarantine":
      return quarantine(t, run, view);
  }
}

async function waitForApproval(t: TTick, run: RepairRun, view: TNodeView | undefined) {
  const s = nodeState(run, view);
  if (s.ready && s.sameObject) return endRun(t, run, "recovered", "the node is Ready again: the proposal is withdrawn");
  if (!s.present) return endRun(t, run, "abandoned", "the node was deleted by someone else before the proposal was approved");
  // Once per proposal (its dedupKey); again here so that a crash right after proposing loses nothing.
  await announceProposal(t, run, "waiting for an operator's approval on the node page");
}

const stepReason = (run: RepairRun, policy: TPolicy, index: number, action: TAction, note: string | null) =>
  `auto-repair by policy "${run.policyName}" (step ${index + 1}/${policy.ladder.length}, ${action}): ${run.cause}` +
  (run.approvedBy ? `; approved by ${run.approvedBy}: ${run.approvalReason ?? ""}` : "") +
  (note ? `; ${note}` : "");

/** Applies a step's audited outcome to the run: the only place a ladder moves on. */
/** What a step did, as its audit outcome says (`action` is the one taken: a ladder's out-of-service
 *  step may have run as node.delete). */
type TStepResult = { actionId: string; action: string; outcome: string; message: string };

async function settle(t: TTick, run: RepairRun, policy: TPolicy, r: TStepResult): Promise<RepairRun | null> {
  const { actionId, action, message } = r;
  const index = run.step;
  const step = policy.ladder[index];
  const label = `step ${index + 1}/${policy.ladder.length} (${action})`;
  const base = { ...about(run), action, actionId, rule: `step-${index + 1}` };
  switch (r.outcome) {
    case "succeeded": {
      await t.decisions.record({ ...base, decision: "acted", message: `${label} succeeded: ${message}` });
      const wait = (step?.timeoutSeconds ?? 0) * 1000;
      return update(t, run, {
        step: index + 1,
        stepActionId: null,
        nextStepAt: new Date(t.now.getTime() + wait),
        firstActedAt: run.firstActedAt ?? t.now,
      });
    }
    case "failed": {
      await t.decisions.record({ ...base, decision: "failed", message: `${label} failed: ${message}` });
      if (index + 1 >= policy.ladder.length) {
        await endRun(t, run, "failed", `the last step failed: ${message}`);
        return null;
      }
      // Escalate: the next step is the ladder's answer to this one not working.
      return update(t, run, { step: index + 1, stepActionId: null, nextStepAt: t.now, firstActedAt: run.firstActedAt ?? t.now });
    }
    case "interrupted":
      await t.decisions.record({
        ...base,
        decision: "deferred",
        rule: "restart",
        message: `${label} was interrupted (${message}): running it again`,
      });
      return update(t, run, { stepActionId: null });
    default:
      // Refused by a gate or the lock at the last moment: tried again on a later tick.
      await t.decisions.note({ ...base, decision: "deferred", rule: "gates", message: `${label} was refused: ${message}` });
      return update(t, run, { stepActionId: null });
  }
}

/** The step whose actionId is recorded: settled from the audit log, or still under way (null). */
async function settleRecorded(t: TTick, run: RepairRun, policy: TPolicy): Promise<RepairRun | null | "busy"> {
  const actionId = run.stepActionId;
  if (!actionId) return run;
  const outcome = await t.db.auditEvent.findFirst({ where: { actionId, phase: "outcome" }, orderBy: { id: "desc" } });
  if (outcome)
    return settle(t, run, policy, {
      actionId,
      action: outcome.action,
      outcome: outcome.outcome ?? "failed",
      message: outcome.message ?? "",
    });
  const intent = await t.db.auditEvent.findFirst({ where: { actionId, phase: "intent" }, select: { id: true } });
  // An intent without an outcome is under way, or its process died and reconciliation will
  // write "interrupted" for it; no intent: it never reached the audit log, so run it again.
  if (intent) return "busy";
  return update(t, run, { stepActionId: null });
}

/** The ladder is over (done, or the node recovered mid-way): wait for the kubelet. */
async function toReturning(t: TTick, run: RepairRun, message: string) {
  await update(t, run, { phase: "returning", nextStepAt: null });
  await t.decisions.record({ ...about(run), decision: "passed", rule: "ladder", message });
}

async function climb(t: TTick, run0: RepairRun, view: TNodeView | undefined) {
  const policy = policyOfRun(run0);
  const settled = await settleRecorded(t, run0, policy);
  if (settled === null || settled === "busy") return;
  let run = settled;

  const s = nodeState(run, view);
  if (s.ready && s.sameObject) {
    if (!run.firstActedAt) return endRun(t, run, "recovered", "the node is Ready again before any step reached Kubernetes");
    return toReturning(t, run, "the node is Ready again: the rest of the ladder is not needed");
  }
  if (run.nextStepAt && run.nextStepAt > t.now) return;

  for (let guard = 0; guard <= policy.ladder.length; guard++) {
    const plan = planStep(policy.ladder, run.step, ladderFacts(t, view));
    if (plan.kind === "done") return toReturning(t, run, "the ladder is done: waiting for the kubelet to come back");
    const label = `step ${plan.index + 1}/${policy.ladder.length} (${plan.action})`;
    if (plan.kind === "pass") {
      await t.decisions.record({
        ...about(run),
        decision: "passed",
        rule: `step-${plan.index + 1}`,
        action: plan.action,
        message: `${label} passed over: ${plan.message}`,
      });
      run = await update(t, run, { step: plan.index + 1, nextStepAt: t.now });
      continue;
    }
    if (!view || t.signal.aborted) return;
    const verdict = await checkSafety(t, { policyId: run.policyId, policy, view, started: true });
    if (verdict.verdict !== "go") {
      if (verdict.verdict === "skip") return endRun(t, run, "abandoned", verdict.blocking.message);
      await t.decisions.note({
        ...about(run),
        decision: "deferred",
        rule: verdict.blocking.rule,
        action: plan.action,
        message: `${label} waits: ${verdict.blocking.message}`,
      });
      return;
    }
    if (verdict.proposeOnly && run.mode === "act" && !run.approvedBy) {
      await announceProposal(t, await update(t, run, { phase: "proposed" }), verdict.proposeOnly.message);
      await t.decisions.record({
        ...about(run),
        decision: "proposed",
        rule: verdict.proposeOnly.rule,
        action: plan.action,
        message: `${label} needs an operator's approval: ${verdict.proposeOnly.message}`,
      });
      return;
    }
    // The gates, as performAction will see them: waiting on one is a deferral, not a refusal.
    const { checks } = await assessAction({ monitor: t.monitor, db: t.db, node: run.node, action: plan.action, now: t.now });
    const refusals = refusalsOf(checks, false);
    if (refusals.length) {
      const first = refusals[0];
      await t.decisions.note({
        ...about(run),
        decision: "deferred",
        rule: `gate:${first?.gate}`,
        action: plan.action,
        message: `${label} waits for the gates: ${refusals.map((r) => r.message).join("; ")}`,
      });
      return;
    }
    const actionId = randomUUID();
    run = await update(t, run, { stepActionId: actionId });
    const result = await takeStep(t, run, {
      action: plan.action,
      actionId,
      reason: stepReason(run, policy, plan.index, plan.action, plan.note),
    });
    await settle(t, run, policy, { actionId, action: plan.action, outcome: result.outcome, message: result.message });
    return;
  }
}

/** A return-path action (cordon, restore, uncordon), audited like any other; true when it succeeded. */
async function returnAction(t: TTick, run: RepairRun, action: TAction, why: string): Promise<boolean> {
  const actionId = randomUUID();
  const result = await takeStep(t, run, { action, actionId, reason: `auto-repair by policy "${run.policyName}": ${why}` });
  const ok = result.outcome === "succeeded";
  const draft = { ...about(run), action, actionId, rule: "return", message: `${action}: ${result.message}` };
  if (ok) await t.decisions.record({ ...draft, decision: "acted" });
  else await t.decisions.note({ ...draft, decision: result.outcome === "failed" ? "failed" : "deferred" });
  return ok;
}

async function awaitReturn(t: TTick, run: RepairRun, view: TNodeView | undefined) {
  const policy = policyOfRun(run);
  if (!view) {
    await t.decisions.note({
      ...about(run),
      decision: "deferred",
      rule: "return",
      message: "waiting for the kubelet to register the node again",
    });
    return;
  }
  if (view.health.state !== "Ready") {
    await t.decisions.note({
      ...about(run),
      decision: "deferred",
      rule: "return",
      message: `the node is ${view.health.state}: waiting for it to be Ready`,
    });
    return;
  }
  if (t.signal.aborted) return;
  // Back. A re-registered node is schedulable at once: cordon it first, then restore it.
  if (
    !view.health.cordoned &&
    !(await returnAction(t, run, "node.cordon", `the node is back: quarantine for ${policy.quarantineSeconds} s`))
  )
    return;
  const backup = await pendingBackup(t.db, t.cluster, run.node);
  if (backup && backup.row.nodeUid !== view.health.uid) {
    if (!(await returnAction(t, run, "node.restore", "the node is back: restoring the labels, annotations and taints it had"))) return;
  }
  const until = new Date(t.now.getTime() + policy.quarantineSeconds * 1000);
  await update(t, run, { phase: "quarantine", quarantineUntil: until });
  await t.decisions.record({
    ...about(run),
    decision: "quarantined",
    rule: "quarantine",
    message: `the node is back and cordoned until ${until.toISOString()} (${policy.quarantineSeconds} s)${run.cordonedBefore ? "; it was cordoned before the repair, so it stays cordoned after" : ""}`,
  });
}

async function quarantine(t: TTick, run: RepairRun, view: TNodeView | undefined) {
  if (!view) return endRun(t, run, "failed", "the node was deleted during its quarantine");
  if (view.health.state !== "Ready")
    return endRun(t, run, "failed", `the node failed again during its quarantine (${view.health.state}); it stays cordoned`);
  if (view.health.taints.some((x) => x.key === OUT_OF_SERVICE_TAINT.key)) {
    const release = outOfServiceRelease({
      node: view.health,
      pods: t.snapshot.podsByNode.get(run.node) ?? [],
      volumeAttachments: t.snapshot.volumeAttachments,
    });
    if (release.releasable) {
      await t.decisions.note({
        ...about(run),
        decision: "proposed",
        rule: "out-of-service",
        action: "node.out-of-service.remove",
        message: `the node is Ready with no pods or VolumeAttachments left: remove the ${OUT_OF_SERVICE_TAINT.key} taint (node page)`,
      });
    }
  }
  if (run.quarantineUntil && run.quarantineUntil > t.now) return;
  if (t.signal.aborted) return;
  if (view.health.cordoned && !run.cordonedBefore) {
    if (!(await returnAction(t, run, "node.uncordon", "the quarantine is over"))) return;
  }
  await endRun(
    t,
    run,
    "repaired",
    run.cordonedBefore
      ? "the quarantine is over; the node stays cordoned, as it was before"
      : "the quarantine is over: the node is uncordoned",
  );
}
