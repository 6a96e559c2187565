// What dead instances left behind, put right by whichever process notices: an attempt whose
// owner died gets its one "interrupted" outcome (the unique key on (actionId, phase) makes a
// second one impossible, so two reconcilers cannot both write it), and its node lock goes.
// Attempts of live owners, this process's included, are never touched.
import { Prisma } from "@/generated/prisma/client";
import { writeOutcomeOfIntent } from "@/lib/audit/write";
import type { TDb } from "@/lib/db";
import { goneOwners, type TSelf } from "./instance";

const INTERRUPTED_MESSAGE = "the server running this action stopped before it finished; check the node's state before retrying";

const isUniqueViolation = (err: unknown) => err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002";

/** Writes the "interrupted" outcome of `actionId`'s intent unless it has an outcome already. */
export async function interruptAttempt(db: TDb, actionId: string): Promise<boolean> {
  const intent = await db.auditEvent.findUnique({ where: { actionId_phase: { actionId, phase: "intent" } } });
  if (!intent) return false;
  try {
    await writeOutcomeOfIntent(db, intent, "interrupted", INTERRUPTED_MESSAGE);
    return true;
  } catch (err) {
    if (isUniqueViolation(err)) return false; // its owner, or another reconciler, wrote it first
    throw err;
  }
}

/** Locks whose lease ran out or whose owner is gone: their attempts are interrupted, the locks released. */
export async function reconcileLocks(
  db: TDb,
  cluster: string,
  self: TSelf,
  now = new Date(),
): Promise<{ interrupted: number; released: number }> {
  const locks = await db.nodeActionLock.findMany({ where: { cluster } });
  if (locks.length === 0) return { interrupted: 0, released: 0 };
  const gone = await goneOwners(
    db,
    self,
    locks.map((l) => l.instanceId),
    now,
  );
  let interrupted = 0;
  let released = 0;
  for (const lock of locks) {
    const expired = lock.expiresAt.getTime() < now.getTime();
    if (!gone.has(lock.instanceId) && !expired) continue;
    if (await interruptAttempt(db, lock.actionId)) interrupted++;
    const { count } = await db.nodeActionLock.deleteMany({ where: { cluster, node: lock.node, actionId: lock.actionId } });
    released += count;
  }
  return { interrupted, released };
}

/** Instance rows silent this long are deleted at start-up: their attempts and locks are settled. */
export const INSTANCE_RETENTION_MS = 7 * 86_400_000;

/**
 * Once at start-up: every intent without an outcome whose owner is gone (including intents
 * written before instances existed), then the locks; then instance rows older than the retention.
 */
export async function reconcileAtStart(db: TDb, cluster: string, self: TSelf): Promise<{ interrupted: number; released: number }> {
  // Only the intents still without an outcome (the (actionId, phase) index answers NOT EXISTS),
  // not the whole history.
  const open = await db.$queryRaw<{ actionId: string; instanceId: string | null }[]>(Prisma.sql`
    SELECT i."actionId", i."instanceId" FROM "AuditEvent" i
    WHERE i."cluster" = ${cluster} AND i."phase" = 'intent'
      AND NOT EXISTS (SELECT 1 FROM "AuditEvent" o WHERE o."actionId" = i."actionId" AND o."phase" = 'outcome')`);
  const gone = await goneOwners(
    db,
    self,
    open.map((i) => i.instanceId),
  );
  let interrupted = 0;
  for (const i of open) if (gone.has(i.instanceId) && (await interruptAttempt(db, i.actionId))) interrupted++;
  const locks = await reconcileLocks(db, cluster, self);
  await db.instance.deleteMany({ where: { heartbeatAt: { lt: new Date(Date.now() - INSTANCE_RETENTION_MS) } } });
  return { interrupted: interrupted + locks.interrupted, released: locks.released };
}
