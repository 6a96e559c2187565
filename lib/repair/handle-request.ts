// The HTTP side of auto-repair's human controls: pause/resume, the storm breaker's reset,
// approving or rejecting a proposal, clearing a hold. Each goes through openAttempt (token or
// session; a cookie-borne request only from our own pages), needs its permission, carries a
// reason, and is audited — refusals too — as an AuditEvent, besides its RepairDecision.
import "server-only";
import { z } from "zod";
import { ApiError } from "@/lib/api/errors";
import { issuesMessage } from "@/lib/api/issues";
import { writeOutcome } from "@/lib/audit/write";
import { permissionError } from "@/lib/auth/guard";
import type { TPermission } from "@/lib/auth/permissions";
import type { TActor } from "@/lib/auth/roles";
import { ensureMonitorStarted } from "@/lib/monitor/instance";
import { openAttempt, readAttemptBody } from "@/lib/remediation/handle-action-request";
import { approveRun, clearHold, rejectRun } from "./approve-run";
import { resetBreaker, setPaused } from "./control";
import type { TRepairEngine } from "./engine";
import type { TTick } from "./tick";

const ZReason = z
  .string({ error: "reason: a reason is required" })
  .trim()
  .min(5, "reason: say why, in at least 5 characters")
  .max(500, "reason: at most 500 characters");
const ZReasonBody = z.strictObject({ reason: ZReason });
const ZPauseBody = z.strictObject({ paused: z.boolean({ error: "paused: true or false" }), reason: ZReason });
const ZId = z.coerce
  .number({ error: "id: a positive integer" })
  .int("id: a positive integer")
  .positive("id: a positive integer")
  .max(2_147_483_647);

type TControlRequest<B> = {
  action: string;
  target: string;
  targetKind: string;
  permission: TPermission;
  body: z.ZodType<B>;
  run: (ctx: {
    engine: TRepairEngine;
    tick: () => Promise<TTick>;
    actor: TActor;
    body: B;
  }) => Promise<{ message: string; result: unknown; target?: string }>;
};

async function handle<B>(req: Request, spec: TControlRequest<B>) {
  const { db, actor, attempt, refuse } = await openAttempt(req, { action: spec.action, target: spec.target, targetKind: spec.targetKind });
  const forbidden = permissionError(actor.role, spec.permission);
  if (forbidden) throw await refuse(forbidden);
  const body = spec.body.safeParse(await readAttemptBody(req, refuse));
  if (!body.success) throw await refuse(new ApiError("bad_request", issuesMessage(body.error.issues)));
  attempt.reason = (body.data as { reason?: string }).reason ?? null;
  const state = ensureMonitorStarted();
  if (state.error) throw await refuse(new ApiError("unavailable", state.error.message));
  const { engine } = state;
  const tick = async () => {
    const t = await engine.loadTick();
    if (!t) throw new ApiError("unavailable", "connecting to the cluster: no data yet");
    return t;
  };
  let done: { message: string; result: unknown; target?: string };
  try {
    done = await spec.run({ engine, tick, actor, body: body.data });
  } catch (err) {
    if (err instanceof ApiError) throw await refuse(err);
    throw err;
  }
  if (done.target) attempt.target = done.target;
  await writeOutcome(db, { ...attempt, outcome: "succeeded", message: done.message, results: done.result });
  engine.wake();
  return done.result;
}

export const handlePause = (req: Request) =>
  handle(req, {
    action: "repair.pause",
    target: "auto-repair",
    targetKind: "RepairControl",
    permission: "repair.control",
    body: ZPauseBody,
    run: async ({ engine, tick, actor, body }) => {
      const t = await tick();
      await setPaused(t.db, t.cluster, engine.decisions, { paused: body.paused, by: actor.name, reason: body.reason });
      return { message: body.paused ? "auto-repair paused" : "auto-repair resumed", result: { paused: body.paused } };
    },
  });

export const handleBreakerReset = (req: Request) =>
  handle(req, {
    action: "repair.breaker.reset",
    target: "storm-breaker",
    targetKind: "RepairControl",
    permission: "repair.control",
    body: ZReasonBody,
    run: async ({ engine, tick, actor, body }) => {
      const t = await tick();
      await resetBreaker(t.db, t.cluster, engine.decisions, actor.name, body.reason);
      return { message: "storm breaker reset", result: { breakerTripped: false } };
    },
  });

const idOf = (raw: string) => {
  const id = ZId.safeParse(raw);
  return id.success ? id.data : null;
};

function withId<B>(
  raw: string,
  spec: Omit<TControlRequest<B>, "run"> & {
    run: (id: number, ctx: Parameters<TControlRequest<B>["run"]>[0]) => ReturnType<TControlRequest<B>["run"]>;
  },
) {
  return (req: Request) =>
    handle(req, {
      ...spec,
      run: (ctx) => {
        const id = idOf(raw);
        if (id === null) throw new ApiError("bad_request", "id: a positive integer");
        return spec.run(id, ctx);
      },
    });
}

export const handleApprove = (req: Request, rawId: string) =>
  withId(rawId, {
    action: "repair.approve",
    target: `repair ${rawId.slice(0, 20)}`,
    targetKind: "RepairRun",
    permission: "repair.approve",
    body: ZReasonBody,
    run: async (runId, { tick, actor, body }) => {
      const r = await approveRun(await tick(), { runId, actor, reason: body.reason });
      return { message: `approved the repair of ${r.node}`, result: r, target: r.node };
    },
  })(req);

export const handleReject = (req: Request, rawId: string) =>
  withId(rawId, {
    action: "repair.reject",
    target: `repair ${rawId.slice(0, 20)}`,
    targetKind: "RepairRun",
    permission: "repair.approve",
    body: ZReasonBody,
    run: async (runId, { tick, actor, body }) => {
      const r = await rejectRun(await tick(), { runId, actor, reason: body.reason });
      return { message: `rejected the repair of ${r.node}`, result: r, target: r.node };
    },
  })(req);

export const handleClearHold = (req: Request, rawId: string) =>
  withId(rawId, {
    action: "repair.hold.clear",
    target: `hold ${rawId.slice(0, 20)}`,
    targetKind: "RepairHold",
    permission: "repair.control",
    body: ZReasonBody,
    run: async (holdId, { engine, tick, actor, body }) => {
      const t = await tick();
      const r = await clearHold({ db: t.db, cluster: t.cluster, decisions: engine.decisions }, { holdId, actor, reason: body.reason });
      return { message: `cleared the hold on ${r.node}`, result: r, target: r.node };
    },
  })(req);
