// POST { reason }: approve a proposed repair (operator or admin, holding every ladder action's
// permission; audited). Every safety rule and gate is checked again first.
import { handleApiError } from "@/lib/api/errors";
import { liveJson } from "@/lib/api/route";
import { handleApprove } from "@/lib/repair/handle-request";

export const dynamic = "force-dynamic";

export async function POST(req: Request, ctx: { params: Promise<{ id: string }> }) {
  try {
    return liveJson(await handleApprove(req, (await ctx.params).id));
  } catch (err) {
    return handleApiError(err);
  }
}
