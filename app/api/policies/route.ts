// GET: every repair policy with the number of current nodes it selects (operators and admins);
// POST: create one from its document, defaults filled in (admin, audited). 201 with the stored document.
import { handleApiError } from "@/lib/api/errors";
import { apiRoute, liveJson } from "@/lib/api/route";
import { getDb } from "@/lib/db";
import { env } from "@/lib/env";
import { latestSnapshot } from "@/lib/monitor/instance";
import { handleCreatePolicy } from "@/lib/policies/handle-request";
import { listPolicies } from "@/lib/policies/list-policies";

export const dynamic = "force-dynamic";

export const GET = apiRoute({ permission: "policies.read" }, async () =>
  liveJson(await listPolicies(getDb(), env().NODE_RESCUE_CLUSTER_NAME, latestSnapshot())),
);

export async function POST(req: Request) {
  try {
    const { id, policy } = await handleCreatePolicy(req);
    return liveJson(policy, { status: 201, headers: { Location: `/api/policies/${id}` } });
  } catch (err) {
    return handleApiError(err);
  }
}
