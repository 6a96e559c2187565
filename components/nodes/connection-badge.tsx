"use client";

import { useHealth } from "@/components/live/queries";
import { Since } from "@/components/ui/durations";

/** "connected", "reconnecting since …" or "no cluster": the watch's state, always visible. */
export function ConnectionBadge() {
  const { data, error } = useHealth();
  if (error)
    return (
      <Badge tone="danger" testId="connection" state="server-unreachable">
        dashboard server unreachable
      </Badge>
    );
  if (!data)
    return (
      <Badge tone="neutral" testId="connection" state="loading">
        …
      </Badge>
    );
  const c = data.cluster;
  if (c.status === "connected") {
    return (
      <Badge tone="good" testId="connection" state="connected">
        connected{c.serverVersion ? ` · ${c.serverVersion}` : ""}
      </Badge>
    );
  }
  if (c.status === "reconnecting") {
    return (
      <Badge tone="danger" testId="connection" state="reconnecting" title={c.error}>
        reconnecting since <Since at={c.since ?? null} /> ago
      </Badge>
    );
  }
  if (c.status === "unconfigured")
    return (
      <Badge tone="danger" testId="connection" state="unconfigured" title={c.error}>
        no cluster configured
      </Badge>
    );
  return (
    <Badge tone="neutral" testId="connection" state="connecting">
      connecting…
    </Badge>
  );
}

function Badge({
  tone,
  children,
  testId,
  state,
  title,
}: {
  tone: "good" | "danger" | "neutral";
  children: React.ReactNode;
  testId: string;
  state: string;
  title?: string;
}) {
  const tones = {
    good: "bg-emerald-50 text-emerald-800 ring-emerald-600/20 dark:bg-emerald-500/10 dark:text-emerald-300",
    danger: "bg-red-50 text-red-800 ring-red-600/30 dark:bg-red-500/10 dark:text-red-300",
    neutral: "bg-zinc-100 text-zinc-700 ring-zinc-500/20 dark:bg-zinc-800 dark:text-zinc-300",
  };
  return (
    <span
      data-testid={testId}
      data-state={state}
      title={title}
      className={`inline-flex items-center gap-1.5 rounded-full px-2.5 py-1 text-xs font-medium ring-1 ring-inset ${tones[tone]}`}
    >
      {children}
    </span>
  );
}
