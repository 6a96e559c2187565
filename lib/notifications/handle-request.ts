// The HTTP side of the notifications API's changes: who asks (openAttempt: token or session, a
// cookie-borne request only from our own pages), whether an admin, and a valid capped JSON body.
// Every refusal with an actor is audited like a remediation request; the cores do the rest.
import { ApiError } from "@/lib/api/errors";
import { issuesMessage } from "@/lib/api/issues";
import { permissionError } from "@/lib/auth/guard";
import { env } from "@/lib/env";
import { openAttempt, readAttemptBody } from "@/lib/remediation/handle-action-request";
import { createEndpoint, deleteEndpoint, updateEndpoint } from "./endpoints";
import { retryFailedDeliveries } from "./retry-deliveries";
import { ZCreateEndpoint, ZEndpointId, ZUpdateEndpoint } from "./schemas";
import { sendTestNotification } from "./send-test";

type TVerb = "create" | "update" | "delete" | "test" | "retry";

async function open(req: Request, verb: TVerb, target: string) {
  const opened = await openAttempt(req, { action: `notifications.${verb}`, target, targetKind: "NotificationEndpoint" });
  const { actor, refuse } = opened;
  const forbidden = permissionError(actor.role, "notifications.manage");
  if (forbidden) throw await refuse(forbidden);
  return opened;
}

async function endpointId(raw: string, refuse: (e: ApiError) => Promise<ApiError>) {
  const id = ZEndpointId.safeParse(raw);
  if (!id.success) throw await refuse(new ApiError("bad_request", issuesMessage(id.error.issues)));
  return id.data;
}

export async function handleCreateEndpoint(req: Request) {
  const { db, attempt, refuse } = await open(req, "create", "new endpoint");
  const body = ZCreateEndpoint.safeParse(await readAttemptBody(req, refuse));
  if (!body.success) throw await refuse(new ApiError("bad_request", issuesMessage(body.error.issues)));
  attempt.target = body.data.name;
  return createEndpoint(db, attempt, body.data).catch(async (err) => {
    throw err instanceof ApiError ? await refuse(err) : err;
  });
}

export async function handleUpdateEndpoint(req: Request, rawId: string) {
  const { db, attempt, refuse } = await open(req, "update", `endpoint ${rawId.slice(0, 20)}`);
  const id = await endpointId(rawId, refuse);
  const body = ZUpdateEndpoint.safeParse(await readAttemptBody(req, refuse));
  if (!body.success) throw await refuse(new ApiError("bad_request", issuesMessage(body.error.issues)));
  return updateEndpoint(db, attempt, id, body.data).catch(async (err) => {
    throw err instanceof ApiError ? await refuse(err) : err;
  });
}

export async function handleDeleteEndpoint(req: Request, rawId: string) {
  const { db, attempt, refuse } = await open(req, "delete", `endpoint ${rawId.slice(0, 20)}`);
  const id = await endpointId(rawId, refuse);
  return deleteEndpoint(db, attempt, id).catch(async (err) => {
    throw err instanceof ApiError ? await refuse(err) : err;
  });
}

export async function handleTestEndpoint(req: Request, rawId: string) {
  const { db, attempt, refuse } = await open(req, "test", `endpoint ${rawId.slice(0, 20)}`);
  const id = await endpointId(rawId, refuse);
  const e = env();
  return sendTestNotification(db, attempt, id, {
    baseUrl: e.NODE_RESCUE_BASE_URL ?? null,
    timeoutMs: e.NODE_RESCUE_NOTIFY_TIMEOUT_MS,
  }).catch(async (err) => {
    throw err instanceof ApiError ? await refuse(err) : err;
  });
}

export async function handleRetryEndpoint(req: Request, rawId: string) {
  const { db, attempt, refuse } = await open(req, "retry", `endpoint ${rawId.slice(0, 20)}`);
  const id = await endpointId(rawId, refuse);
  return retryFailedDeliveries(db, attempt, id).catch(async (err) => {
    throw err instanceof ApiError ? await refuse(err) : err;
  });
}
