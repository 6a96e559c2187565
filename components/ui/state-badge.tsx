import type { TNodeState } from "@/lib/health/states";

/**
 * One colour per state, readable in light and dark: green healthy, amber suspicious, red dead;
 * `fill` is the same colour for SVG (timelines, health strips; Unknown a shade darker than NotReady).
 */
const STYLES: Record<TNodeState, { label: string; className: string; dot: string; fill: string }> = {
  Ready: {
    label: "Ready",
    className: "bg-emerald-50 text-emerald-800 ring-emerald-600/20 dark:bg-emerald-500/10 dark:text-emerald-300 dark:ring-emerald-400/30",
    dot: "bg-emerald-500",
    fill: "fill-emerald-500",
  },
  HeartbeatLate: {
    label: "Heartbeat late",
    className: "bg-amber-50 text-amber-800 ring-amber-600/30 dark:bg-amber-500/10 dark:text-amber-300 dark:ring-amber-400/30",
    dot: "bg-amber-500 animate-pulse",
    fill: "fill-amber-400 dark:fill-amber-500",
  },
  NotReady: {
    label: "NotReady",
    className: "bg-red-50 text-red-800 ring-red-600/30 dark:bg-red-500/10 dark:text-red-300 dark:ring-red-400/40",
    dot: "bg-red-500",
    fill: "fill-red-400 dark:fill-red-400",
  },
  Unknown: {
    label: "Unknown",
    className: "bg-red-50 text-red-800 ring-red-600/30 dark:bg-red-500/10 dark:text-red-300 dark:ring-red-400/40",
    dot: "bg-red-500 animate-pulse",
    fill: "fill-red-600 dark:fill-red-500",
  },
  Deleted: {
    label: "Deleted",
    className: "bg-zinc-100 text-zinc-700 ring-zinc-500/20 dark:bg-zinc-500/10 dark:text-zinc-300 dark:ring-zinc-400/30",
    dot: "bg-zinc-400",
    fill: "fill-zinc-400 dark:fill-zinc-500",
  },
};

/** A node state's label and its badge colour as an SVG fill class. */
export const nodeStateStyle = (state: TNodeState) => ({ label: STYLES[state].label, fill: STYLES[state].fill });

export function StateBadge({ state }: { state: TNodeState }) {
  const s = STYLES[state];
  return (
    <span className={`inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${s.className}`}>
      <span aria-hidden className={`h-1.5 w-1.5 rounded-full ${s.dot}`} />
      {s.label}
    </span>
  );
}

export function Pill({ children, tone = "neutral" }: { children: React.ReactNode; tone?: "neutral" | "warn" | "danger" | "info" }) {
  const tones = {
    neutral: "bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300",
    warn: "bg-amber-100 text-amber-900 dark:bg-amber-500/15 dark:text-amber-300",
    danger: "bg-red-100 text-red-900 dark:bg-red-500/15 dark:text-red-300",
    info: "bg-sky-100 text-sky-900 dark:bg-sky-500/15 dark:text-sky-300",
  };
  return <span className={`inline-flex items-center rounded px-1.5 py-0.5 text-xs font-medium ${tones[tone]}`}>{children}</span>;
}
