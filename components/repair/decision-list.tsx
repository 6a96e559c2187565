"use client";

// Auto-repair's decisions, newest first: when, what, by which policy (or person), and why.

import { Pill } from "@/components/ui/state-badge";
import type { TRepairDecisionView } from "@/lib/repair/load-state";

const TONE: Record<string, "neutral" | "warn" | "danger" | "info"> = {
  acted: "info",
  approved: "info",
  proposed: "warn",
  deferred: "warn",
  held: "danger",
  tripped: "danger",
  failed: "danger",
  skipped: "neutral",
};

export function DecisionList({ decisions, showNode = false }: { decisions: TRepairDecisionView[]; showNode?: boolean }) {
  if (decisions.length === 0) return <p className="px-4 py-3 text-sm text-zinc-500">No decisions yet.</p>;
  return (
    <ol className="divide-y divide-zinc-100 text-sm dark:divide-zinc-800" data-testid="repair-decisions">
      {decisions.map((d) => (
        <li
          key={d.id}
          className="flex flex-wrap items-baseline gap-x-2 gap-y-0.5 px-4 py-2"
          data-testid="repair-decision"
          data-decision={d.decision}
        >
          <time className="text-xs tabular-nums text-zinc-500" dateTime={d.at}>
            {new Date(d.at).toLocaleString()}
          </time>
          <Pill tone={TONE[d.decision] ?? "neutral"}>{d.decision}</Pill>
          <span className="text-xs text-zinc-500">
            {d.actor ?? (d.policyName ? `policy ${d.policyName}` : "auto-repair")}
            {showNode && d.node ? ` · ${d.node}` : ""} · {d.rule}
          </span>
          <span className="w-full text-zinc-700 dark:text-zinc-300">{d.message}</span>
        </li>
      ))}
    </ol>
  );
}
