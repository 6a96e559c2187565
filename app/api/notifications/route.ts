// GET: every notification endpoint (secrets masked) with its delivery counts; POST: create one (admin, audited).
import { handleApiError } from "@/lib/api/errors";
import { apiRoute, liveJson } from "@/lib/api/route";
import { getDb } from "@/lib/db";
import { env } from "@/lib/env";
import { listEndpoints } from "@/lib/notifications/endpoints";
import { handleCreateEndpoint } from "@/lib/notifications/handle-request";

export const dynamic = "force-dynamic";

export const GET = apiRoute({ permission: "notifications.manage" }, async () =>
  liveJson({ endpoints: await listEndpoints(getDb(), env().NODE_RESCUE_CLUSTER_NAME) }),
);

export async function POST(req: Request) {
  try {
    return liveJson(await handleCreateEndpoint(req), { status: 201 });
  } catch (err) {
    return handleApiError(err);
  }
}
