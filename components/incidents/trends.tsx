"use client";

import Link from "next/link";
import { useState } from "react";
import { ErrorPanel } from "@/components/nodes/overview";
import { Card, Stat } from "@/components/ui/card";
import { filterInput, filterLabel } from "@/components/ui/local-time";
import { formatDuration } from "@/lib/health/time";
import type { TIncidentTrends } from "@/lib/incidents/trends";
import { useIncidentTrends } from "./queries";

// Charts in plain SVG on a fixed viewBox that scales with its column: no chart library. The
// scatter of times to recover is one <path> of round dots however many incidents there are.
const W = 720;
const H = 220;
const M = { left: 48, right: 12, top: 26, bottom: 26 };
const IW = W - M.left - M.right;
const IH = H - M.top - M.bottom;

const WEEK_OPTIONS = [4, 12, 26, 52] as const;
const shortDate = (iso: string) => new Date(iso).toLocaleDateString([], { month: "short", day: "numeric" });
const dur = (ms: number | null) => (ms == null ? "—" : formatDuration(ms));

/** A round upper bound for an axis (1, 2, 5 × 10ⁿ). */
function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return ([1, 2, 5, 10].find((m) => m * p >= v) ?? 10) * p;
}

function Axes({ yTicks, yLabel }: { yTicks: { v: number; y: number; label: string }[]; yLabel: string }) {
  return (
    <g className="text-[11px]">
      {yTicks.map((t) => (
        <g key={t.v}>
          <line x1={M.left} x2={W - M.right} y1={t.y} y2={t.y} className="stroke-zinc-200 dark:stroke-zinc-800" />
          <text x={M.left - 6} y={t.y + 4} textAnchor="end" className="fill-zinc-500 tabular-nums dark:fill-zinc-400">
            {t.label}
          </text>
        </g>
      ))}
      <text x={4} y={11} className="fill-zinc-500 dark:fill-zinc-400">
        {yLabel}
      </text>
    </g>
  );
}

function PerWeekChart({ t }: { t: TIncidentTrends }) {
  const max = niceMax(Math.max(...t.perWeek.map((w) => w.incidents + w.suspicions), 1));
  const slot = IW / t.perWeek.length;
  const bar = Math.max(2, slot * 0.7);
  const y = (v: number) => M.top + IH - (v / max) * IH;
  const labelEvery = Math.ceil(t.perWeek.length / 8);
  const total = t.perWeek.reduce((s, w) => s + w.incidents, 0);
  return (
    <svg
      viewBox={`0 0 ${W} ${H}`}
      className="h-auto w-full"
      role="img"
      aria-label={`Incidents per week: ${total} in ${t.weeks} weeks`}
      data-testid="trends-per-week"
      data-total={total}
    >
      <Axes yTicks={[0, max / 2, max].map((v) => ({ v, y: y(v), label: String(Math.round(v * 10) / 10) }))} yLabel="incidents" />
      {t.perWeek.map((w, i) => {
        const x = M.left + i * slot + (slot - bar) / 2;
        return (
          <g key={w.weekStart} data-testid="week-bar" data-week={w.weekStart} data-incidents={w.incidents}>
            <title>{`Week of ${shortDate(w.weekStart)}: ${w.incidents} incident${w.incidents === 1 ? "" : "s"}${w.open ? ` (${w.open} open)` : ""}, ${w.suspicions} suspicion${w.suspicions === 1 ? "" : "s"}`}</title>
            <rect x={x} y={y(w.incidents)} width={bar} height={y(0) - y(w.incidents)} className="fill-red-500 dark:fill-red-400" />
            <rect
              x={x}
              y={y(w.incidents + w.suspicions)}
              width={bar}
              height={y(w.incidents) - y(w.incidents + w.suspicions)}
              className="fill-amber-300 dark:fill-amber-500/70"
            />
            {i % labelEvery === 0 ? (
              <text x={x + bar / 2} y={H - 8} textAnchor="middle" className="fill-zinc-500 text-[11px] dark:fill-zinc-400">
                {shortDate(w.weekStart)}
              </text>
            ) : null}
          </g>
        );
      })}
    </svg>
  );
}

function RecoverChart({ t }: { t: TIncidentTrends }) {
  const { points, medianMs, p90Ms } = t.timeToRecover;
  const from = Date.parse(t.from);
  const to = Date.parse(t.to);
  const max = niceMax(Math.max(...points.map((p) => p.timeToRecoverMs), 60_000));
  const x = (ms: number) => M.left + ((ms - from) / Math.max(1, to - from)) * IW;
  const y = (ms: number) => M.top + IH - (ms / max) * IH;
  // One path, one dot per incident (a zero-length segment with a round cap).
  const dots = points.map((p) => `M${x(Date.parse(p.openedAt)).toFixed(1)} ${y(p.timeToRecoverMs).toFixed(1)}h0`).join("");
  // Median labelled at the right end of its line, p90 at the left: equal values never overprint.
  const lines: [string, number | null, string, "start" | "end"][] = [
    ["median", medianMs, "stroke-sky-600 dark:stroke-sky-400", "end"],
    ["p90", p90Ms, "stroke-purple-600 dark:stroke-purple-400", "start"],
  ];
  return (
    <svg
      viewBox={`0 0 ${W} ${H}`}
      className="h-auto w-full"
      role="img"
      aria-label={`Time to recover of ${points.length} incidents: median ${dur(medianMs)}, p90 ${dur(p90Ms)}`}
      data-testid="trends-ttr"
      data-points={points.length}
      data-median-ms={medianMs ?? ""}
      data-p90-ms={p90Ms ?? ""}
    >
      <Axes yTicks={[0, max / 2, max].map((v) => ({ v, y: y(v), label: formatDuration(v) }))} yLabel="time to recover" />
      {[0, 0.25, 0.5, 0.75, 1].map((f) => (
        <text
          key={f}
          x={M.left + f * IW}
          y={H - 8}
          textAnchor={f === 0 ? "start" : f === 1 ? "end" : "middle"}
          className="fill-zinc-500 text-[11px] dark:fill-zinc-400"
        >
          {shortDate(new Date(from + f * (to - from)).toISOString())}
        </text>
      ))}
      <path d={dots} className="stroke-zinc-800 dark:stroke-zinc-200" strokeWidth={6} strokeLinecap="round" strokeOpacity={0.7} />
      {lines.map(([name, v, cls, anchor]) =>
        v == null ? null : (
          <g key={name}>
            <line x1={M.left} x2={W - M.right} y1={y(v)} y2={y(v)} className={cls} strokeWidth={1.5} strokeDasharray="5 4" />
            <text
              x={anchor === "end" ? W - M.right - 4 : M.left + 4}
              y={y(v) - 4}
              textAnchor={anchor}
              className={`text-[11px] ${cls.replaceAll("stroke-", "fill-")}`}
            >
              {name} {formatDuration(v)}
            </text>
          </g>
        ),
      )}
      {points.length === 0 ? (
        <text x={M.left + IW / 2} y={M.top + IH / 2} textAnchor="middle" className="fill-zinc-500 text-sm">
          No incident took a workload down in this period.
        </text>
      ) : null}
    </svg>
  );
}

function TopList({ rows, testId }: { rows: { key: string; label: React.ReactNode; count: number }[]; testId: string }) {
  if (rows.length === 0) return <p className="px-4 py-3 text-sm text-zinc-500">None in this period.</p>;
  const max = Math.max(...rows.map((r) => r.count));
  return (
    <ol className="space-y-1.5 px-4 py-3 text-sm" data-testid={testId}>
      {rows.map((r) => (
        <li key={r.key} className="grid grid-cols-[minmax(0,14rem)_1fr_2.5rem] items-center gap-3" data-key={r.key} data-count={r.count}>
          <span className="truncate" title={r.key}>
            {r.label}
          </span>
          <svg className="h-3 w-full" aria-hidden>
            <rect x="0" y="0" height="100%" width={`${(r.count / max) * 100}%`} rx="2" className="fill-red-400 dark:fill-red-500/80" />
          </svg>
          <span className="text-right tabular-nums">{r.count}</span>
        </li>
      ))}
    </ol>
  );
}

/** Trends over the last weeks: incidents per week, time to recover (median, p90), most-affected nodes and workloads. */
export function IncidentTrends() {
  const [weeks, setWeeks] = useState<number>(12);
  const { data: t, error, isPending } = useIncidentTrends(weeks);
  if (isPending) return <p className="text-sm text-zinc-500">Loading trends…</p>;
  if (!t) return <ErrorPanel message={error?.message ?? "cannot show the trends"} />;
  const incidents = t.perWeek.reduce((s, w) => s + w.incidents, 0);
  return (
    <div className="space-y-6" data-testid="incident-trends">
      <div className="flex flex-wrap items-end gap-3">
        <Link href="/incidents" className="text-sm text-zinc-500 hover:underline">
          Incidents
        </Link>
        <span className="text-zinc-400">/</span>
        <h1 className="text-xl font-semibold">Trends</h1>
        <label className={`${filterLabel} ml-auto`}>
          Period
          <select className={filterInput} value={weeks} onChange={(e) => setWeeks(Number(e.target.value))} data-testid="trends-weeks">
            {WEEK_OPTIONS.map((w) => (
              <option key={w} value={w}>
                last {w} weeks
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
        <Stat label="Incidents" value={incidents} testId="trends-incidents" />
        <Stat label="Incidents that took a workload down" value={t.timeToRecover.points.length} />
        <Stat label="Median time to recover" value={dur(t.timeToRecover.medianMs)} testId="trends-median" />
        <Stat label="p90 time to recover" value={dur(t.timeToRecover.p90Ms)} testId="trends-p90" />
      </div>
      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Incidents per week">
          <div className="px-2 py-2">
            <PerWeekChart t={t} />
          </div>
          <div className="flex gap-4 px-4 pb-3 text-xs text-zinc-600 dark:text-zinc-400">
            <span className="flex items-center gap-1.5">
              <span aria-hidden className="h-2.5 w-2.5 rounded-sm bg-red-500 dark:bg-red-400" /> incidents (a node confirmed dead)
            </span>
            <span className="flex items-center gap-1.5">
              <span aria-hidden className="h-2.5 w-2.5 rounded-sm bg-amber-300 dark:bg-amber-500/70" /> suspicions (heartbeat blips)
            </span>
          </div>
        </Card>
        <Card title="Time to recover per incident (first sign → every workload whole)">
          <div className="px-2 py-2">
            <RecoverChart t={t} />
          </div>
        </Card>
      </div>
      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Most-affected nodes (incidents they died in)">
          <TopList
            testId="trends-nodes"
            rows={t.mostAffectedNodes.map((n) => ({
              key: n.node,
              label: (
                <Link className="text-sky-700 hover:underline dark:text-sky-400" href={`/incidents?node=${encodeURIComponent(n.node)}`}>
                  {n.node}
                </Link>
              ),
              count: n.incidents,
            }))}
          />
        </Card>
        <Card title="Most-affected workloads (incidents they lost ready replicas in)">
          <TopList
            testId="trends-workloads"
            rows={t.mostAffectedWorkloads.map((w) => ({
              key: w.key,
              label: (
                <Link
                  className="text-sky-700 hover:underline dark:text-sky-400"
                  href={`/incidents?${new URLSearchParams({ workload: w.name, namespace: w.namespace })}`}
                >
                  <span className="text-xs text-zinc-500">{w.kind} </span>
                  {w.namespace}/{w.name}
                </Link>
              ),
              count: w.incidents,
            }))}
          />
        </Card>
      </div>
    </div>
  );
}
