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
