// Every call node-rescue makes to change the cluster is bounded: it is aborted at the action's
// deadline or after K8S_CALL_TIMEOUT_MS, whichever comes first. Without this a hung API server
// held a cordon pending (and its node locked) for as long as the server hung, and the cordon
// then ran long after the view it was judged on.
import { type ConfigurationOptions, Observable, type RequestContext } from "@kubernetes/client-node";

export const K8S_CALL_TIMEOUT_MS = 10_000;

/** Per-call options for @kubernetes/client-node 1.x that attach an abort signal (plus `opt`'s middleware). */
export function abortableCall(signal: AbortSignal, opt?: ConfigurationOptions, timeoutMs = K8S_CALL_TIMEOUT_MS): ConfigurationOptions {
  const bounded = AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]);
  const attach = {
    pre: (request: RequestContext) => {
      request.setSignal(bounded);
      return new Observable(Promise.resolve(request));
    },
    post: <T>(response: T) => new Observable(Promise.resolve(response)),
  };
  return { ...opt, middleware: [...(opt?.middleware ?? []), attach], middlewareMergeStrategy: "append" };
}

/** The sentence for a call that was aborted. */
export function abortReason(signal: AbortSignal, timeoutMs = K8S_CALL_TIMEOUT_MS): string {
  return signal.aborted
    ? `the action's deadline passed (${String(signal.reason ?? "aborted")})`
    : `no answer from the API server within ${timeoutMs / 1000} s`;
}
