// Kubernetes API errors from @kubernetes/client-node 1.x: ApiException with `code` and a raw
// string `body` holding the V1Status.
import { ApiException } from "@kubernetes/client-node";

export type TK8sStatus = { code: number; reason: string | null; message: string };

export function k8sStatusOf(err: unknown): TK8sStatus {
  if (err instanceof ApiException) {
    let status: { reason?: string; message?: string } = {};
    try {
      status = typeof err.body === "string" ? JSON.parse(err.body) : (err.body as typeof status);
    } catch {
      // not JSON: keep the raw text below
    }
    return { code: err.code, reason: status.reason ?? null, message: status.message ?? String(err.body ?? err.message) };
  }
  return { code: 0, reason: null, message: err instanceof Error ? err.message : String(err) };
}
