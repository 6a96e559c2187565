// POST { reason }: clear a hold (a flapping node), so auto-repair may act on the node again (admin, audited).
import { handleApiError } from "@/lib/api/errors";
import { liveJson } from "@/lib/api/route";
import { handleClearHold } from "@/lib/repair/handle-request";

export const dynamic = "force-dynamic";

export async function POST(req: Request, ctx: { params: Promise<{ id: string }> }) {
  try {
    return liveJson(await handleClearHold(req, (await ctx.params).id));
  } catch (err) {
    return handleApiError(err);
  }
}
