// POST: send a synthetic test event to the endpoint now and answer with the receiver's result (admin, audited).
import { handleApiError } from "@/lib/api/errors";
import { liveJson } from "@/lib/api/route";
import { handleTestEndpoint } from "@/lib/notifications/handle-request";

export const dynamic = "force-dynamic";

export async function POST(req: Request, ctx: { params: Promise<{ id: string }> }) {
  try {
    return liveJson(await handleTestEndpoint(req, (await ctx.params).id));
  } catch (err) {
    return handleApiError(err);
  }
}
