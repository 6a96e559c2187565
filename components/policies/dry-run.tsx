"use client";

// "What would this policy have done over the last 7 days": the replay of the recorded history
// (POST /api/policies/dry-run), per node, with the decision and why, before the policy is enabled.

import { useState } from "react";
import { send } from "@/components/live/send-json";
import { Pill } from "@/components/ui/state-badge";
import type { TReplay, TReplayDecision } from "@/lib/repair/replay-history";

const TONE: Record<TReplayDecision["decision"], "neutral" | "warn" | "danger" | "info"> = {
  act: "danger",
  propose: "warn",
  waited: "warn",
  skipped: "neutral",
  recovered: "info",
};

const button =
  "rounded-md px-2 py-1 text-xs font-medium ring-1 ring-inset ring-zinc-300 hover:bg-zinc-100 disabled:opacity-50 dark:ring-zinc-700 dark:hover:bg-zinc-800";

/** A button that replays `document()` (a stored policy, or the editor's text) and shows the result. */
export function DryRun({ document, testId = "policy-dry-run" }: { document: () => unknown; testId?: string }) {
  const [result, setResult] = useState<TReplay | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      setResult(await send<TReplay>("POST", "/api/policies/dry-run", { policy: document(), days: 7 }));
    } catch (err) {
      setResult(null);
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  const count = (d: TReplayDecision["decision"]) => result?.decisions.filter((x) => x.decision === d).length ?? 0;
  return (
    <div className="space-y-1.5" data-testid={testId}>
      <button type="button" className={button} disabled={busy} onClick={() => void run()} data-testid={`${testId}-button`}>
        {busy ? "Replaying…" : "What would it have done? (last 7 days)"}
      </button>
      {error ? (
        <p role="alert" className="text-xs text-red-700 dark:text-red-400" data-testid={`${testId}-error`}>
          {error}
        </p>
      ) : null}
      {result ? (
        <div className="space-y-1 text-xs" data-testid={`${testId}-result`}>
          <p data-testid={`${testId}-summary`}>
            Over {new Date(result.from).toLocaleString()} – {new Date(result.to).toLocaleString()}, on {result.selectedNodes} selected
            nodes: {count("act")} repaired, {count("propose")} proposed, {count("waited")} held back by a safety rule, {count("skipped")}{" "}
            left to a person, {count("recovered")} back by themselves in time.
          </p>
          {result.decisions.length === 0 ? <p className="text-zinc-500">No node met a criterion in that time.</p> : null}
          <ol className="space-y-1">
            {result.decisions.map((d) => (
              <li
                key={`${d.node}-${d.at}-${d.rule}`}
                className="flex flex-wrap items-baseline gap-x-2"
                data-testid="dry-run-decision"
                data-decision={d.decision}
              >
                <time className="tabular-nums text-zinc-500" dateTime={d.at}>
                  {new Date(d.at).toLocaleString()}
                </time>
                <Pill tone={TONE[d.decision]}>{d.decision}</Pill>
                <span className="font-medium">{d.node || "cluster"}</span>
                <span className="text-zinc-700 dark:text-zinc-300">{d.message}</span>
              </li>
            ))}
          </ol>
          {result.caveats.map((c) => (
            <p key={c} className="text-zinc-500">
              Note: {c}.
            </p>
          ))}
        </div>
      ) : null}
    </div>
  );
}
