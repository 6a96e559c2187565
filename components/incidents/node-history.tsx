"use client";

import Link from "next/link";
import { Card, rowClass, tableClass, td, th } from "@/components/ui/card";
import { Legend, SpanLane, TimeAxis } from "@/components/ui/time-track";
import { formatDuration } from "@/lib/health/time";
import type { THistoryWindow } from "@/lib/transitions/health-spans";
import { StatusPill } from "./incident-detail";
import { maybeDuration, NODE_LEGEND, nodeFill, nodeLabel } from "./labels";
import { useIncidents, useNodeHistory } from "./queries";

const WINDOW_LABELS: Record<THistoryWindow, string> = { "24h": "Last 24 hours", "7d": "Last 7 days" };

function Strip({ node, window }: { node: string; window: THistoryWindow }) {
  const { data, error, isPending } = useNodeHistory(node, window);
  if (isPending) return <p className="text-xs text-zinc-500">Loading…</p>;
  if (!data) return <p className="text-xs text-red-600">{error?.message}</p>;
  const range = { from: Date.parse(data.from), to: Date.parse(data.to) };
  const unhealthy = Object.entries(data.msInState)
    .filter(([state]) => state !== "Ready")
    .map(([state, ms]) => `${nodeLabel(state)} ${formatDuration(ms ?? 0)}`);
  const firstAt = data.spans[0]?.from;
  // A node recorded for less than the window: say where the record starts (the rest is blank, not Ready).
  const since = firstAt && Date.parse(firstAt) > range.from ? ` Recorded since ${new Date(firstAt).toLocaleString()}.` : "";
  return (
    <div className="grid grid-cols-[7rem_1fr] items-center gap-x-3 gap-y-0.5">
      <div />
      <TimeAxis range={range} count={window === "7d" ? 7 : 8} />
      <div className="text-xs font-medium text-zinc-500 dark:text-zinc-400">{WINDOW_LABELS[window]}</div>
      <SpanLane
        testId={`health-strip-${window}`}
        className="h-6"
        spans={data.spans}
        range={range}
        fillOf={nodeFill}
        labelOf={nodeLabel}
        ariaLabel={`${node}, ${WINDOW_LABELS[window].toLowerCase()}: ${data.empty ? "nothing recorded" : data.spans.map((s) => nodeLabel(s.state)).join(" → ")}`}
      />
      <div />
      <div className="text-xs text-zinc-500">
        {data.empty
          ? "No transition recorded for this node."
          : unhealthy.length
            ? `Out of Ready: ${unhealthy.join(", ")}.${since}${data.truncated ? " More changes than drawn." : ""}`
            : `Ready throughout.${since}`}
      </div>
    </div>
  );
}

/** Incidents this node was part of, newest first (open ones included). */
function NodeIncidents({ node }: { node: string }) {
  const { data, error, isPending } = useIncidents({ filters: new URLSearchParams({ node, suspicions: "include" }).toString(), limit: 10 });
  if (isPending) return <p className="px-4 py-3 text-sm text-zinc-500">Loading…</p>;
  if (!data) return <p className="px-4 py-3 text-sm text-red-600">{error?.message}</p>;
  if (data.items.length === 0) return <p className="px-4 py-3 text-sm text-zinc-500">This node was in no incident.</p>;
  return (
    <div>
      <table className={tableClass} data-testid="node-incidents">
        <thead>
          <tr>
            <th className={th}>Incident</th>
            <th className={th}>Status</th>
            <th className={th}>Opened</th>
            <th className={th}>Duration</th>
            <th className={th}>Time to recover</th>
            <th className={th}>Nodes</th>
          </tr>
        </thead>
        <tbody>
          {data.items.map((i) => (
            <tr key={i.id} className={rowClass} data-testid={`node-incident-${i.id}`}>
              <td className={td}>
                <Link className="text-sky-700 hover:underline dark:text-sky-400" href={`/incidents/${i.id}`}>
                  #{i.id}
                </Link>
              </td>
              <td className={td}>
                <StatusPill status={i.status} suspicion={i.suspicion} />
              </td>
              <td className={`${td} tabular-nums`}>{new Date(i.openedAt).toLocaleString()}</td>
              <td className={`${td} tabular-nums`}>{maybeDuration(i.figures.durationMs, formatDuration)}</td>
              <td className={`${td} tabular-nums`}>{maybeDuration(i.figures.timeToRecoverMs, formatDuration)}</td>
              <td className={`${td} tabular-nums`}>{i.nodeCount}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {data.nextCursor ? (
        <Link
          className="block px-4 py-2 text-sm text-sky-700 hover:underline dark:text-sky-400"
          href={`/incidents?node=${encodeURIComponent(node)}&suspicions=include`}
        >
          all of this node's incidents →
        </Link>
      ) : null}
    </div>
  );
}

/**
 * The node's recorded health (24 h and 7 days, from its transitions) and its incidents. Shown
 * also for a node that is gone from the cluster: its history is still in the database.
 */
export function NodeHistory({ node }: { node: string }) {
  return (
    <div className="space-y-6" data-testid="node-history">
      <Card title="Health history">
        <div className="space-y-4 px-4 py-3">
          <Strip node={node} window="24h" />
          <Strip node={node} window="7d" />
          <Legend items={NODE_LEGEND} />
        </div>
      </Card>
      <Card title="Incidents">
        <NodeIncidents node={node} />
      </Card>
    </div>
  );
}
