import { z } from "zod";
import { queryOf, ZNodeName } from "@/lib/api/params";
import { apiRoute, liveJson } from "@/lib/api/route";
import { getDb } from "@/lib/db";
import { env } from "@/lib/env";
import { loadNodeHistory } from "@/lib/transitions/load-history";

export const dynamic = "force-dynamic";

const ZQuery = z.strictObject({ window: z.enum(["24h", "7d"], "window is 24h or 7d").default("24h") });

/**
 * GET /api/nodes/<name>/history?window=24h|7d: the node's recorded health as spans covering the
 * window (from its transitions; also for a node that is gone from the cluster).
 */
export const GET = apiRoute<{ name: string }>({ permission: "cluster.read" }, async (req, { params }) => {
  const node = ZNodeName.parse(params.name);
  const { window } = ZQuery.parse(queryOf(req));
  return liveJson(await loadNodeHistory(getDb(), { cluster: env().NODE_RESCUE_CLUSTER_NAME, node, window }));
});
