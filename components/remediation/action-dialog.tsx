"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { fetchJson } from "@/components/live/fetch-json";
import { progressKey } from "@/components/live/live-updates";
import { Since } from "@/components/ui/durations";
import { ACTION_LABELS, type TAction } from "@/lib/remediation/catalog";
import { ActionError, postAction, type TActionResult, type TPreview, type TProgress } from "./api";
import { GateChecks, PlanView } from "./plan-view";

const input =
  "mt-1 block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm shadow-sm outline-none focus:border-sky-500 focus:ring-2 focus:ring-sky-500/30 dark:border-zinc-700 dark:bg-zinc-950";

/**
 * Gates depend on time ("NotReady for 300 s"), not only on what the event stream reports: while
 * the dialog is open the preview is fetched again this often, and on every `changed` event.
 */
export const PREVIEW_REFRESH_MS = 2_000;

export const previewKey = (node: string, slug: string) => ["live", "preview", node, slug] as const;

type TActionBody = Parameters<typeof postAction>[2];

/**
 * The body of the action dialog (components/ui/dialog.tsx frames it): the dry run and the gates,
 * kept current while open -> typed confirmation + reason (+ admin override) -> run, with the
 * progress the event stream reports.
 */
export function ActionDialogBody({ node, action, slug }: { node: string; action: TAction; slug: string }) {
  const queryClient = useQueryClient();
  const run = useMutation<TActionResult, Error, TActionBody>({
    mutationFn: (body) => postAction(node, slug, body),
    // Not awaited: the result shows at once, whatever the refetch finds (a deleted node answers 404).
    onSettled: () => void queryClient.invalidateQueries({ queryKey: ["live"] }),
  });
  // Frozen while the action runs and once it has a result: the gates it was judged by stay on screen.
  const frozen = run.isPending || run.isSuccess;
  const preview = useQuery({
    queryKey: previewKey(node, slug),
    queryFn: () => fetchJson<TPreview>(`/api/nodes/${encodeURIComponent(node)}/actions/${slug}`),
    enabled: !frozen,
    refetchInterval: PREVIEW_REFRESH_MS,
    staleTime: 0,
    gcTime: 0, // a dialog opened again starts from a fresh preview, never from old gates
  });
  // The drain's per-pod results: fetched when it starts, then on each `progress` event for this node.
  const progress = useQuery({
    queryKey: progressKey(node),
    queryFn: () => fetchJson<{ progress: TProgress | null }>(`/api/nodes/${encodeURIComponent(node)}/progress`),
    enabled: run.isPending,
    staleTime: 0,
    gcTime: 0,
  });
  const [confirm, setConfirm] = useState("");
  const [reason, setReason] = useState("");
  const [override, setOverride] = useState(false);
  const [overrideReason, setOverrideReason] = useState("");

  const p = preview.data;
  const canOverride = Boolean(p && !p.allowed && p.overridable && p.you.mayOverride);
  const ready =
    Boolean(p?.you.may) && confirm === node && reason.trim().length >= 5 && (p?.allowed || (override && overrideReason.trim().length >= 5));
  // Only a running action's results: the node's previous action (done) may answer first.
  const running = run.isPending && progress.data?.progress && !progress.data.progress.done ? progress.data.progress : null;
  const refused = p ? p.checks.filter((c) => !c.passed).length : 0;

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    run.mutate({ confirm, reason, ...(override ? { override: { reason: overrideReason } } : {}) });
  };

  const result = run.data;
  const error = run.error
    ? run.error instanceof ActionError
      ? `${run.error.message} (HTTP ${run.error.status})`
      : String(run.error)
    : null;
  return (
    <div className="space-y-4 px-5 py-4">
      {preview.isPending && !frozen ? <p className="text-sm text-zinc-500">Preparing the preview…</p> : null}
      {preview.error ? <p className="text-sm text-red-600">{preview.error.message}</p> : null}
      {p ? (
        <>
          <section>
            <h3 className="mb-1 text-xs font-medium uppercase tracking-wide text-zinc-500">Dry run</h3>
            <PlanView plan={p.plan} />
          </section>
          <section data-testid="gates" data-refreshing={frozen ? "false" : "true"}>
            <div className="mb-1 flex items-baseline justify-between gap-3">
              <h3 className="text-xs font-medium uppercase tracking-wide text-zinc-500">Safety gates</h3>
              <span className="text-xs text-zinc-500" data-testid="gates-checked">
                {frozen ? (
                  "as checked when the action was sent"
                ) : (
                  <>
                    checked <Since at={new Date(preview.dataUpdatedAt).toISOString()} /> ago · kept current while open
                  </>
                )}
              </span>
            </div>
            {/* Announced when the count changes, not at every refresh of the messages. */}
            <p
              aria-live="polite"
              data-testid="gates-summary"
              className={`mb-1 text-sm font-medium ${refused ? "text-red-700 dark:text-red-400" : "text-emerald-700 dark:text-emerald-400"}`}
            >
              {refused ? `${refused} of ${p.checks.length} safety gates refuse this action` : "Every safety gate passes"}
            </p>
            <GateChecks checks={p.checks} />
          </section>
          {result ? (
            <section
              data-testid="action-result"
              data-outcome={result.outcome}
              role="status"
              className={`rounded border px-3 py-2 text-sm ${result.outcome === "succeeded" ? "border-emerald-300 bg-emerald-50 dark:border-emerald-500/40 dark:bg-emerald-500/10" : "border-red-300 bg-red-50 dark:border-red-500/40 dark:bg-red-500/10"}`}
            >
              <p className="font-medium">
                {result.outcome}: {result.message}
              </p>
              <PodResults results={result.results} />
            </section>
          ) : (
            <form onSubmit={submit} className="space-y-3">
              {!p.you.may ? <p className="text-sm text-red-600">Your role ({p.you.role}) may not do this.</p> : null}
              {canOverride ? (
                <div className="rounded border border-amber-300 p-3 dark:border-amber-500/40">
                  <label className="flex items-center gap-2 text-sm font-medium">
                    <input type="checkbox" checked={override} onChange={(e) => setOverride(e.target.checked)} data-testid="override" />{" "}
                    Override the safety guard (admin)
                  </label>
                  {override ? (
                    <input
                      className={input}
                      aria-label="Why it is safe anyway"
                      placeholder="why it is safe anyway"
                      value={overrideReason}
                      onChange={(e) => setOverrideReason(e.target.value)}
                      data-testid="override-reason"
                    />
                  ) : null}
                </div>
              ) : null}
              <label className="block text-sm">
                Reason (written to the audit log and to the node as an annotation)
                <textarea
                  className={input}
                  rows={2}
                  value={reason}
                  onChange={(e) => setReason(e.target.value)}
                  data-testid="action-reason"
                  placeholder="e.g. worker lost power, confirmed with the datacenter team"
                />
              </label>
              <label className="block text-sm">
                Type <b className="font-mono">{node}</b> to confirm
                <input
                  className={input}
                  value={confirm}
                  onChange={(e) => setConfirm(e.target.value)}
                  data-testid="action-confirm"
                  autoComplete="off"
                />
              </label>
              {running?.results.length ? <PodResults results={running.results} /> : null}
              {error ? (
                <p className="text-sm text-red-600" data-testid="action-error" role="alert">
                  {error}
                </p>
              ) : null}
              <button
                type="submit"
                disabled={!ready || run.isPending}
                data-testid="action-submit"
                className="rounded-md bg-red-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-red-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-red-600 disabled:cursor-not-allowed disabled:opacity-40"
              >
                {run.isPending ? "working…" : ACTION_LABELS[action]}
              </button>
            </form>
          )}
        </>
      ) : null}
    </div>
  );
}

function PodResults({ results }: { results: TActionResult["results"] }) {
  if (!results.length) return null;
  return (
    <ul className="mt-2 max-h-48 space-y-0.5 overflow-y-auto text-xs" data-testid="pod-results">
      {results.map((r) => (
        <li key={r.pod} data-result={r.result}>
          <span className={r.result === "blocked" || r.result === "failed" ? "font-medium text-red-700 dark:text-red-400" : ""}>
            {r.pod}
          </span>{" "}
          — {r.result}: {r.message}
        </li>
      ))}
    </ul>
  );
}
