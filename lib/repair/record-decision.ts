// The single writer of RepairDecision rows (append-only): what the engine or a person decided
// about a repair, and why. A tick re-evaluates every qualifying node, so the engine records a
// decision only when it differs from the last one about the same node and policy (the same
// verdict by the same rule is not news); what a person does is always recorded.
import "server-only";
import type { TDb } from "@/lib/db";
import { notifyRepair } from "@/lib/live/notices";

export const DECISIONS = [
  /** A run began: the node qualified and every rule let it. */
  "opened",
  /** An act-mode run waits for an operator (propose mode, or a partition lowered it). */
  "proposed",
  "approved",
  "rejected",
  /** A ladder step reached Kubernetes (or was passed over: nothing to do). */
  "acted",
  "passed",
  "failed",
  /** Held back until a rule clears. */
  "deferred",
  /** Left to a person (excluded, held, another tool). */
  "skipped",
  "quarantined",
  "ended",
  /** Cluster-wide: the storm breaker, the pause, a hold. */
  "tripped",
  "reset",
  "paused",
  "resumed",
  "held",
  "cleared",
] as const;
export type TDecision = (typeof DECISIONS)[number];

export type TDecisionDraft = {
  decision: TDecision;
  rule: string;
  message: string;
  runId?: number | null;
  policyId?: number | null;
  policyName?: string | null;
  node?: string | null;
  action?: string | null;
  actionId?: string | null;
  actor?: string | null;
};

/** Remembers each (policy, node)'s last decision, seeded from the database after a restart. */
export function decisionRecorder(db: TDb, cluster: string) {
  const last = new Map<string, string>();
  const keyOf = (d: TDecisionDraft) => `${d.policyId ?? "-"}/${d.node ?? "-"}`;
  const sig = (d: { decision: string; rule: string; runId?: number | null }) => `${d.decision}:${d.rule}:${d.runId ?? "-"}`;

  async function lastOf(d: TDecisionDraft): Promise<string | null> {
    const key = keyOf(d);
    const known = last.get(key);
    if (known !== undefined) return known;
    const row = await db.repairDecision.findFirst({
      where: { cluster, policyId: d.policyId ?? null, node: d.node ?? null },
      orderBy: { id: "desc" },
      select: { decision: true, rule: true, runId: true },
    });
    return row ? sig(row) : null;
  }

  return {
    /** Records `d` unless it repeats the last decision about its node and policy. */
    async note(d: TDecisionDraft): Promise<boolean> {
      if ((await lastOf(d)) === sig(d)) return false;
      await record(d);
      return true;
    },
    /** Records `d` whatever came before (a person's act, a step taken). */
    record,
  };

  async function record(d: TDecisionDraft) {
    await db.repairDecision.create({
      data: {
        cluster,
        decision: d.decision,
        rule: d.rule,
        message: d.message.slice(0, 2000),
        runId: d.runId ?? null,
        policyId: d.policyId ?? null,
        policyName: d.policyName ?? null,
        node: d.node ?? null,
        action: d.action ?? null,
        actionId: d.actionId ?? null,
        actor: d.actor ?? null,
      },
    });
    last.set(keyOf(d), sig(d));
    notifyRepair();
  }
}
export type TDecisionRecorder = ReturnType<typeof decisionRecorder>;
