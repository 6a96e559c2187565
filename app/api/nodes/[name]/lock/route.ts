// GET: who holds the node's action lock (null when nobody); DELETE: break it (admin, reason).
import { handleApiError } from "@/lib/api/errors";
import { ZNodeName } from "@/lib/api/params";
import { apiRoute, liveJson } from "@/lib/api/route";
import { getDb } from "@/lib/db";
import { env } from "@/lib/env";
import { handleBreakLockRequest } from "@/lib/remediation/break-lock";

export const dynamic = "force-dynamic";

type TParams = { name: string };

export const GET = apiRoute<TParams>({ permission: "cluster.read" }, async (_req, { params }) => {
  const node = ZNodeName.parse(params.name);
  const lock = await getDb().nodeActionLock.findUnique({ where: { cluster_node: { cluster: env().NODE_RESCUE_CLUSTER_NAME, node } } });
  return liveJson({
    node,
    lock: lock && {
      holder: lock.holder,
      action: lock.action,
      actionId: lock.actionId,
      since: lock.acquiredAt.toISOString(),
      leaseUntil: lock.expiresAt.toISOString(),
    },
  });
});

export async function DELETE(req: Request, ctx: { params: Promise<TParams> }) {
  try {
    return liveJson(await handleBreakLockRequest(req, (await ctx.params).name));
  } catch (err) {
    return handleApiError(err);
  }
}
