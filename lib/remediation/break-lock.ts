// An admin's way out when a node's action lock is held by an action that will not finish (its
// server hangs, or died and its lease has not run out yet): remove the lock, with a reason,
// audited like every remediation request. A live owner notices at its next lease renewal and
// aborts its action (writing its own "failed" outcome); a dead owner's attempt is marked
// interrupted here.
import { ApiError } from "@/lib/api/errors";
import { ZNodeName } from "@/lib/api/params";
import { writeOutcome } from "@/lib/audit/write";
import { permissionError } from "@/lib/auth/guard";
import { currentInstance, goneOwners } from "@/lib/instance/instance";
import { interruptAttempt } from "@/lib/instance/reconcile";
import { bodyError, openAttempt, readAttemptBody } from "./handle-action-request";
import { breakNodeLock } from "./lock";
import { ZActionRequest } from "./request";

/** The typed node name and a reason, as for every action. */
export const ZBreakLockRequest = ZActionRequest.pick({ confirm: true, reason: true });

export async function handleBreakLockRequest(req: Request, rawNode: string) {
  const { db, actor, attempt, refuse } = await openAttempt(req, { action: "node.lock.break", target: rawNode });
  const forbidden = permissionError(actor.role, "node.lock.break");
  if (forbidden) throw await refuse(forbidden);
  const node = ZNodeName.safeParse(rawNode);
  if (!node.success) throw await refuse(new ApiError("bad_request", `node: ${node.error.issues[0]?.message ?? "invalid"}`));
  const body = ZBreakLockRequest.safeParse(await readAttemptBody(req, refuse));
  if (!body.success) throw await refuse(bodyError(body.error.issues));
  attempt.reason = body.data.reason;
  if (body.data.confirm !== node.data)
    throw await refuse(new ApiError("bad_request", `confirm: type the node name "${node.data}" exactly to confirm`));

  const held = await breakNodeLock(db, { cluster: attempt.cluster, node: node.data });
  if (!held) throw await refuse(new ApiError("not_found", `${node.data} is not locked`));
  const self = currentInstance()?.self;
  const ownerGone = self ? (await goneOwners(db, self, [held.instanceId])).has(held.instanceId) : false;
  const interrupted = ownerGone && (await interruptAttempt(db, held.actionId));
  const message = `lock of ${held.holder} (${held.action}, attempt ${held.actionId}, since ${held.acquiredAt.toISOString()}) broken${
    interrupted ? "; its server is gone, the attempt is marked interrupted" : "; its server aborts the action at its next lease renewal"
  }`;
  await writeOutcome(db, { ...attempt, outcome: "succeeded", message });
  return { node: node.data, broken: { holder: held.holder, action: held.action, actionId: held.actionId }, interrupted, message };
}
