import { ApiError } from "@/lib/api/errors";
import { apiRoute, liveJson } from "@/lib/api/route";
import { getDb } from "@/lib/db";
import { env } from "@/lib/env";
import { loadIncident } from "@/lib/incidents/load-incident";
import { ZIncidentId } from "@/lib/incidents/params";

export const dynamic = "force-dynamic";

/** GET /api/incidents/<id>: phases, figures, nodes, workloads, stuck pods, actions, auto-repair's decisions and the timeline's lanes. */
export const GET = apiRoute<{ id: string }>({ permission: "cluster.read" }, async (_req, { params }) => {
  const id = ZIncidentId.parse(params.id);
  const view = await loadIncident(getDb(), env().NODE_RESCUE_CLUSTER_NAME, id);
  if (!view) throw new ApiError("not_found", `incident ${id} does not exist`);
  return liveJson(view);
});
