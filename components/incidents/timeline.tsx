"use client";

import { useState } from "react";
import { clock, Legend, pct, SpanLane, TimeAxis, type TRange } from "@/components/ui/time-track";
import type { TIncidentView, TPhaseName } from "@/lib/incidents/view";
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

/** Markers closer than this (percent of the width) are drawn as one, with a count. */
const BUCKET_PCT = 0.5;
/** Beyond this many actions, nearby ones are drawn as one marker linking to the audit rows of that time. */
export const MAX_SINGLE_ACTIONS = 100;
const MAX_GUIDES = 20;

/** One marker per phase and bucket: a storm's 1,000 "node back" phases are a handful of markers. */
function phaseMarkersOf(view: TIncidentView, range: TRange) {
  const buckets = new Map<string, { phase: TPhaseName; at: string; x: number; count: number; what: string[] }>();
  for (const p of view.phases) {
    const x = pct(range, Date.parse(p.at));
    const key = `${p.phase}:${Math.round(x / BUCKET_PCT)}`;
    const what = p.workload ?? p.node;
    const b = buckets.get(key);
    if (b) {
      b.count += 1;
      if (what && b.what.length < 5) b.what.push(what);
    } else buckets.set(key, { phase: p.phase, at: p.at, x, count: 1, what: what ? [what] : [] });
  }
  return [...buckets.entries()].map(([key, b]) => ({
    key,
    ...b,
    title: `${PHASE_LABELS[b.phase]}${b.count > 1 ? ` ×${b.count}` : ""}${b.what.length ? ` (${b.what.join(", ")}${b.count > b.what.length ? ", …" : ""})` : ""}: ${clock(Date.parse(b.at))}`,
  }));
}

/** One marker per action (each links to its audit rows); many actions are bucketed (linking to that time's rows). */
function actionMarkersOf(view: TIncidentView, range: TRange) {
  if (view.actions.length <= MAX_SINGLE_ACTIONS)
    return view.actions.map((a) => ({
      key: String(a.auditEventId),
      t: Date.parse(a.at),
      x: pct(range, Date.parse(a.at)),
      count: 1,
      outcome: a.outcome,
      action: a,
      testId: `marker-action-${a.auditEventId}`,
      href: `/audit?actionId=${encodeURIComponent(a.actionId)}`,
      title: `${clock(Date.parse(a.at))} ${actionText(a)}`,
    }));
  const buckets = new Map<number, TAction[]>();
  for (const a of view.actions) {
    const key = Math.round(pct(range, Date.parse(a.at)) / BUCKET_PCT);
    buckets.set(key, [...(buckets.get(key) ?? []), a]);
  }
  return [...buckets.entries()].map(([key, list]) => {
    const first = list[0] as TAction;
    const last = list.at(-1) as TAction;
    const failed = list.some((a) => a.outcome !== "succeeded");
    return {
      key: `bucket-${key}`,
      t: Date.parse(first.at),
      x: pct(range, Date.parse(first.at)),
      count: list.length,
      outcome: list.length === 1 ? first.outcome : failed ? "failed" : "succeeded",
      action: list.length === 1 ? first : undefined,
      testId: list.length === 1 ? `marker-action-${first.auditEventId}` : `marker-actions-${key}`,
      href:
        list.length === 1
          ? `/audit?actionId=${encodeURIComponent(first.actionId)}`
          : `/audit?${new URLSearchParams({ from: first.at, to: last.at })}`,
      title:
        list.length === 1
          ? `${clock(Date.parse(first.at))} ${actionText(first)}`
          : `${list.length} actions ${clock(Date.parse(first.at))}–${clock(Date.parse(last.at))}${failed ? ", some failed" : ""} (${[...new Set(list.map((a) => a.action))].join(", ")})`,
    };
  });
}

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
  const phaseMarkers = phaseMarkersOf(view, padded);
  const actionMarkers = actionMarkersOf(view, padded);
  // Dashed lines across the lanes for each action: only while they stay few (50 lanes × N lines).
  const actionTimes = actionMarkers.length <= MAX_GUIDES ? actionMarkers.map((m) => m.t) : [];
  return (
    <div className="space-y-3 px-4 py-3" data-testid="timeline" data-lanes={view.timeline.lanes.length}>
      <div className="grid grid-cols-[minmax(8rem,16rem)_1fr] items-center gap-x-3 gap-y-1">
        <div />
        <TimeAxis range={padded} />

        <div className="text-xs font-medium text-zinc-500 dark:text-zinc-400">Phases</div>
        <MarkerRow label="Phases">
          {phaseMarkers.map((m) => (
            <svg key={m.key} x={`${m.x}%`} y="0" overflow="visible">
              <title>{m.title}</title>
              <g data-testid={`marker-phase-${m.phase}`} data-at={m.at} data-count={m.count} className="fill-zinc-700 dark:fill-zinc-200">
                <polygon points="0,4 6,12 0,20 -6,12" />
              </g>
            </svg>
          ))}
        </MarkerRow>

        <div className="text-xs font-medium text-zinc-500 dark:text-zinc-400">Actions</div>
        <MarkerRow label="Actions">
          {actionMarkers.map((m) => (
            <svg key={m.key} x={`${m.x}%`} y="0" overflow="visible">
              <title>{m.title}</title>
              <a
                href={m.href}
                aria-label={m.title}
                data-testid={m.testId}
                data-actor={m.action?.actor.name}
                data-role={m.action ? (m.action.actor.role ?? "") : undefined}
                data-reason={m.action ? (m.action.reason ?? "") : undefined}
                data-outcome={m.outcome}
                data-count={m.count}
              >
                <circle
                  cx="0"
                  cy="12"
                  r={m.count > 1 ? 8 : 7}
                  className={`${OUTCOME_FILL[m.outcome] ?? "fill-zinc-500"} stroke-white dark:stroke-zinc-900`}
                  strokeWidth={2}
                />
                {m.count > 1 ? (
                  <text x="0" y="15.5" textAnchor="middle" className="pointer-events-none fill-white text-[9px] font-semibold">
                    {m.count > 99 ? "99+" : m.count}
                  </text>
                ) : null}
              </a>
            </svg>
          ))}
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
