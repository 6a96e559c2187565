// POST { paused, reason }: pause or resume all auto-repair of the cluster (admin, audited).
import { handleApiError } from "@/lib/api/errors";
import { liveJson } from "@/lib/api/route";
import { handlePause } from "@/lib/repair/handle-request";

export const dynamic = "force-dynamic";

export async function POST(req: Request) {
  try {
    return liveJson(await handlePause(req));
  } catch (err) {
    return handleApiError(err);
  }
}
