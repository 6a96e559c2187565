import { ZNodeName } from "@/lib/api/params";
import { apiRoute, liveJson } from "@/lib/api/route";
import { getProgress } from "@/lib/remediation/progress";

export const dynamic = "force-dynamic";

/** The action running (or last run) on this node by this server, with per-pod results so far. */
export const GET = apiRoute<{ name: string }>({ permission: "cluster.read" }, (_req, { params }) =>
  liveJson({ progress: getProgress(ZNodeName.parse(params.name)) }),
);
