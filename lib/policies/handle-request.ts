// The HTTP side of the policies API's changes: who asks (openAttempt: token or session, a
// cookie-borne request only from our own pages), whether an admin, and a valid capped JSON body
// parsed into the whole document. Every refusal with an actor is audited; change-policy.ts does
// the rest.
import "server-only";
import { ApiError } from "@/lib/api/errors";
import { issuesMessage } from "@/lib/api/issues";
import { permissionError } from "@/lib/auth/guard";
import { openAttempt, readAttemptBody } from "@/lib/remediation/handle-action-request";
import { createPolicy, deletePolicy, replacePolicy } from "./change-policy";
import { ZPolicy, ZPolicyId } from "./schema";

type TRefuse = (err: ApiError) => Promise<ApiError>;

async function open(req: Request, verb: "create" | "update" | "delete", target: string) {
  const opened = await openAttempt(req, { action: `policies.${verb}`, target, targetKind: "RepairPolicy" });
  const { actor, refuse } = opened;
  const forbidden = permissionError(actor.role, "policies.manage");
  if (forbidden) throw await refuse(forbidden);
  return opened;
}

async function policyId(raw: string, refuse: TRefuse) {
  const id = ZPolicyId.safeParse(raw);
  if (!id.success) throw await refuse(new ApiError("bad_request", issuesMessage(id.error.issues)));
  return id.data;
}

async function policyBody(req: Request, refuse: TRefuse) {
  const body = ZPolicy.safeParse(await readAttemptBody(req, refuse));
  if (!body.success) throw await refuse(new ApiError("bad_request", issuesMessage(body.error.issues)));
  return body.data;
}

/** A refusal the core raised (not found, name taken) is audited like the ones above. */
const audited = (refuse: TRefuse) => async (err: unknown) => {
  throw err instanceof ApiError ? await refuse(err) : err;
};

export async function handleCreatePolicy(req: Request) {
  const { db, attempt, refuse } = await open(req, "create", "new policy");
  const policy = await policyBody(req, refuse);
  attempt.target = policy.name;
  return createPolicy(db, attempt, policy).catch(audited(refuse));
}

export async function handleReplacePolicy(req: Request, rawId: string) {
  const { db, attempt, refuse } = await open(req, "update", `policy ${rawId.slice(0, 20)}`);
  const id = await policyId(rawId, refuse);
  const policy = await policyBody(req, refuse);
  return replacePolicy(db, attempt, id, policy).catch(audited(refuse));
}

export async function handleDeletePolicy(req: Request, rawId: string) {
  const { db, attempt, refuse } = await open(req, "delete", `policy ${rawId.slice(0, 20)}`);
  const id = await policyId(rawId, refuse);
  return deletePolicy(db, attempt, id).catch(audited(refuse));
}
