// The single writer of the audit log. Rows are only ever inserted (the database refuses UPDATE
// and DELETE): an attempt's intent before Kubernetes is called, its outcome after; a refusal is
// one outcome row. Account changes made at the command line (npm run users) are one outcome row
// each, by a "cli" actor. Client-sent fields are stored capped (lib/audit/caps.ts). Refusals of
// anonymous requests are counted in lib/audit/anonymous.ts instead. An attempt whose process
// died gets its outcome here too, copied from its intent (lib/instance/reconcile.ts).
import type { AuditEvent } from "@/generated/prisma/client";
import type { TActor } from "@/lib/auth/roles";
import type { TDb } from "@/lib/db";
import { announceAudit } from "@/lib/live/notices";
import { capAddress, capOrigin, capUserAgent } from "./caps";
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
  /** The Origin header the request carried. */
  origin?: string | null;
  /** The server process running the attempt (lib/instance). */
  instanceId?: string | null;
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
    sourceIp: capAddress(actor?.ip ?? a.ip),
    userAgent: capUserAgent(actor?.userAgent ?? a.userAgent),
    reason: a.reason ?? null,
    gateOverride: a.gateOverride ?? null,
    origin: capOrigin(a.origin),
    instanceId: a.instanceId ?? null,
  };
}

/** The intent row's data, for a caller that commits it together with rows of its own (a node backup). */
export const intentData = (a: TAuditAttempt & { plan: unknown }) => ({
  ...base(a),
  phase: "intent",
  plan: json(a.plan),
  message: "about to call Kubernetes",
});

export function writeIntent(db: TAuditDb, a: TAuditAttempt & { plan: unknown }) {
  return db.auditEvent.create({ data: intentData(a) }).then(announceAudit);
}

export function writeOutcome(
  db: TAuditDb,
  a: TAuditAttempt & { outcome: TAuditOutcome; message: string; plan?: unknown; results?: unknown; k8sStatus?: unknown },
) {
  return db.auditEvent
    .create({
      data: {
        ...base(a),
        phase: "outcome",
        outcome: a.outcome,
        message: a.message,
        plan: json(a.plan),
        results: json(a.results),
        k8sStatus: json(a.k8sStatus),
      },
    })
    .then(announceAudit);
}

/**
 * The outcome of an attempt someone else started (its process died): the intent's own actor,
 * target and request, with `outcome` and `message`. Throws P2002 if it has an outcome already.
 */
export function writeOutcomeOfIntent(db: TAuditDb, intent: AuditEvent, outcome: TAuditOutcome, message: string) {
  const { id: _id, at: _at, phase: _phase, outcome: _outcome, message: _message, ...rest } = intent;
  return db.auditEvent.create({ data: { ...rest, phase: "outcome", outcome, message } }).then(announceAudit);
}
