// The single writer of the audit log. Rows are only ever inserted (the database refuses UPDATE
// and DELETE): an attempt's intent before Kubernetes is called, its outcome after; a refusal is
// one outcome row. Client-sent fields are stored capped (lib/audit/caps.ts). Refusals of
// anonymous requests are counted in lib/audit/anonymous.ts instead.
import type { TActor } from "@/lib/auth/roles";
import type { TDb } from "@/lib/db";
import { capAddress, capOrigin, capUserAgent } from "./caps";
import type { TAuditOutcome } from "./filters";

export type TAuditAttempt = {
  actionId: string;
  cluster: string;
  action: string;
  target: string;
  targetKind?: string;
  /** null: the request carried no valid credentials. */
  actor: TActor | null;
  /** Source address and user agent of an anonymous request (an actor carries its own). */
  ip?: string | null;
  userAgent?: string | null;
  reason?: string | null;
  gateOverride?: string | null;
  /** The Origin header the request carried. */
  origin?: string | null;
  /** The server process running the attempt (lib/instance). */
  instanceId?: string | null;
};

const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));

function base(a: TAuditAttempt) {
  return {
    actionId: a.actionId,
    cluster: a.cluster,
    action: a.action,
    targetKind: a.targetKind ?? "Node",
    target: a.target,
    actorKind: a.actor?.kind ?? "anonymous",
    actorId: a.actor?.id ?? null,
    actorName: a.actor?.name ?? "anonymous",
    actorRole: a.actor?.role ?? null,
    sourceIp: capAddress(a.actor?.ip ?? a.ip),
    userAgent: capUserAgent(a.actor?.userAgent ?? a.userAgent),
    reason: a.reason ?? null,
    gateOverride: a.gateOverride ?? null,
    origin: capOrigin(a.origin),
    instanceId: a.instanceId ?? null,
  };
}

export function writeIntent(db: TDb, a: TAuditAttempt & { plan: unknown }) {
  return db.auditEvent.create({ data: { ...base(a), phase: "intent", plan: json(a.plan), message: "about to call Kubernetes" } });
}

export function writeOutcome(
  db: TDb,
  a: TAuditAttempt & { outcome: TAuditOutcome; message: string; plan?: unknown; results?: unknown; k8sStatus?: unknown },
) {
  return db.auditEvent.create({
    data: {
      ...base(a),
      phase: "outcome",
      outcome: a.outcome,
      message: a.message,
      plan: json(a.plan),
      results: json(a.results),
      k8sStatus: json(a.k8sStatus),
    },
  });
}

/**
 * After a crash: every intent without an outcome gets an "interrupted" outcome, so no attempt is
 * left looking as if it were still running. Run by the one process that executes actions.
 */
export async function reconcileInterrupted(db: TDb, cluster: string) {
  const intents = await db.auditEvent.findMany({ where: { cluster, phase: "intent" }, select: { actionId: true } });
  if (intents.length === 0) return 0;
  const done = new Set(
    (
      await db.auditEvent.findMany({
        where: { cluster, phase: "outcome", actionId: { in: intents.map((i) => i.actionId) } },
        select: { actionId: true },
      })
    ).map((o) => o.actionId),
  );
  const open = intents.filter((i) => !done.has(i.actionId));
  for (const { actionId } of open) {
    const intent = await db.auditEvent.findFirst({ where: { actionId, phase: "intent" } });
    if (!intent) continue;
    const { id: _id, at: _at, phase: _phase, outcome: _outcome, message: _message, ...rest } = intent;
    await db.auditEvent.create({
      data: {
        ...rest,
        phase: "outcome",
        outcome: "interrupted",
        message: "the server stopped while this action ran; check the node's state before retrying",
      },
    });
  }
  return open.length;
}
