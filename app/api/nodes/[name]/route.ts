import { ApiError } from "@/lib/api/errors";
import { apiRoute, liveJson } from "@/lib/api/route";
import { ZNodeName } from "@/lib/api/params";
import { requireSnapshot } from "@/lib/monitor/instance";
import { viewNode } from "@/lib/views/nodes";

export const dynamic = "force-dynamic";

export const GET = apiRoute<{ name: string }>((_req, { params }) => {
  const name = ZNodeName.parse(params.name);
  const view = viewNode(requireSnapshot(), name);
  if (!view) throw new ApiError("not_found", `node "${name}" is not in the cluster`);
  return liveJson(view);
});
