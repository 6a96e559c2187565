// SVG primitives for anything drawn along time: a lane of coloured spans, a row of markers and an
// axis. Positions are percentages of the lane's width (SVG lengths), so a lane fills its column
// at any width without measuring it, and markers stay round. No data access, no chart library.
import { formatDuration } from "@/lib/health/time";

export type TRange = { from: number; to: number };
export type TTrackSpan = { state: string; from: string; to: string };

/** Where `t` (epoch ms) lies in `range`, in percent, clamped to the lane. */
export const pct = (range: TRange, t: number) => {
  const width = range.to - range.from;
  if (width <= 0) return 0;
  return Math.min(100, Math.max(0, ((t - range.from) / width) * 100));
};
const fmt = (n: number) => `${n.toFixed(3)}%`;

export const clock = (t: number) => new Date(t).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
const dayClock = (t: number) => new Date(t).toLocaleString([], { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });

/** A lane of spans, one rect each, with a title naming the state and its times. */
export function SpanLane({
  spans,
  range,
  fillOf,
  labelOf = (s) => s,
  ariaLabel,
  guides = [],
  testId,
  className = "h-5",
}: {
  spans: readonly TTrackSpan[];
  range: TRange;
  fillOf: (state: string) => string;
  labelOf?: (state: string) => string;
  ariaLabel: string;
  /** Instants (epoch ms) of markers, drawn as thin lines across the lane. */
  guides?: readonly number[];
  testId?: string;
  className?: string;
}) {
  const wide = range.to - range.from > 36 * 3_600_000;
  const at = wide ? dayClock : clock;
  return (
    <svg className={`block w-full overflow-visible ${className}`} role="img" aria-label={ariaLabel} data-testid={testId}>
      <title>{ariaLabel}</title>
      <rect x="0" y="0" width="100%" height="100%" rx="3" className="fill-zinc-100 dark:fill-zinc-800/60" />
      {spans.map((s) => {
        const a = Date.parse(s.from);
        const b = Date.parse(s.to);
        const x = pct(range, a);
        // At least a sliver, so a short state stays visible (and clickable in a title).
        const w = Math.max(pct(range, b) - x, 0.25);
        return (
          <rect
            key={`${s.from}-${s.state}`}
            x={fmt(Math.min(x, 99.75))}
            y="0"
            width={fmt(w)}
            height="100%"
            className={fillOf(s.state)}
            data-testid="span"
            data-state={s.state}
          >
            <title>{`${labelOf(s.state)}: ${at(a)} → ${at(b)} (${formatDuration(b - a)})`}</title>
          </rect>
        );
      })}
      {guides.map((t) => (
        <line
          key={t}
          x1={fmt(pct(range, t))}
          x2={fmt(pct(range, t))}
          y1="0"
          y2="100%"
          className="stroke-zinc-700/50 dark:stroke-zinc-200/50"
          strokeWidth={1}
          strokeDasharray="2 2"
        />
      ))}
    </svg>
  );
}

/** Round steps for axis ticks, from a second to a week. */
const STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800].map(
  (s) => s * 1000,
);

/** Tick instants for `range`: about `count` of them, on round local times. */
export function ticksOf(range: TRange, count = 6): number[] {
  const width = range.to - range.from;
  if (width <= 0) return [];
  const step = STEPS.find((s) => width / s <= count) ?? (STEPS.at(-1) as number);
  // Align on the local day's round times (an hour step ticks on the hour in the viewer's zone).
  const offset = new Date(range.from).getTimezoneOffset() * 60_000;
  const first = Math.ceil((range.from - offset) / step) * step + offset;
  const out: number[] = [];
  for (let t = first; t <= range.to; t += step) out.push(t);
  return out;
}

/** The time axis above lanes: tick labels and marks. */
export function TimeAxis({ range, count = 6 }: { range: TRange; count?: number }) {
  const wide = range.to - range.from > 36 * 3_600_000;
  return (
    <svg className="block h-5 w-full overflow-visible text-[10px]" aria-hidden>
      {ticksOf(range, count).map((t) => {
        const x = pct(range, t);
        return (
          <g key={t}>
            <line x1={fmt(x)} x2={fmt(x)} y1="14" y2="20" className="stroke-zinc-400 dark:stroke-zinc-600" />
            <text
              x={fmt(x)}
              y="10"
              textAnchor={x < 4 ? "start" : x > 96 ? "end" : "middle"}
              className="fill-zinc-500 tabular-nums dark:fill-zinc-400"
            >
              {wide ? dayClock(t) : clock(t)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/** A colour key: a swatch and a label per entry. */
export function Legend({ items }: { items: readonly { label: string; fill: string }[] }) {
  return (
    <ul className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-zinc-600 dark:text-zinc-400">
      {items.map((i) => (
        <li key={i.label} className="flex items-center gap-1.5">
          <svg className="h-2.5 w-2.5" aria-hidden>
            <rect width="100%" height="100%" rx="2" className={i.fill} />
          </svg>
          {i.label}
        </li>
      ))}
    </ul>
  );
}
