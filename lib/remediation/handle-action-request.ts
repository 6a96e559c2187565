// POST /api/nodes/<name>/actions/<action>, adapted to performAction: who is asking (session
// cookie or token), whether a cookie-borne request really comes from our own pages, and what
// exactly they ask (slug, node name, a capped JSON body, the typed confirmation). Every attempt
// that reaches here is audited, refusals included: with an actor as an AuditEvent row (its
// Origin recorded), without one as a count in the anonymous refusal buckets (429 past a limit).
import { randomUUID } from "node:crypto";
import { ApiError } from "@/lib/api/errors";
import { ZNodeName } from "@/lib/api/params";
import { countAnonymousRefusal } from "@/lib/audit/anonymous";
import type { TAuditAttempt } from "@/lib/audit/write";
import { authenticate, crossSiteRefusal, requestMeta } from "@/lib/auth/guard";
import { getDb } from "@/lib/db";
import { env } from "@/lib/env";
import { readJsonBody } from "@/lib/http/read-body";
import { ensureMonitorStarted } from "@/lib/monitor/instance";
import { ACTION_SLUGS } from "./catalog";
import { authorizationError, performAction, refuseAttempt, type TActionResult } from "./perform-action";
import { ZActionRequest } from "./request";

const zodMessage = (issues: { path: PropertyKey[]; message: string }[]) =>
  issues.map((i) => (i.path.length ? i.message : `body: ${i.message}`)).join("; ");

/**
 * The audited start of every state-changing remediation request: who asks (anonymous callers
 * are counted, and limited, not logged), and whether a cookie-borne request comes from our own
 * pages. Returns the actor, the attempt as the audit log will record it, and its `refuse`.
 */
export async function openAttempt(req: Request, opts: { action: string; target: string; targetKind?: string }) {
  const db = getDb();
  const cluster = env().NODE_RESCUE_CLUSTER_NAME;
  const target = opts.target.slice(0, 253);
  const meta = requestMeta(req.headers);
  const actor = await authenticate(req);
  if (!actor) {
    const { limited, retryAfterSeconds } = countAnonymousRefusal(db, {
      cluster,
      sourceIp: meta.ip,
      action: opts.action,
      target,
      userAgent: meta.userAgent,
    });
    if (limited) throw new ApiError("rate_limited", "too many requests without credentials from this address", { retryAfterSeconds });
    throw new ApiError("unauthorized", "sign in or send an API token");
  }
  const attempt: TAuditAttempt = {
    actionId: randomUUID(),
    cluster,
    action: opts.action,
    target,
    targetKind: opts.targetKind,
    actor,
    origin: req.headers.get("origin"),
  };
  const refuse = (err: ApiError) => refuseAttempt(db, attempt, err);
  const crossSite = crossSiteRefusal(req, actor);
  if (crossSite) throw await refuse(new ApiError("forbidden", crossSite));
  return { db, actor, attempt, refuse };
}

/** The body as JSON under the size cap; a refusal (audited) when it is too large. */
export async function readAttemptBody(req: Request, refuse: (err: ApiError) => Promise<ApiError>): Promise<unknown> {
  try {
    return await readJsonBody(req);
  } catch (err) {
    if (err instanceof ApiError) throw await refuse(err);
    throw err;
  }
}

export const bodyError = (issues: { path: PropertyKey[]; message: string }[]) => new ApiError("bad_request", zodMessage(issues));

export async function handleActionRequest(req: Request, params: { slug: string; node: string }): Promise<TActionResult> {
  const action = ACTION_SLUGS[params.slug] ?? null;
  const { db, actor, attempt, refuse } = await openAttempt(req, {
    action: action ?? `unknown:${params.slug.slice(0, 40)}`,
    target: params.node,
  });
  if (!action)
    throw await refuse(new ApiError("not_found", `unknown action "${params.slug}"; actions: ${Object.keys(ACTION_SLUGS).join(", ")}`));
  const forbidden = authorizationError(actor, action);
  if (forbidden) throw await refuse(forbidden);

  const node = ZNodeName.safeParse(params.node);
  if (!node.success) throw await refuse(new ApiError("bad_request", `node: ${node.error.issues[0]?.message ?? "invalid"}`));
  const body = ZActionRequest.safeParse(await readAttemptBody(req, refuse));
  if (!body.success) throw await refuse(bodyError(body.error.issues));
  attempt.reason = body.data.reason;
  attempt.gateOverride = body.data.override?.reason ?? null;
  if (body.data.confirm !== node.data) {
    throw await refuse(new ApiError("bad_request", `confirm: type the node name "${node.data}" exactly to confirm`));
  }

  const state = ensureMonitorStarted();
  if (state.error) throw await refuse(new ApiError("unavailable", state.error.message));
  return performAction({ db, monitor: state.monitor, actor, attempt, node: node.data, action, input: body.data });
}
