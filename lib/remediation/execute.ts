// The Kubernetes side of each action. Every function returns what it did, per object, and
// throws only for a failure of the action as a whole (with the Kubernetes status attached).
// Every call is bounded (lib/k8s/call-options.ts: the action's deadline and a per-call
// timeout) and made only while the watch is connected: no call on a stale view.

import { setTimeout as sleep } from "node:timers/promises";
import {
  type ConfigurationOptions,
  CoreV1Api,
  type KubeConfig,
  PatchStrategy,
  setHeaderOptions,
  type V1Node,
  type V1Taint,
} from "@kubernetes/client-node";
import { abortableCall, abortReason } from "@/lib/k8s/call-options";
import { k8sStatusOf, type TK8sStatus } from "@/lib/k8s/errors";
import type { TPolicyVersion } from "@/lib/k8s/resources";
import { LAST_ACTION_ANNOTATION, OUT_OF_SERVICE_TAINT, type TAction } from "./catalog";
import type { TPlan, TPlannedPod } from "./plan";
import type { TRestoreDiff } from "./restore-diff";

export type TPodResult = {
  pod: string;
  result: "evicted" | "blocked" | "failed" | "force-deleted" | "gone" | "skipped";
  message: string;
  pdb?: string;
};

export type TExecution = { results: TPodResult[]; message: string; ok: boolean };

export class ActionFailedError extends Error {
  constructor(
    message: string,
    readonly status: TK8sStatus,
    readonly results: TPodResult[] = [],
  ) {
    super(message);
  }
}

const merge = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);

export type TExecContext = {
  kc: KubeConfig;
  node: string;
  actionId: string;
  actor: string;
  reason: string;
  /** The Eviction's group version, as the server advertises it (lib/k8s/resources.ts). */
  evictionVersion: TPolicyVersion;
  onProgress?: (results: TPodResult[]) => void;
  /** Aborted at the action's deadline (or when its lock was broken). */
  signal: AbortSignal;
  /** Whether the watch is connected right now; checked before every call. */
  connected: () => boolean;
};

const DISCONNECTED: TK8sStatus = { code: 0, reason: "Disconnected", message: "the dashboard lost its connection to the API server" };

/** The status of a failed call; an aborted one says why it was aborted. */
function statusOf(ctx: TExecContext, err: unknown): TK8sStatus {
  if (err instanceof Error && err.name === "AbortError") return { code: 0, reason: "Timeout", message: abortReason(ctx.signal) };
  return k8sStatusOf(err);
}

/** Options for one call: bounded, and refused outright while the watch is disconnected. */
function callOptions(ctx: TExecContext, what: string, base?: ConfigurationOptions): ConfigurationOptions {
  if (!ctx.connected()) throw new ActionFailedError(`${what} not attempted: ${DISCONNECTED.message}`, DISCONNECTED);
  if (ctx.signal.aborted) {
    const status = { code: 0, reason: "Timeout", message: abortReason(ctx.signal) };
    throw new ActionFailedError(`${what} not attempted: ${status.message}`, status);
  }
  return abortableCall(ctx.signal, base);
}

function annotation(ctx: TExecContext, action: TAction) {
  return {
    [LAST_ACTION_ANNOTATION]: JSON.stringify({
      action,
      actor: ctx.actor,
      reason: ctx.reason,
      at: new Date().toISOString(),
      actionId: ctx.actionId,
    }),
  };
}

async function patchNode(ctx: TExecContext, body: object, what: string) {
  const options = callOptions(ctx, what, merge);
  try {
    return await ctx.kc.makeApiClient(CoreV1Api).patchNode({ name: ctx.node, body }, options);
  } catch (err) {
    const status = statusOf(ctx, err);
    throw new ActionFailedError(`${what} failed: ${status.message}`, status);
  }
}

export async function cordon(ctx: TExecContext, action: "node.cordon" | "node.uncordon"): Promise<TExecution> {
  const unschedulable = action === "node.cordon";
  await patchNode(ctx, { spec: { unschedulable }, metadata: { annotations: annotation(ctx, action) } }, action);
  return { results: [], ok: true, message: `${ctx.node} ${unschedulable ? "cordoned" : "uncordoned"}` };
}

/** Cordon, then evict through the Eviction API, retrying PDB refusals (429) until the timeout. */
export async function drain(ctx: TExecContext, plan: TPlan, timeoutSeconds: number): Promise<TExecution> {
  await patchNode(ctx, { spec: { unschedulable: true }, metadata: { annotations: annotation(ctx, "node.drain") } }, "cordon before drain");
  const core = ctx.kc.makeApiClient(CoreV1Api);
  const pods = plan.groups.flatMap((g) => g.pods);
  const results = new Map<string, TPodResult>();
  for (const p of pods) {
    if (p.disposition !== "evict") {
      results.set(`${p.namespace}/${p.name}`, {
        pod: `${p.namespace}/${p.name}`,
        result: "skipped",
        message: p.disposition.replace("skip-", "skipped: "),
      });
    }
  }
  let pending = pods.filter((p) => p.disposition === "evict");
  const deadline = Date.now() + timeoutSeconds * 1000;
  for (;;) {
    const blocked: typeof pending = [];
    await Promise.all(
      pending.map(async (p) => {
        const key = `${p.namespace}/${p.name}`;
        try {
          await core.createNamespacedPodEviction(
            {
              name: p.name,
              namespace: p.namespace,
              // The body's version must be one the server serves (policy/v1beta1 on 1.20 and 1.21).
              body: { apiVersion: `policy/${ctx.evictionVersion}`, kind: "Eviction", metadata: { name: p.name, namespace: p.namespace } },
            },
            callOptions(ctx, `evict ${key}`),
          );
          results.set(key, { pod: key, result: "evicted", message: "evicted" });
        } catch (err) {
          if (err instanceof ActionFailedError) throw new ActionFailedError(err.message, err.status, [...results.values()]);
          const status = statusOf(ctx, err);
          if (status.code === 404) results.set(key, { pod: key, result: "gone", message: "already gone" });
          else if (status.code === 429) {
            const pdb = p.pdb ? `${p.namespace}/${p.pdb.name}` : undefined;
            results.set(key, {
              pod: key,
              result: "blocked",
              pdb,
              message: pdb
                ? `blocked by PodDisruptionBudget ${pdb} (disruptionsAllowed ${p.pdb?.disruptionsAllowed ?? 0}): ${status.message}`
                : status.message,
            });
            blocked.push(p);
          } else results.set(key, { pod: key, result: "failed", message: `${status.code} ${status.reason ?? ""}: ${status.message}` });
        }
      }),
    );
    ctx.onProgress?.([...results.values()]);
    if (blocked.length === 0 || Date.now() >= deadline || ctx.signal.aborted) break;
    pending = blocked;
    const waited = await sleep(Math.min(2_000, Math.max(0, deadline - Date.now())), true, { signal: ctx.signal }).catch(() => false);
    if (!waited) break;
  }
  const list = [...results.values()];
  const bad = list.filter((r) => r.result === "blocked" || r.result === "failed");
  return {
    results: list,
    ok: bad.length === 0,
    message: bad.length
      ? `${ctx.node} cordoned; ${bad.length} pod(s) not evicted: ${bad.map((r) => `${r.pod} ${r.message}`).join("; ")}`
      : `${ctx.node} drained: ${list.filter((r) => r.result === "evicted").length} evicted, ${list.filter((r) => r.result === "skipped").length} skipped`,
  };
}

/**
 * Deletes `pods` with grace period 0, all at once. With `uid` set on a pod, the delete carries it
 * as a precondition: a replacement of the same name (a StatefulSet's) is never touched. A pod
 * already gone, or already replaced, counts as done.
 */
async function forceDeletePods(ctx: TExecContext, pods: readonly TPlannedPod[], done: string): Promise<TPodResult[]> {
  const core = ctx.kc.makeApiClient(CoreV1Api);
  const results = await Promise.all(
    pods.map(async (p): Promise<TPodResult> => {
      const key = `${p.namespace}/${p.name}`;
      try {
        await core.deleteNamespacedPod(
          {
            name: p.name,
            namespace: p.namespace,
            gracePeriodSeconds: 0,
            body: { gracePeriodSeconds: 0, ...(p.uid ? { preconditions: { uid: p.uid } } : {}) },
          },
          callOptions(ctx, `force-delete ${key}`),
        );
        return { pod: key, result: "force-deleted", message: done };
      } catch (err) {
        if (err instanceof ActionFailedError) return { pod: key, result: "failed", message: err.message };
        const status = statusOf(ctx, err);
        if (status.code === 404) return { pod: key, result: "gone", message: "already gone" };
        if (status.code === 409) return { pod: key, result: "gone", message: "replaced by a new pod of the same name (uid changed)" };
        return { pod: key, result: "failed", message: status.message };
      }
    }),
  );
  ctx.onProgress?.(results);
  return results;
}

export async function forceDeleteTerminating(ctx: TExecContext, plan: TPlan): Promise<TExecution> {
  await patchNode(ctx, { metadata: { annotations: annotation(ctx, "pods.force-delete") } }, "annotate node");
  const targets = plan.groups.flatMap((g) => g.pods).filter((p) => p.disposition === "force-delete");
  const results = await forceDeletePods(ctx, targets, "deleted with grace period 0");
  const failed = results.filter((r) => r.result === "failed");
  return {
    results,
    ok: failed.length === 0,
    message: `${results.length - failed.length} of ${results.length} Terminating pods force-deleted`,
  };
}

/**
 * The pods of a node that is gone (deleted) or out of service are orphans that no kubelet will
 * ever confirm: finish them at once, as the pod garbage collector would some 20–40 s later.
 */
const finishOrphans = (ctx: TExecContext, plan: TPlan) =>
  forceDeletePods(
    ctx,
    plan.groups.flatMap((g) => g.pods).filter((p) => p.disposition === "freed"),
    "orphan force-deleted (grace period 0)",
  );

const orphanSummary = (results: readonly TPodResult[]) => {
  const failed = results.filter((r) => r.result === "failed");
  const done = results.length - failed.length;
  return failed.length
    ? `${done} of ${results.length} pods finished at once; ${failed.length} left to the pod garbage collector (${failed.map((r) => `${r.pod}: ${r.message}`).join("; ")})`
    : `its ${results.length} pods finished at once (force-deleted or already gone)`;
};

/** Deletes the Node (the caller has stored its backup first), then finishes its orphaned pods. */
export async function deleteNode(ctx: TExecContext, plan: TPlan): Promise<TExecution> {
  await patchNode(ctx, { metadata: { annotations: annotation(ctx, "node.delete") } }, "annotate node");
  const options = callOptions(ctx, "delete node");
  try {
    await ctx.kc.makeApiClient(CoreV1Api).deleteNode({ name: ctx.node }, options);
  } catch (err) {
    const status = statusOf(ctx, err);
    throw new ActionFailedError(`delete node failed: ${status.message}`, status);
  }
  // The node is gone whatever happens next: a pod that could not be finished is the pod
  // garbage collector's, as it would have been without this step.
  const results = await finishOrphans(ctx, plan);
  return { results, ok: true, message: `node ${ctx.node} deleted; ${orphanSummary(results)}; controllers recreate them elsewhere` };
}

/**
 * Rewrites the node's taints from a fresh read, at that read's resourceVersion. The node lifecycle
 * controller adds and removes its own taints (unreachable, not-ready) around the same moments — a
 * node dying, a kubelet returning — and a list written from a stale view would drop one of them or
 * bring one back. A conflict (the node changed in between) reads it again.
 */
async function updateTaints(ctx: TExecContext, change: (taints: V1Taint[]) => V1Taint[], action: TAction, what: string) {
  const core = ctx.kc.makeApiClient(CoreV1Api);
  for (let attempt = 1; ; attempt++) {
    try {
      const node = await core.readNode({ name: ctx.node }, callOptions(ctx, `read node before ${what}`));
      const body = {
        metadata: { resourceVersion: node.metadata?.resourceVersion, annotations: annotation(ctx, action) },
        spec: { taints: change(node.spec?.taints ?? []) },
      };
      return await core.patchNode({ name: ctx.node, body }, callOptions(ctx, what, merge));
    } catch (err) {
      if (err instanceof ActionFailedError) throw err;
      const status = statusOf(ctx, err);
      if (status.code === 409 && attempt < 3) continue;
      throw new ActionFailedError(`${what} failed: ${status.message}`, status);
    }
  }
}

/**
 * Applies (then finishes the freed pods) or removes the out-of-service taint. `onTainted` runs as
 * soon as the node's taints are written — the tracking row goes in before the slower pod deletes,
 * so the node page never shows the taint as someone else's while the action runs.
 */
export async function outOfService(
  ctx: TExecContext,
  opts: { apply: boolean; plan?: TPlan; onTainted: () => Promise<unknown> },
): Promise<TExecution> {
  const { apply, plan } = opts;
  const without = (taints: V1Taint[]) => taints.filter((t) => t.key !== OUT_OF_SERVICE_TAINT.key);
  await updateTaints(
    ctx,
    (taints) => (apply ? [...without(taints), { ...OUT_OF_SERVICE_TAINT }] : without(taints)),
    apply ? "node.out-of-service.apply" : "node.out-of-service.remove",
    apply ? "taint" : "untaint",
  );
  await opts.onTainted();
  const message = `${OUT_OF_SERVICE_TAINT.key} ${apply ? "applied to" : "removed from"} ${ctx.node}`;
  if (!apply || !plan) return { results: [], ok: true, message };
  const results = await finishOrphans(ctx, plan);
  return { results, ok: true, message: `${message}; ${orphanSummary(results)}` };
}

export async function restore(ctx: TExecContext, node: V1Node, diff: TRestoreDiff): Promise<TExecution> {
  const taints = [...(node.spec?.taints ?? []), ...diff.taints.map((t) => ({ key: t.key, value: t.value ?? undefined, effect: t.effect }))];
  await patchNode(
    ctx,
    {
      metadata: { labels: diff.labels, annotations: { ...diff.annotations, ...annotation(ctx, "node.restore") } },
      ...(diff.taints.length ? { spec: { taints } } : {}),
    },
    "restore",
  );
  return {
    results: [],
    ok: true,
    message: `restored ${Object.keys(diff.labels).length} labels, ${Object.keys(diff.annotations).length} annotations and ${diff.taints.length} taints on ${ctx.node}`,
  };
}
