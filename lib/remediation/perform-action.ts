// One remediation request from start to finish: authenticate -> authorize -> validate -> gates ->
// lock -> audit intent -> Kubernetes -> audit outcome. Every attempt that reaches here is
// audited, refusals and failures included.
import { randomUUID } from "node:crypto";
import { ApiError } from "@/lib/api/errors";
import { ZNodeName } from "@/lib/api/params";
import { type TAuditAttempt, writeIntent, writeOutcome } from "@/lib/audit/write";
import { authenticate, requestMeta } from "@/lib/auth/guard";
import { can, PERMISSIONS } from "@/lib/auth/permissions";
import type { TActor } from "@/lib/auth/roles";
import type { TDb } from "@/lib/db";
import type { TMonitor } from "@/lib/monitor/monitor";
import { ACTION_PERMISSION, OUT_OF_SERVICE_TAINT, type TAction } from "./catalog";
import { assessAction } from "./context";
import {
  ActionFailedError,
  cordon,
  deleteNode,
  drain,
  forceDeleteTerminating,
  outOfService,
  restore,
  type TExecContext,
  type TExecution,
  type TPodResult,
} from "./execute";
import { refusalsOf } from "./gates";
import { acquireNodeLock, releaseNodeLock } from "./lock";
import { setProgress } from "./progress";
import { ZActionRequest } from "./request";

const DEFAULT_DRAIN_TIMEOUT_S = 30;

export async function runAction(opts: { req: Request; monitor: TMonitor; db: TDb; action: TAction; rawNode: string }) {
  const { req, monitor, db, action } = opts;
  const actionId = randomUUID();
  const meta = requestMeta(req.headers);
  const attempt: TAuditAttempt = { actionId, cluster: monitor.cluster, action, target: opts.rawNode.slice(0, 253), actor: null, ...meta };
  const refuse = async (err: ApiError, plan?: unknown) => {
    await writeOutcome(db, { ...attempt, outcome: "refused", message: err.message, plan });
    return err;
  };

  // Who, and may they? Refusals are audited too (an anonymous one with its source address).
  const actor: TActor | null = await authenticate(req);
  attempt.actor = actor;
  if (!actor) throw await refuse(new ApiError("unauthorized", "sign in or send an API token"));
  const permission = ACTION_PERMISSION[action];
  if (!can(actor.role, permission)) {
    throw await refuse(new ApiError("forbidden", `${actor.role} may not ${permission}; needs ${PERMISSIONS[permission]}`));
  }

  // What exactly, and why?
  const nodeName = ZNodeName.safeParse(opts.rawNode);
  if (!nodeName.success) throw await refuse(new ApiError("bad_request", `node: ${nodeName.error.issues[0]?.message ?? "invalid"}`));
  const body = ZActionRequest.safeParse(await req.json().catch(() => undefined));
  if (!body.success)
    throw await refuse(
      new ApiError("bad_request", body.error.issues.map((i) => (i.path.length ? i.message : `body: ${i.message}`)).join("; ")),
    );
  const request = body.data;
  attempt.reason = request.reason;
  attempt.gateOverride = request.override?.reason ?? null;
  if (request.confirm !== nodeName.data) {
    throw await refuse(new ApiError("bad_request", `confirm: type the node name "${nodeName.data}" exactly to confirm`));
  }
  if (request.override && !can(actor.role, "gate.override")) {
    throw await refuse(new ApiError("forbidden", `${actor.role} may not override safety gates; needs ${PERMISSIONS["gate.override"]}`));
  }

  // Is it safe? The gates run on the server, on the cached view of the cluster.
  let assessment: Awaited<ReturnType<typeof assessAction>>;
  try {
    assessment = await assessAction({ monitor, db, node: nodeName.data, action });
  } catch (err) {
    if (err instanceof ApiError) throw await refuse(err);
    throw err;
  }
  const { plan, checks } = assessment;
  const refusals = refusalsOf(checks, Boolean(request.override));
  if (refusals.length) {
    throw await refuse(
      new ApiError("precondition_failed", `refused by safety gates: ${refusals.map((r) => r.message).join("; ")}`, { checks }),
      plan,
    );
  }

  // One at a time per node.
  const holder = `${actor.name} (${actor.role})`;
  try {
    await acquireNodeLock(db, { cluster: monitor.cluster, node: nodeName.data, actionId, action, holder });
  } catch (err) {
    if (err instanceof ApiError) throw await refuse(err, plan);
    throw err;
  }

  const startedAt = new Date().toISOString();
  const progress = (results: TPodResult[], done: boolean, message: string | null) =>
    setProgress(nodeName.data, { actionId, action, actor: holder, startedAt, results, done, message });
  try {
    await writeIntent(db, { ...attempt, plan });
    const ctx: TExecContext = {
      kc: monitor.kc,
      node: nodeName.data,
      actionId,
      actor: actor.name,
      reason: request.reason,
      policyVersion: assessment.policyVersion,
      onProgress: (results) => progress(results, false, null),
    };
    progress([], false, null);
    let execution: TExecution;
    try {
      execution = await execute({
        action,
        ctx,
        assessment,
        db,
        cluster: monitor.cluster,
        timeoutSeconds: request.timeoutSeconds ?? DEFAULT_DRAIN_TIMEOUT_S,
      });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const status = err instanceof ActionFailedError ? err.status : { code: 0, reason: null, message };
      const results = err instanceof ActionFailedError ? err.results : [];
      await writeOutcome(db, { ...attempt, outcome: "failed", message, k8sStatus: status, results });
      progress(results, true, message);
      throw new ApiError("failed_dependency", message, { actionId, k8sStatus: status });
    }
    const outcome = execution.ok ? "succeeded" : "failed";
    await writeOutcome(db, { ...attempt, outcome, message: execution.message, results: execution.results });
    progress(execution.results, true, execution.message);
    return { actionId, action, node: nodeName.data, outcome, message: execution.message, results: execution.results, plan };
  } finally {
    await releaseNodeLock(db, { cluster: monitor.cluster, node: nodeName.data, actionId });
  }
}

async function execute(opts: {
  action: TAction;
  ctx: TExecContext;
  assessment: Awaited<ReturnType<typeof assessAction>>;
  db: TDb;
  cluster: string;
  timeoutSeconds: number;
}): Promise<TExecution> {
  const { action, ctx, assessment, db, cluster } = opts;
  const { nodeObject, plan } = assessment;
  switch (action) {
    case "node.cordon":
    case "node.uncordon":
      return cordon(ctx, action);
    case "node.drain":
      return drain(ctx, plan, opts.timeoutSeconds);
    case "pods.force-delete":
      return forceDeleteTerminating(ctx, plan);
    case "node.delete":
      // The backup first: a node deleted without one could not be restored.
      await db.nodeBackup.create({
        data: {
          cluster,
          node: ctx.node,
          nodeUid: nodeObject.metadata?.uid ?? null,
          labels: JSON.stringify(nodeObject.metadata?.labels ?? {}),
          annotations: JSON.stringify(nodeObject.metadata?.annotations ?? {}),
          taints: JSON.stringify(nodeObject.spec?.taints ?? []),
          actionId: ctx.actionId,
        },
      });
      return deleteNode(ctx);
    case "node.restore": {
      const backup = assessment.backup;
      if (!backup || !plan.restore) throw new ApiError("precondition_failed", "no backup to restore");
      const result = await restore(ctx, nodeObject, plan.restore);
      await db.nodeBackup.update({ where: { id: backup.row.id }, data: { restoredAt: new Date(), restoredBy: ctx.actor } });
      return result;
    }
    case "node.out-of-service.apply": {
      const result = await outOfService(ctx, nodeObject, true);
      await db.outOfServiceTaint.create({ data: { cluster, node: ctx.node, appliedBy: ctx.actor, actionId: ctx.actionId } });
      return result;
    }
    case "node.out-of-service.remove": {
      const result = await outOfService(ctx, nodeObject, false);
      await db.outOfServiceTaint.updateMany({
        where: { cluster, node: ctx.node, removedAt: null },
        data: { removedAt: new Date(), removedBy: ctx.actor },
      });
      return { ...result, message: `${result.message} (${OUT_OF_SERVICE_TAINT.key})` };
    }
  }
}
