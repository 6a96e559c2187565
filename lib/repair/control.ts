// The cluster-wide switches of auto-repair (one RepairControl row per cluster): the pause, set
// and cleared by a person with a reason, and the storm breaker, tripped by the engine and reset
// only by a person with a reason. Every change is a decision on the record.
import "server-only";
import { ApiError } from "@/lib/api/errors";
import type { TDb } from "@/lib/db";
import type { TDecisionRecorder } from "./record-decision";
import type { TControlState } from "./safety";

export async function loadControl(db: TDb, cluster: string): Promise<TControlState & { pausedAt: Date | null }> {
  const row = await db.repairControl.findUnique({ where: { cluster } });
  return {
    paused: row?.paused ?? false,
    pausedBy: row?.pausedBy ?? null,
    pausedReason: row?.pausedReason ?? null,
    pausedAt: row?.pausedAt ?? null,
    breakerTrippedAt: row?.breakerTrippedAt ?? null,
    breakerReason: row?.breakerReason ?? null,
  };
}

const upsert = (db: TDb, cluster: string, data: Record<string, unknown>) =>
  db.repairControl.upsert({ where: { cluster }, create: { cluster, ...data }, update: data });

/** Trips the breaker unless it is tripped already; true when this call tripped it. */
export async function tripBreaker(db: TDb, cluster: string, decisions: TDecisionRecorder, reason: string, now: Date) {
  const tripped = await db.repairControl.updateMany({
    where: { cluster, breakerTrippedAt: null },
    data: { breakerTrippedAt: now, breakerReason: reason },
  });
  if (tripped.count === 0) {
    const exists = await db.repairControl.findUnique({ where: { cluster }, select: { cluster: true } });
    if (exists) return false;
    await upsert(db, cluster, { breakerTrippedAt: now, breakerReason: reason });
  }
  await decisions.record({ decision: "tripped", rule: "storm-breaker", message: `the storm breaker tripped: ${reason}` });
  return true;
}

export async function resetBreaker(db: TDb, cluster: string, decisions: TDecisionRecorder, by: string, reason: string) {
  const control = await loadControl(db, cluster);
  if (!control.breakerTrippedAt) throw new ApiError("conflict", "the storm breaker is not tripped");
  await upsert(db, cluster, { breakerTrippedAt: null, breakerReason: null });
  await decisions.record({
    decision: "reset",
    rule: "storm-breaker",
    actor: by,
    message: `${by} reset the storm breaker (tripped at ${control.breakerTrippedAt.toISOString()}: ${control.breakerReason ?? "?"}): ${reason}`,
  });
}

export async function setPaused(
  db: TDb,
  cluster: string,
  decisions: TDecisionRecorder,
  opts: { paused: boolean; by: string; reason: string },
) {
  const control = await loadControl(db, cluster);
  if (control.paused === opts.paused)
    throw new ApiError("conflict", opts.paused ? "auto-repair is paused already" : "auto-repair is not paused");
  await upsert(
    db,
    cluster,
    opts.paused
      ? { paused: true, pausedBy: opts.by, pausedReason: opts.reason, pausedAt: new Date() }
      : { paused: false, pausedBy: null, pausedReason: null, pausedAt: null },
  );
  await decisions.record({
    decision: opts.paused ? "paused" : "resumed",
    rule: "paused",
    actor: opts.by,
    message: `${opts.by} ${opts.paused ? "paused" : "resumed"} auto-repair: ${opts.reason}`,
  });
}
