import { ApiError } from "@/lib/api/errors";
import { ZNodeName } from "@/lib/api/params";
import { apiRoute, liveJson } from "@/lib/api/route";
import { requireMonitor, requireSnapshot } from "@/lib/monitor/instance";
import { gatherEvidence } from "@/lib/remediation/evidence";

export const dynamic = "force-dynamic";

/** Is the node really dead? Ready condition, Lease, taints, a TCP probe of its kubelet, Events. */
export const GET = apiRoute<{ name: string }>({ permission: "cluster.read" }, async (_req, { params }) => {
  const name = ZNodeName.parse(params.name);
  const node = requireSnapshot().health?.nodes.find((n) => n.name === name);
  if (!node) throw new ApiError("not_found", `node "${name}" is not in the cluster`);
  return liveJson(await gatherEvidence(requireMonitor(), node));
});
