// One remediation at a time per node: a row in NodeActionLock is the lock, so it holds across
// processes (and replicas later). A holder that crashed loses the lock when it expires.
import { Prisma } from "@/generated/prisma/client";
import { ApiError } from "@/lib/api/errors";
import type { TDb } from "@/lib/db";

const LOCK_TTL_MS = 15 * 60_000;

export async function acquireNodeLock(db: TDb, lock: { cluster: string; node: string; actionId: string; action: string; holder: string }) {
  const data = { ...lock, expiresAt: new Date(Date.now() + LOCK_TTL_MS) };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await db.nodeActionLock.create({ data });
      return;
    } catch (err) {
      if (!(err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002")) throw err;
      // Taken: take it over only if the holder's lease ran out.
      const removed = await db.nodeActionLock.deleteMany({
        where: { cluster: lock.cluster, node: lock.node, expiresAt: { lt: new Date() } },
      });
      if (removed.count > 0) continue;
      const held = await db.nodeActionLock.findUnique({ where: { cluster_node: { cluster: lock.cluster, node: lock.node } } });
      throw new ApiError(
        "conflict",
        held
          ? `${lock.node} is being remediated by ${held.holder} (${held.action}, since ${held.acquiredAt.toISOString()}): one action at a time per node`
          : `${lock.node} is being remediated by someone else: one action at a time per node`,
        held ? { holder: held.holder, action: held.action, since: held.acquiredAt.toISOString() } : undefined,
      );
    }
  }
  throw new ApiError("conflict", `${lock.node} is locked`);
}

export function releaseNodeLock(db: TDb, lock: { cluster: string; node: string; actionId: string }) {
  return db.nodeActionLock.deleteMany({ where: { cluster: lock.cluster, node: lock.node, actionId: lock.actionId } });
}
