// GET one endpoint (masked); PUT: change it (a secret left out is kept); DELETE: remove it and its deliveries. Admin, audited.
import { ApiError, handleApiError } from "@/lib/api/errors";
import { apiRoute, liveJson } from "@/lib/api/route";
import { getDb } from "@/lib/db";
import { env } from "@/lib/env";
import { listEndpoints } from "@/lib/notifications/endpoints";
import { handleDeleteEndpoint, handleUpdateEndpoint } from "@/lib/notifications/handle-request";
import { ZEndpointId } from "@/lib/notifications/schemas";

export const dynamic = "force-dynamic";

type TParams = { id: string };

export const GET = apiRoute<TParams>({ permission: "notifications.manage" }, async (_req, { params }) => {
  const id = ZEndpointId.parse(params.id);
  const endpoint = (await listEndpoints(getDb(), env().NODE_RESCUE_CLUSTER_NAME)).find((e) => e.id === id);
  if (!endpoint) throw new ApiError("not_found", `notification endpoint ${id} does not exist`);
  return liveJson(endpoint);
});

export async function PUT(req: Request, ctx: { params: Promise<TParams> }) {
  try {
    return liveJson(await handleUpdateEndpoint(req, (await ctx.params).id));
  } catch (err) {
    return handleApiError(err);
  }
}

export async function DELETE(req: Request, ctx: { params: Promise<TParams> }) {
  try {
    return liveJson(await handleDeleteEndpoint(req, (await ctx.params).id));
  } catch (err) {
    return handleApiError(err);
  }
}
