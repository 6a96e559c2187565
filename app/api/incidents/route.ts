import { queryOf } from "@/lib/api/params";
import { apiRoute, liveJson } from "@/lib/api/route";
import { getDb } from "@/lib/db";
import { env } from "@/lib/env";
import { listIncidents } from "@/lib/incidents/list";
import { ZIncidentQuery } from "@/lib/incidents/params";

export const dynamic = "force-dynamic";

/** GET /api/incidents?node=&workload=&namespace=&status=&from=&to=&actions=&suspicions=&cursor=&limit=: newest first. */
export const GET = apiRoute({ permission: "cluster.read" }, async (req) => {
  const query = ZIncidentQuery.parse(queryOf(req));
  return liveJson(await listIncidents({ db: getDb(), cluster: env().NODE_RESCUE_CLUSTER_NAME, ...query }));
});
