// One remediation at a time per node: a row in NodeActionLock is the lock, so it holds across
// processes and replicas. It is a lease: LOCK_LEASE_MS long, renewed by its process while the
// action runs (every action's deadline is shorter than the lease, so a renewed lock is always
// a live action). A lock whose lease ran out, or whose instance is gone, is taken over after
// its attempt is marked interrupted; an admin can break any lock (audited by the caller).
import { Prisma } from "@/generated/prisma/client";
import { ApiError } from "@/lib/api/errors";
import type { TDb } from "@/lib/db";
import { currentInstance } from "@/lib/instance/instance";
import { reconcileLocks } from "@/lib/instance/reconcile";

export const LOCK_LEASE_MS = 60_000;
export const LOCK_RENEW_EVERY_MS = 15_000;

type TLockKey = { cluster: string; node: string };

const leaseEnd = () => new Date(Date.now() + LOCK_LEASE_MS);

export async function acquireNodeLock(
  db: TDb,
  lock: TLockKey & { actionId: string; action: string; holder: string; instanceId: string | null },
) {
  const data = { ...lock, expiresAt: leaseEnd() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await db.nodeActionLock.create({ data });
      return;
    } catch (err) {
      if (!(err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002")) throw err;
      // Taken: take it over only if its lease ran out or its process is gone.
      const self = currentInstance()?.self;
      if (self) {
        const { released } = await reconcileLocks(db, lock.cluster, self);
        if (released > 0) continue;
      }
      const held = await db.nodeActionLock.findUnique({ where: { cluster_node: { cluster: lock.cluster, node: lock.node } } });
      if (!held) continue;
      throw new ApiError(
        "conflict",
        `${lock.node} is being remediated by ${held.holder} (${held.action}, since ${held.acquiredAt.toISOString()}): one action at a time per node`,
        { holder: held.holder, action: held.action, since: held.acquiredAt.toISOString(), actionId: held.actionId },
      );
    }
  }
  throw new ApiError("conflict", `${lock.node} is locked`);
}

/** Moves the lease forward; false when the lock is no longer ours (broken by an admin). */
export async function renewNodeLock(db: TDb, lock: TLockKey & { actionId: string }): Promise<boolean> {
  const { count } = await db.nodeActionLock.updateMany({
    where: { cluster: lock.cluster, node: lock.node, actionId: lock.actionId },
    data: { expiresAt: leaseEnd() },
  });
  return count === 1;
}

export function releaseNodeLock(db: TDb, lock: TLockKey & { actionId: string }) {
  return db.nodeActionLock.deleteMany({ where: { cluster: lock.cluster, node: lock.node, actionId: lock.actionId } });
}

/** Removes whatever lock `node` has; returns what was removed (null: it was not locked). */
export async function breakNodeLock(db: TDb, key: TLockKey) {
  const held = await db.nodeActionLock.findUnique({ where: { cluster_node: key } });
  if (!held) return null;
  const { count } = await db.nodeActionLock.deleteMany({ where: { ...key, actionId: held.actionId } });
  return count === 1 ? held : null;
}
