// GET: auto-repair's state: the engine here (leader, ticks), the pause and storm breaker, holds, repairs under way and the latest
// ended ones, and the newest decisions (?node= for one node's, ?limit= up to 500; default 100).
import { z } from "zod";
import { ApiError } from "@/lib/api/errors";
import { ZNodeName } from "@/lib/api/params";
import { apiRoute, liveJson } from "@/lib/api/route";
import { getDb } from "@/lib/db";
import { env } from "@/lib/env";
import { ensureMonitorStarted } from "@/lib/monitor/instance";
import { loadRepairState } from "@/lib/repair/load-state";

export const dynamic = "force-dynamic";

const ZQuery = z.strictObject({
  node: ZNodeName.optional(),
  limit: z.coerce
    .number({ error: "limit: 1 to 500" })
    .int("limit: 1 to 500")
    .min(1, "limit: 1 to 500")
    .max(500, "limit: 1 to 500")
    .default(100),
});

export const GET = apiRoute({ permission: "repair.read" }, async (req) => {
  const query = ZQuery.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!query.success) throw new ApiError("bad_request", query.error.issues.map((i) => i.message).join("; "));
  const state = await loadRepairState(getDb(), env().NODE_RESCUE_CLUSTER_NAME, query.data);
  return liveJson({ ...state, engine: ensureMonitorStarted().engine?.status() ?? null });
});
