// GET: the dry-run preview of an action on a node (plan + safety gates); POST: do it.
import { ApiError, handleApiError } from "@/lib/api/errors";
import { ZNodeName } from "@/lib/api/params";
import { apiRoute, liveJson } from "@/lib/api/route";
import { can } from "@/lib/auth/permissions";
import { getDb } from "@/lib/db";
import { requireMonitor } from "@/lib/monitor/instance";
import { ACTION_PERMISSION, ACTION_SLUGS } from "@/lib/remediation/catalog";
import { assessAction } from "@/lib/remediation/context";
import { refusalsOf } from "@/lib/remediation/gates";
import { handleActionRequest } from "@/lib/remediation/handle-action-request";

export const dynamic = "force-dynamic";

type TParams = { name: string; action: string };

export const GET = apiRoute<TParams>({ permission: "cluster.read" }, async (_req, { params, actor }) => {
  const action = ACTION_SLUGS[params.action];
  if (!action) throw new ApiError("not_found", `unknown action "${params.action}"; actions: ${Object.keys(ACTION_SLUGS).join(", ")}`);
  const name = ZNodeName.parse(params.name);
  const a = await assessAction({ monitor: requireMonitor(), db: getDb(), node: name, action });
  const refusals = refusalsOf(a.checks, false);
  return liveJson({
    action,
    node: name,
    plan: a.plan,
    checks: a.checks,
    allowed: refusals.length === 0,
    overridable: refusals.length > 0 && refusals.every((r) => r.overridable),
    you: { role: actor.role, may: can(actor.role, ACTION_PERMISSION[action]), mayOverride: can(actor.role, "gate.override") },
  });
});

export async function POST(req: Request, ctx: { params: Promise<TParams> }) {
  try {
    const { name, action } = await ctx.params;
    return liveJson(await handleActionRequest(req, { slug: action, node: name }));
  } catch (err) {
    return handleApiError(err);
  }
}
