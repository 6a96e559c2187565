// POST: the endpoint's given-up deliveries are tried again, in event order (admin, audited).
import { handleApiError } from "@/lib/api/errors";
import { liveJson } from "@/lib/api/route";
import { handleRetryEndpoint } from "@/lib/notifications/handle-request";

export const dynamic = "force-dynamic";

export async function POST(req: Request, ctx: { params: Promise<{ id: string }> }) {
  try {
    return liveJson(await handleRetryEndpoint(req, (await ctx.params).id));
  } catch (err) {
    return handleApiError(err);
  }
}
