// A node that qualifies under its policy (the first enabled one by name that selects it) and
// has no open repair: the safety rules decide whether a run opens now, and in which mode. A
// node that failed too often within the policy's window is held for a person first (flapping).
// At most one open run per node: the unique openKey makes a second one impossible; and one run
// per failure: once a run ended without the node coming back, the node is left to a person.
import "server-only";
import { Prisma } from "@/generated/prisma/client";
import { advanceRun } from "./advance-run";
import { announceProposal } from "./announce-proposal";
import { checkSafety } from "./check-safety";
import { describeMatch, type TCriterionMatch } from "./criteria";
import type { TEnginePolicy, TNodeView, TTick } from "./tick";

const isUniqueViolation = (err: unknown) => err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002";

/** Holds the node when it had policy.flapping.incidents incidents within the window. */
async function holdIfFlapping(t: TTick, p: TEnginePolicy, node: string): Promise<void> {
  if (t.holds.has(node)) return;
  const { incidents, withinSeconds } = p.policy.flapping;
  // Incidents before a person last cleared a hold on the node are forgiven.
  const cleared = await t.db.repairHold.findFirst({
    where: { cluster: t.cluster, node, clearedAt: { not: null } },
    orderBy: { clearedAt: "desc" },
  });
  const windowStart = t.now.getTime() - withinSeconds * 1000;
  const since = new Date(Math.max(windowStart, cleared?.clearedAt?.getTime() ?? 0));
  const count = await t.db.incidentNode.count({ where: { cluster: t.cluster, node, firstSignAt: { gte: since } } });
  if (count < incidents) return;
  const reason = `${count} incidents within ${Math.round(withinSeconds / 3600) || withinSeconds / 60} ${withinSeconds >= 3600 ? "h" : "min"} (policy "${p.name}": ${incidents})`;
  try {
    const hold = await t.db.repairHold.create({
      data: { cluster: t.cluster, node, kind: "flapping", reason, since: t.now, openKey: `${t.cluster}/${node}` },
    });
    t.holds.set(node, hold);
    await t.decisions.record({
      policyId: p.id,
      policyName: p.name,
      node,
      decision: "held",
      rule: "flapping",
      message: `the node is flapping: ${reason}; auto-repair leaves it to a person until one clears the hold`,
    });
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
  }
}

/** Whether the node was cordoned by a person (not by a repair that failed and left it so). */
async function cordonedBefore(t: TTick, view: TNodeView): Promise<boolean> {
  if (!view.health.cordoned) return false;
  const last = await t.db.repairRun.findFirst({
    where: { cluster: t.cluster, node: view.health.name, openKey: null },
    orderBy: { id: "desc" },
  });
  return !(last && last.result === "failed" && !last.cordonedBefore && last.firstActedAt);
}

export async function considerNode(t: TTick, p: TEnginePolicy, view: TNodeView, match: TCriterionMatch): Promise<void> {
  const node = view.health.name;
  const about = { policyId: p.id, policyName: p.name, node };
  const cause = describeMatch(match);
  // One repair per spell: a run that ended without the node coming back leaves it to a person.
  const last = await t.db.repairRun.findFirst({ where: { cluster: t.cluster, node, openKey: null }, orderBy: { id: "desc" } });
  if (last?.endedAt && Date.parse(match.since) < last.endedAt.getTime() && last.result !== "recovered") {
    await t.decisions.note({
      ...about,
      decision: "skipped",
      rule: "ended",
      message: `${cause}; the repair of this failure ended (${last.result}: ${last.resultMessage ?? ""}): left to a person`,
    });
    return;
  }
  await holdIfFlapping(t, p, node);
  const verdict = await checkSafety(t, { policyId: p.id, policy: p.policy, view, started: false });
  if (verdict.verdict !== "go") {
    const decision = verdict.verdict === "skip" ? "skipped" : "deferred";
    await t.decisions.note({ ...about, decision, rule: verdict.blocking.rule, message: `${cause}; ${verdict.blocking.message}` });
    return;
  }
  const proposeOnly = p.policy.mode === "propose" ? null : verdict.proposeOnly;
  const acting = p.policy.mode === "act" && !proposeOnly;
  let run: Awaited<ReturnType<typeof t.db.repairRun.create>>;
  try {
    run = await t.db.repairRun.create({
      data: {
        cluster: t.cluster,
        policyId: p.id,
        policyName: p.name,
        mode: p.policy.mode,
        node,
        nodeUid: view.health.uid,
        phase: acting ? "acting" : "proposed",
        step: 0,
        nextStepAt: t.now,
        policy: JSON.stringify(p.policy),
        cordonedBefore: await cordonedBefore(t, view),
        cause,
        startedAt: t.now,
        openKey: `${t.cluster}/${node}`,
      },
    });
  } catch (err) {
    if (isUniqueViolation(err)) return;
    throw err;
  }
  const steps = p.policy.ladder.map((s) => s.action).join(" → ");
  if (acting) {
    await t.decisions.record({ ...about, runId: run.id, decision: "opened", rule: "criteria", message: `${cause}: repairing (${steps})` });
    await advanceRun(t, run);
  } else {
    const why = proposeOnly ? proposeOnly.message : `policy "${p.name}" is in propose mode`;
    await announceProposal(t, run, why);
    await t.decisions.record({
      ...about,
      runId: run.id,
      decision: "proposed",
      rule: proposeOnly?.rule ?? "mode",
      message: `${cause}: proposed (${steps}), waiting for an operator's approval: ${why}`,
    });
  }
}
