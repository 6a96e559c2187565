// POST { reason }: reset the tripped storm breaker (admin, audited).
import { handleApiError } from "@/lib/api/errors";
import { liveJson } from "@/lib/api/route";
import { handleBreakerReset } from "@/lib/repair/handle-request";

export const dynamic = "force-dynamic";

export async function POST(req: Request) {
  try {
    return liveJson(await handleBreakerReset(req));
  } catch (err) {
    return handleApiError(err);
  }
}
