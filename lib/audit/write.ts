// The single writer of the audit log. Rows are only ever inserted: an attempt's intent before
// Kubernetes is called, its outcome after; a refusal is one outcome row. Account changes made at
// the command line (npm run users) are one outcome row each, by a "cli" actor.
import type { TActor } from "@/lib/auth/roles";
import type { TDb } from "@/lib/db";

import type { TAuditOutcome } from "./filters";

/** Whoever ran `npm run users` (their OS user name): no id, role, address or user agent. */
export type TCliActor = { kind: "cli"; name: string };

/** The client or a transaction on it: an account change and its audit row commit together. */
type TAuditDb = Pick<TDb, "auditEvent">;

export type TAuditAttempt = {
  actionId: string;
  cluster: string;
  action: string;
  target: string;
  targetKind?: string;
  /** null: the request carried no valid credentials. */
  actor: TActor | TCliActor | null;
  /** Source address and user agent of an anonymous request (an actor carries its own). */
  ip?: string | null;
  userAgent?: string | null;
  reason?: string | null;
  gateOverride?: string | null;
};

const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));

function base(a: TAuditAttempt) {
  const actor = a.actor?.kind === "cli" ? null : a.actor;
  return {
    actionId: a.actionId,
    cluster: a.cluster,
    action: a.action,
    targetKind: a.targetKind ?? "Node",
    target: a.target,
    actorKind: a.actor?.kind ?? "anonymous",
    actorId: actor?.id ?? null,
    actorName: a.actor?.name ?? "anonymous",
    actorRole: actor?.role ?? null,
    sourceIp: actor?.ip ?? a.ip ?? null,
    userAgent: actor?.userAgent ?? a.userAgent ?? null,
    reason: a.reason ?? null,
    gateOverride: a.gateOverride ?? null,
  };
}

export function writeIntent(db: TAuditDb, a: TAuditAttempt & { plan: unknown }) {
  return db.auditEvent.create({ data: { ...base(a), phase: "intent", plan: json(a.plan), message: "about to call Kubernetes" } });
}

export function writeOutcome(
  db: TAuditDb,
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
