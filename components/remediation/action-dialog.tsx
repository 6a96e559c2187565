"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { fetchJson } from "@/components/live/fetch-json";
import { ACTION_LABELS, type TAction } from "@/lib/remediation/catalog";
import { ActionError, postAction, type TActionResult, type TPreview, type TProgress } from "./api";
import { GateChecks, PlanView } from "./plan-view";

const input =
  "mt-1 block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm shadow-sm outline-none focus:border-sky-500 focus:ring-2 focus:ring-sky-500/30 dark:border-zinc-700 dark:bg-zinc-950";

/** Preview -> typed confirmation + reason (+ admin override) -> run, with live progress. */
export function ActionDialog({ node, action, slug, onClose }: { node: string; action: TAction; slug: string; onClose: () => void }) {
  const queryClient = useQueryClient();
  const preview = useQuery({
    queryKey: ["preview", node, slug],
    queryFn: () => fetchJson<TPreview>(`/api/nodes/${encodeURIComponent(node)}/actions/${slug}`),
  });
  const [confirm, setConfirm] = useState("");
  const [reason, setReason] = useState("");
  const [override, setOverride] = useState(false);
  const [overrideReason, setOverrideReason] = useState("");
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<TActionResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [progress, setProgress] = useState<TProgress | null>(null);

  // While the request runs, poll the node's progress (drain evicts pod after pod).
  useEffect(() => {
    if (!running) return;
    const t = setInterval(() => {
      void fetchJson<{ progress: TProgress | null }>(`/api/nodes/${encodeURIComponent(node)}/progress`).then(
        (p) => setProgress(p.progress),
        () => {},
      );
    }, 500);
    return () => clearInterval(t);
  }, [running, node]);

  const p = preview.data;
  const canOverride = Boolean(p && !p.allowed && p.overridable && p.you.mayOverride);
  const ready =
    Boolean(p?.you.may) && confirm === node && reason.trim().length >= 5 && (p?.allowed || (override && overrideReason.trim().length >= 5));

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setRunning(true);
    setError(null);
    try {
      setResult(await postAction(node, slug, { confirm, reason, ...(override ? { override: { reason: overrideReason } } : {}) }));
    } catch (err) {
      setError(err instanceof ActionError ? `${err.message} (HTTP ${err.status})` : String(err));
    } finally {
      setRunning(false);
      void queryClient.invalidateQueries({ queryKey: ["live"] });
      void queryClient.invalidateQueries({ queryKey: ["preview", node] });
    }
  };

  return (
    <div
      className="fixed inset-0 z-50 flex items-start justify-center overflow-y-auto bg-black/40 p-4 pt-16"
      role="dialog"
      aria-modal="true"
      aria-label={ACTION_LABELS[action]}
    >
      <div
        className="w-full max-w-3xl rounded-lg border border-zinc-200 bg-white shadow-xl dark:border-zinc-700 dark:bg-zinc-900"
        data-testid="action-dialog"
        data-action={action}
      >
        <header className="flex items-center justify-between border-b border-zinc-200 px-5 py-3 dark:border-zinc-800">
          <h2 className="font-semibold">
            {ACTION_LABELS[action]}: {node}
          </h2>
          <button type="button" onClick={onClose} className="text-sm text-zinc-500 hover:text-zinc-900 dark:hover:text-zinc-100">
            close
          </button>
        </header>
        <div className="space-y-4 px-5 py-4">
          {preview.isPending ? <p className="text-sm text-zinc-500">Preparing the preview…</p> : null}
          {preview.error ? <p className="text-sm text-red-600">{preview.error.message}</p> : null}
          {p ? (
            <>
              <section>
                <h3 className="mb-1 text-xs font-medium uppercase tracking-wide text-zinc-500">Dry run</h3>
                <PlanView plan={p.plan} />
              </section>
              <section>
                <h3 className="mb-1 text-xs font-medium uppercase tracking-wide text-zinc-500">Safety gates</h3>
                <GateChecks checks={p.checks} />
              </section>
              {result ? (
                <section
                  data-testid="action-result"
                  data-outcome={result.outcome}
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
                  {running && progress?.results.length ? <PodResults results={progress.results} /> : null}
                  {error ? (
                    <p className="text-sm text-red-600" data-testid="action-error">
                      {error}
                    </p>
                  ) : null}
                  <button
                    type="submit"
                    disabled={!ready || running}
                    data-testid="action-submit"
                    className="rounded-md bg-red-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-red-500 disabled:cursor-not-allowed disabled:opacity-40"
                  >
                    {running ? "working…" : ACTION_LABELS[action]}
                  </button>
                </form>
              )}
            </>
          ) : null}
        </div>
      </div>
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
