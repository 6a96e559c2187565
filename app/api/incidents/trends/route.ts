import { z } from "zod";
import { queryOf } from "@/lib/api/params";
import { apiRoute, liveJson } from "@/lib/api/route";
import { getDb } from "@/lib/db";
import { env } from "@/lib/env";
import { loadTrends } from "@/lib/incidents/load-trends";

export const dynamic = "force-dynamic";

const ZQuery = z.strictObject({
  weeks: z.coerce.number().int("weeks is a whole number").min(1, "weeks is 1 to 104").max(104, "weeks is 1 to 104").default(12),
});

/** GET /api/incidents/trends?weeks=12: incidents per week, time to recover (median, p90), most-affected nodes and workloads. */
export const GET = apiRoute({ permission: "cluster.read" }, async (req) => {
  const { weeks } = ZQuery.parse(queryOf(req));
  return liveJson(await loadTrends(getDb(), env().NODE_RESCUE_CLUSTER_NAME, weeks));
});
