// One error type for the API: a status, a machine-readable code and a sentence for humans.
import { z } from "zod";

export const API_ERROR_CODES = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  /** A safety gate refused the action. */
  precondition_failed: 412,
  payload_too_large: 413,
  unsupported_media_type: 415,
  /** Kubernetes refused or failed the action. */
  failed_dependency: 424,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
} as const;
export type TApiErrorCode = keyof typeof API_ERROR_CODES;

export class ApiError extends Error {
  override name = "ApiError";
  constructor(
    readonly code: TApiErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
  get status() {
    return API_ERROR_CODES[this.code];
  }
}

/** Maps anything thrown by a handler to a JSON response; unexpected errors are logged, not leaked. */
export function handleApiError(err: unknown): Response {
  if (err instanceof z.ZodError) {
    return Response.json({ error: { code: "bad_request", message: z.prettifyError(err), issues: err.issues } }, { status: 400 });
  }
  if (err instanceof ApiError) {
    const retryAfter = (err.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
    const headers = typeof retryAfter === "number" ? { "Retry-After": String(retryAfter) } : undefined;
    return Response.json({ error: { code: err.code, message: err.message, details: err.details } }, { status: err.status, headers });
  }
  console.error("[node-rescue] unexpected API error", err);
  return Response.json({ error: { code: "internal", message: "internal error (see the server log)" } }, { status: 500 });
}
