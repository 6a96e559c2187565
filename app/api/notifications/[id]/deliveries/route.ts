// GET: the endpoint's deliveries, newest first (?limit=1..200, ?before=<delivery id>), with attempts and the last error.
import { z } from "zod";
import { ApiError } from "@/lib/api/errors";
import { apiRoute, liveJson } from "@/lib/api/route";
import { getDb } from "@/lib/db";
import { env } from "@/lib/env";
import { listDeliveries } from "@/lib/notifications/deliveries";
import { ZEndpointId } from "@/lib/notifications/schemas";

export const dynamic = "force-dynamic";

const ZQuery = z.object({
  limit: z.coerce.number().int().min(1, "limit: 1 to 200").max(200, "limit: 1 to 200").default(50),
  before: z.coerce.number().int().positive("before: a delivery id").optional(),
});

export const GET = apiRoute<{ id: string }>({ permission: "notifications.manage" }, async (req, { params }) => {
  const id = ZEndpointId.parse(params.id);
  const query = ZQuery.parse(Object.fromEntries(new URL(req.url).searchParams));
  const db = getDb();
  const endpoint = await db.notificationEndpoint.findFirst({
    where: { id, cluster: env().NODE_RESCUE_CLUSTER_NAME },
    select: { id: true },
  });
  if (!endpoint) throw new ApiError("not_found", `notification endpoint ${id} does not exist`);
  return liveJson(await listDeliveries(db, id, query));
});
