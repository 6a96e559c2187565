// The one way an action is taken, whoever asks (a person in the browser, a token, a repair
// policy): authorize -> gates -> lock -> audit intent -> Kubernetes -> audit outcome. Nothing
// here knows about HTTP; lib/remediation/handle-action-request.ts adapts a request to it, and
// lib/repair/take-step.ts a policy's ladder step. Every refusal found here is audited as the
// attempt's one outcome row. A node.delete's backup commits in the intent's transaction: no
// intent without the backup, no backup of an attempt that never was.
//
// While it runs, an action renews its node lock's lease and has a deadline: every Kubernetes
// call is aborted at it, and a broken lock aborts the action too. Nothing runs before this
// process has reconciled what dead instances left (lib/instance).
import { Prisma } from "@/generated/prisma/client";
import { ApiError } from "@/lib/api/errors";
import { intentData, type TAuditAttempt, writeIntent, writeOutcome } from "@/lib/audit/write";
import { permissionError } from "@/lib/auth/guard";
import { can, PERMISSIONS } from "@/lib/auth/permissions";
import type { TActor } from "@/lib/auth/roles";
import type { TDb } from "@/lib/db";
import { currentInstance } from "@/lib/instance/instance";
import { announceAudit } from "@/lib/live/notices";
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
import { acquireNodeLock, LOCK_RENEW_EVERY_MS, releaseNodeLock, renewNodeLock } from "./lock";
import { setProgress } from "./progress";
import type { TActionRequest } from "./request";

const DEFAULT_DRAIN_TIMEOUT_S = 30;
/** Every action but a drain; a drain gets its PDB retry time on top. Each call has its own 10 s. */
export const ACTION_DEADLINE_MS = 30_000;

const deadlineOf = (action: TAction, drainTimeoutSeconds: number) =>
  action === "node.drain" ? drainTimeoutSeconds * 1000 + ACTION_DEADLINE_MS : ACTION_DEADLINE_MS;

/** An outcome already there means a reconciler took this attempt for dead: its row stands. */
async function writeFinalOutcome(db: TDb, row: Parameters<typeof writeOutcome>[1]) {
  try {
    await writeOutcome(db, row);
  } catch (err) {
    if (!(err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002")) throw err;
    console.error(
      `[node-rescue] attempt ${row.actionId} already has an outcome (reconciled as interrupted); its result was: ${row.message}`,
    );
  }
}

/** An attempt as the audit log sees it before it runs: id, cluster, action, target, request details. */
export type TAttempt = Omit<TAuditAttempt, "actor">;

/** Writes the attempt's refused outcome and returns the error to throw. */
export async function refuseAttempt(db: TDb, attempt: TAuditAttempt, err: ApiError, plan?: unknown): Promise<ApiError> {
  await writeOutcome(db, { ...attempt, outcome: "refused", message: err.message, plan });
  return err;
}

/** ApiError 403 when `actor` may not take `action`. */
export function authorizationError(actor: TActor, action: TAction): ApiError | null {
  return permissionError(actor.role, ACTION_PERMISSION[action]);
}

export type TActionResult = {
  actionId: string;
  action: TAction;
  node: string;
  outcome: "succeeded" | "failed";
  message: string;
  results: TPodResult[];
  plan: unknown;
};

export async function performAction(opts: {
  db: TDb;
  monitor: TMonitor;
  actor: TActor;
  attempt: TAttempt;
  node: string;
  action: TAction;
  input: TActionRequest;
}): Promise<TActionResult> {
  const { db, monitor, actor, node, action, input } = opts;
  // Reconciliation first: a lock or attempt a dead process left must not look live.
  const instance = currentInstance();
  if (instance) await instance.ready;
  const attempt: TAuditAttempt = {
    ...opts.attempt,
    actor,
    reason: input.reason,
    gateOverride: input.override?.reason ?? null,
    instanceId: instance?.self.id ?? null,
  };
  const refuse = (err: ApiError, plan?: unknown) => refuseAttempt(db, attempt, err, plan);

  const forbidden = authorizationError(actor, action);
  if (forbidden) throw await refuse(forbidden);
  if (input.override && !can(actor.role, "gate.override")) {
    throw await refuse(new ApiError("forbidden", `${actor.role} may not override safety gates; needs ${PERMISSIONS["gate.override"]}`));
  }

  // Is it safe? The gates run on the server, on the cached view of the cluster.
  let assessment: Awaited<ReturnType<typeof assessAction>>;
  try {
    assessment = await assessAction({ monitor, db, node, action });
  } catch (err) {
    if (err instanceof ApiError) throw await refuse(err);
    throw err;
  }
  const { plan, checks } = assessment;
  const refusals = refusalsOf(checks, Boolean(input.override));
  if (refusals.length) {
    throw await refuse(
      new ApiError("precondition_failed", `refused by safety gates: ${refusals.map((r) => r.message).join("; ")}`, { checks }),
      plan,
    );
  }

  // One at a time per node.
  const { actionId } = attempt;
  const holder = `${actor.name} (${actor.role})`;
  const lockKey = { cluster: monitor.cluster, node, actionId };
  try {
    await acquireNodeLock(db, { ...lockKey, action, holder, instanceId: attempt.instanceId ?? null });
  } catch (err) {
    if (err instanceof ApiError) throw await refuse(err, plan);
    throw err;
  }

  // From here on the attempt has a deadline, and its lease is renewed until it ends.
  const drainTimeoutSeconds = input.timeoutSeconds ?? DEFAULT_DRAIN_TIMEOUT_S;
  const deadlineMs = deadlineOf(action, drainTimeoutSeconds);
  const abort = new AbortController();
  const deadline = setTimeout(() => abort.abort(`deadline of ${deadlineMs / 1000} s`), deadlineMs);
  const renewal = setInterval(() => {
    void renewNodeLock(db, lockKey).then(
      (ours) => ours || abort.abort("its node lock was broken"),
      (err: unknown) => console.error("[node-rescue] could not renew a node lock", err),
    );
  }, LOCK_RENEW_EVERY_MS);

  const startedAt = new Date().toISOString();
  const progress = (results: TPodResult[], done: boolean, message: string | null) =>
    setProgress(node, { actionId, action, actor: holder, startedAt, results, done, message });
  try {
    if (action === "node.delete") {
      const { nodeObject } = assessment;
      const [intent] = await db.$transaction([
        db.auditEvent.create({ data: intentData({ ...attempt, plan }) }),
        db.nodeBackup.create({
          data: {
            cluster: monitor.cluster,
            node,
            nodeUid: nodeObject.metadata?.uid ?? null,
            labels: JSON.stringify(nodeObject.metadata?.labels ?? {}),
            annotations: JSON.stringify(nodeObject.metadata?.annotations ?? {}),
            taints: JSON.stringify(nodeObject.spec?.taints ?? []),
            actionId,
          },
        }),
      ]);
      announceAudit(intent);
    } else {
      await writeIntent(db, { ...attempt, plan });
    }
    const ctx: TExecContext = {
      kc: monitor.kc,
      node,
      actionId,
      actor: actor.name,
      reason: input.reason,
      evictionVersion: assessment.policyVersions.eviction,
      onProgress: (results) => progress(results, false, null),
      signal: abort.signal,
      connected: () => monitor.cache.connection().status === "connected",
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
        timeoutSeconds: drainTimeoutSeconds,
      });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const status = err instanceof ActionFailedError ? err.status : { code: 0, reason: null, message };
      const results = err instanceof ActionFailedError ? err.results : [];
      await writeFinalOutcome(db, { ...attempt, outcome: "failed", message, k8sStatus: status, results });
      progress(results, true, message);
      throw new ApiError("failed_dependency", message, { actionId, k8sStatus: status });
    }
    const outcome = execution.ok ? "succeeded" : "failed";
    await writeFinalOutcome(db, { ...attempt, outcome, message: execution.message, results: execution.results });
    progress(execution.results, true, execution.message);
    return { actionId, action, node, outcome, message: execution.message, results: execution.results, plan };
  } finally {
    clearTimeout(deadline);
    clearInterval(renewal);
    await releaseNodeLock(db, lockKey);
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
      // Its backup was committed with the intent.
      return deleteNode(ctx, plan);
    case "node.restore": {
      const backup = assessment.backup;
      if (!backup || !plan.restore) throw new ApiError("precondition_failed", "no backup to restore");
      const result = await restore(ctx, nodeObject, plan.restore);
      await db.nodeBackup.update({ where: { id: backup.row.id }, data: { restoredAt: new Date(), restoredBy: ctx.actor } });
      return result;
    }
    case "node.out-of-service.apply": {
      return outOfService(ctx, {
        apply: true,
        plan,
        onTainted: () => db.outOfServiceTaint.create({ data: { cluster, node: ctx.node, appliedBy: ctx.actor, actionId: ctx.actionId } }),
      });
    }
    case "node.out-of-service.remove": {
      const result = await outOfService(ctx, {
        apply: false,
        onTainted: () =>
          db.outOfServiceTaint.updateMany({
            where: { cluster, node: ctx.node, removedAt: null },
            data: { removedAt: new Date(), removedBy: ctx.actor },
          }),
      });
      return { ...result, message: `${result.message} (${OUT_OF_SERVICE_TAINT.key})` };
    }
  }
}
