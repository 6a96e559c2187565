// GET one policy's document, exactly as PUT takes it back; PUT: replace the whole document
// (declarative, as kept in Git); DELETE: remove it. Reads for operators and admins, changes admin, audited.
import { handleApiError } from "@/lib/api/errors";
import { apiRoute, liveJson } from "@/lib/api/route";
import { getDb } from "@/lib/db";
import { env } from "@/lib/env";
import { handleDeletePolicy, handleReplacePolicy } from "@/lib/policies/handle-request";
import { findPolicy } from "@/lib/policies/list-policies";
import { ZPolicyId } from "@/lib/policies/schema";

export const dynamic = "force-dynamic";

type TParams = { id: string };

export const GET = apiRoute<TParams>({ permission: "policies.read" }, async (_req, { params }) =>
  liveJson((await findPolicy(getDb(), env().NODE_RESCUE_CLUSTER_NAME, ZPolicyId.parse(params.id))).policy),
);

export async function PUT(req: Request, ctx: { params: Promise<TParams> }) {
  try {
    return liveJson((await handleReplacePolicy(req, (await ctx.params).id)).policy);
  } catch (err) {
    return handleApiError(err);
  }
}

export async function DELETE(req: Request, ctx: { params: Promise<TParams> }) {
  try {
    return liveJson(await handleDeletePolicy(req, (await ctx.params).id));
  } catch (err) {
    return handleApiError(err);
  }
}
