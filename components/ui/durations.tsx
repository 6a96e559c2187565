"use client";

import { useNow } from "@/components/live/use-now";
import { formatDuration } from "@/lib/health/time";

/** Elapsed time since an ISO instant, ticking every second ("4m 12s"). */
export function Since({ at, suffix = "" }: { at: string | null; suffix?: string }) {
  const now = useNow();
  if (!at) return <span className="text-zinc-400">—</span>;
  return (
    <span className="tabular-nums" title={new Date(at).toLocaleString()}>
      {/* An instant newer than the last tick is "0s", not "-0s". */}
      {formatDuration(Math.max(0, now - Date.parse(at)))}
      {suffix}
    </span>
  );
}

/** Time left until an ISO instant; past instants read "overdue by …". */
export function Countdown({ to }: { to: string | null }) {
  const now = useNow();
  if (!to) return <span className="text-zinc-400">—</span>;
  const left = Date.parse(to) - now;
  return (
    <span
      className={`tabular-nums ${left < 0 ? "text-red-600 dark:text-red-400" : "text-amber-700 dark:text-amber-400"}`}
      title={new Date(to).toLocaleString()}
    >
      {left >= 0 ? `in ${formatDuration(left)}` : `overdue ${formatDuration(-left)}`}
    </span>
  );
}
