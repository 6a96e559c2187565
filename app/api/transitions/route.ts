import { z } from "zod";
import { queryOf, ZNodeName } from "@/lib/api/params";
import { apiRoute, liveJson } from "@/lib/api/route";
import { getDb } from "@/lib/db";
import { env } from "@/lib/env";
import { listTransitions } from "@/lib/transitions/list";

export const dynamic = "force-dynamic";

const ZQuery = z.strictObject({
  node: ZNodeName.optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1, "limit is 1 to 500").max(500, "limit is 1 to 500").default(50),
});

/** GET /api/transitions?node=<name>&limit=<1-500>&cursor=<from the previous page>: newest first. */
export const GET = apiRoute({ permission: "cluster.read" }, async (req) => {
  const query = ZQuery.parse(queryOf(req));
  const page = await listTransitions({ db: getDb(), cluster: env().NODE_RESCUE_CLUSTER_NAME, ...query });
  return liveJson(page);
});
