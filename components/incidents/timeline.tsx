"use client";

import { useState } from "react";
import { clock, Legend, pct, SpanLane, TimeAxis, type TRange } from "@/components/ui/time-track";
import type { TIncidentView } from "@/lib/incidents/view";
import { NODE_LEGEND, nodeFill, nodeLabel, PHASE_LABELS, WORKLOAD_LEGEND, workloadFill, workloadLabel } from "./labels";

/** Lanes drawn per kind before "N more": a 1,000-node storm stays one screen and renders at once. */
export const MAX_LANES = 50;

type TLane = TIncidentView["timeline"]["lanes"][number];
type TAction = TIncidentView["actions"][number];

const OUTCOME_FILL: Record<string, string> = {
  succeeded: "fill-sky-600 dark:fill-sky-400",
  failed: "fill-red-600 dark:fill-red-400",
  refused: "fill-amber-500",
  interrupted: "fill-purple-500",
};

const actionText = (a: TAction) =>
  `${a.action} on ${a.node} by ${a.actor.name}${a.actor.role ? ` (${a.actor.role})` : ""}, ${a.outcome}${a.reason ? ` — “${a.reason}”` : ""}`;

/** Markers at a percentage of the row: a nested SVG per marker keeps its shape in pixels. */
function MarkerRow({ children, label }: { children: React.ReactNode; label: string }) {
  return (
    <svg className="block h-6 w-full overflow-visible" aria-label={label}>
      <title>{label}</title>
      <line x1="0" x2="100%" y1="50%" y2="50%" className="stroke-zinc-200 dark:stroke-zinc-800" />
      {children}
    </svg>
  );
}

function LaneGroup({
  title,
  lanes,
  range,
  guides,
  fillOf,
  labelOf,
  noun,
}: {
  title: string;
  lanes: TLane[];
  range: TRange;
  guides: number[];
  fillOf: (s: string) => string;
  labelOf: (s: string) => string;
  noun: string;
}) {
  const [all, setAll] = useState(false);
  if (lanes.length === 0) return null;
  const shown = all ? lanes : lanes.slice(0, MAX_LANES);
  const hidden = lanes.length - shown.length;
  return (
    <>
      <div className="col-span-2 mt-2 text-xs font-medium uppercase tracking-wide text-zinc-500 dark:text-zinc-400">
        {title} ({lanes.length})
      </div>
      {shown.map((lane) => (
        <div key={lane.key} className="contents">
          <div className="truncate text-xs leading-5" title={lane.label}>
            {lane.label}
          </div>
          <SpanLane
            testId={`lane-${lane.key}`}
            spans={lane.spans}
            range={range}
            fillOf={fillOf}
            labelOf={labelOf}
            guides={guides}
            ariaLabel={`${lane.label}: ${lane.spans.map((s) => labelOf(s.state)).join(" → ") || "no change recorded"}`}
          />
        </div>
      ))}
      {hidden > 0 || all ? (
        <div className="col-span-2 text-xs text-zinc-500">
          {hidden > 0 ? `${hidden} more ${noun}${hidden === 1 ? "" : "s"} not drawn. ` : null}
          {lanes.length > MAX_LANES ? (
            <button
              type="button"
              className="text-sky-700 hover:underline dark:text-sky-400"
              onClick={() => setAll((a) => !a)}
              data-testid={`lanes-toggle-${noun}`}
            >
              {all ? `show the first ${MAX_LANES}` : `draw all ${lanes.length}`}
            </button>
          ) : null}
        </div>
      ) : null}
    </>
  );
}

/**
 * The incident along time: the phases and every action as markers (an action links to its audit
 * rows), one lane per node (health states) and one per affected workload (whole, degraded, down,
 * gone). Hover a span or a marker for its times; every lane is an image with a text label.
 */
export function IncidentTimeline({ view }: { view: TIncidentView }) {
  const range = { from: Date.parse(view.timeline.from), to: Date.parse(view.timeline.to) };
  // A little room on the right, so the last marker is not cut in half.
  const padded = { from: range.from, to: range.to + Math.max(1_000, (range.to - range.from) * 0.02) };
  const nodeLanes = view.timeline.lanes.filter((l) => l.kind === "node");
  const workloadLanes = view.timeline.lanes.filter((l) => l.kind === "workload");
  const actionTimes = view.actions.map((a) => Date.parse(a.at));
  return (
    <div className="space-y-3 px-4 py-3" data-testid="timeline" data-lanes={view.timeline.lanes.length}>
      <div className="grid grid-cols-[minmax(8rem,16rem)_1fr] items-center gap-x-3 gap-y-1">
        <div />
        <TimeAxis range={padded} />

        <div className="text-xs font-medium text-zinc-500 dark:text-zinc-400">Phases</div>
        <MarkerRow label="Phases">
          {view.phases.map((p) => {
            const x = pct(padded, Date.parse(p.at));
            const what = p.workload ?? p.node;
            return (
              <svg key={`${p.phase}-${p.at}-${what ?? ""}`} x={`${x}%`} y="0" overflow="visible">
                <title>{`${PHASE_LABELS[p.phase]}${what ? ` (${what})` : ""}: ${clock(Date.parse(p.at))}`}</title>
                <g data-testid={`marker-phase-${p.phase}`} data-at={p.at} className="fill-zinc-700 dark:fill-zinc-200">
                  <polygon points="0,4 6,12 0,20 -6,12" />
                </g>
              </svg>
            );
          })}
        </MarkerRow>

        <div className="text-xs font-medium text-zinc-500 dark:text-zinc-400">Actions</div>
        <MarkerRow label="Actions">
          {view.actions.map((a) => {
            const x = pct(padded, Date.parse(a.at));
            return (
              <svg key={a.auditEventId} x={`${x}%`} y="0" overflow="visible">
                <title>{`${clock(Date.parse(a.at))} ${actionText(a)}`}</title>
                <a
                  href={`/audit?actionId=${encodeURIComponent(a.actionId)}`}
                  aria-label={actionText(a)}
                  data-testid={`marker-action-${a.auditEventId}`}
                  data-actor={a.actor.name}
                  data-role={a.actor.role ?? ""}
                  data-reason={a.reason ?? ""}
                  data-outcome={a.outcome}
                >
                  <title>{`${clock(Date.parse(a.at))} ${actionText(a)}`}</title>
                  <circle
                    cx="0"
                    cy="12"
                    r="7"
                    className={`${OUTCOME_FILL[a.outcome] ?? "fill-zinc-500"} stroke-white dark:stroke-zinc-900`}
                    strokeWidth={2}
                  />
                </a>
              </svg>
            );
          })}
        </MarkerRow>

        <LaneGroup title="Nodes" noun="node" lanes={nodeLanes} range={padded} guides={actionTimes} fillOf={nodeFill} labelOf={nodeLabel} />
        <LaneGroup
          title="Workloads"
          noun="workload"
          lanes={workloadLanes}
          range={padded}
          guides={actionTimes}
          fillOf={workloadFill}
          labelOf={workloadLabel}
        />
      </div>
      <div className="flex flex-wrap gap-x-6 gap-y-2 border-t border-zinc-100 pt-2 dark:border-zinc-800">
        <Legend items={NODE_LEGEND} />
        <Legend items={WORKLOAD_LEGEND} />
        <Legend items={[{ label: "action (click: its audit rows)", fill: "fill-sky-600 dark:fill-sky-400" }]} />
      </div>
    </div>
  );
}
