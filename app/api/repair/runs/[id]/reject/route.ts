// POST { reason }: reject a proposed repair (operator or admin, holding every ladder action's
// permission; audited).
import { handleApiError } from "@/lib/api/errors";
import { liveJson } from "@/lib/api/route";
import { handleReject } from "@/lib/repair/handle-request";

export const dynamic = "force-dynamic";

export async function POST(req: Request, ctx: { params: Promise<{ id: string }> }) {
  try {
    return liveJson(await handleReject(req, (await ctx.params).id));
  } catch (err) {
    return handleApiError(err);
  }
}
