import { ApiError } from "@/lib/api/errors";
import { ZNodeName } from "@/lib/api/params";
import { apiRoute, liveJson } from "@/lib/api/route";
import { getDb } from "@/lib/db";
import { requireSnapshot } from "@/lib/monitor/instance";
import { pendingBackup } from "@/lib/remediation/context";
import { outOfServiceStatus } from "@/lib/remediation/out-of-service-status";
import { viewNode } from "@/lib/views/nodes";

export const dynamic = "force-dynamic";

export const GET = apiRoute<{ name: string }>({ permission: "cluster.read" }, async (_req, { params }) => {
  const name = ZNodeName.parse(params.name);
  const snapshot = requireSnapshot();
  const view = viewNode(snapshot, name);
  if (!view) throw new ApiError("not_found", `node "${name}" is not in the cluster`);
  // node-rescue deleted this node earlier and it came back as a new object: offer the restore.
  const db = getDb();
  const backup = await pendingBackup(db, snapshot.cluster.name, name);
  const uid = snapshot.nodeObjects.get(name)?.metadata?.uid ?? null;
  const restore =
    backup && backup.row.nodeUid !== uid
      ? { available: true, takenAt: backup.row.takenAt.toISOString(), actionId: backup.row.actionId }
      : null;
  // Out of service: tracked until removed, its removal proposed once the node is back and empty.
  const outOfService = await outOfServiceStatus({ db, snapshot, node: name });
  return liveJson({ ...view, restore, outOfService });
});
