// A repair's action, taken through the one core every action goes through (lib/remediation/
// perform-action.ts): the policy is the actor (role admin, so its ladder is not limited by a
// permission, but it never overrides a gate), and the audit's reason says which policy acted,
// on which step and why. A refusal or failure comes back as an outcome, never as a throw.
import "server-only";
import { ApiError } from "@/lib/api/errors";
import type { TActor } from "@/lib/auth/roles";
import type { TDb } from "@/lib/db";
import type { TMonitor } from "@/lib/monitor/monitor";
import type { TAction } from "@/lib/remediation/catalog";
import { performAction } from "@/lib/remediation/perform-action";

export const policyActor = (policyId: number, policyName: string): TActor => ({
  kind: "policy",
  id: String(policyId),
  name: `policy:${policyName}`,
  role: "admin",
  ip: null,
  userAgent: null,
});

export type TStepOutcome = { outcome: "succeeded" | "failed" | "refused"; message: string };

export async function takeStep(
  t: { db: TDb; monitor: TMonitor },
  run: { policyId: number; policyName: string; node: string },
  step: { action: TAction; actionId: string; reason: string },
): Promise<TStepOutcome> {
  const { db, monitor } = t;
  const { node } = run;
  const { action, actionId } = step;
  try {
    const result = await performAction({
      db,
      monitor,
      actor: policyActor(run.policyId, run.policyName),
      attempt: { actionId, cluster: monitor.cluster, action, target: node },
      node,
      action,
      // The ladder's timeout is the wait before the next step; a drain retries PDBs for 60 s.
      input: { confirm: node, reason: step.reason.slice(0, 500), timeoutSeconds: action === "node.drain" ? 60 : undefined },
    });
    return { outcome: result.outcome, message: result.message };
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    // Refused before Kubernetes (gates, lock) or failed in it: both are audited already.
    return { outcome: err.code === "failed_dependency" ? "failed" : "refused", message: err.message };
  }
}
