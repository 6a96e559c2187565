"use client";

import Link from "next/link";
import { rowClass, tableClass, td, th } from "@/components/ui/card";
import { Since } from "@/components/ui/durations";
import { Pill, StateBadge } from "@/components/ui/state-badge";
import type { TOverviewView } from "@/lib/views/overview";

/**
 * One page of nodes as the server sorted them: unhealthy first, then by name, so the operator's
 * eye goes to the top. Large clusters get a filter and pages (filtered and paged on the server).
 */
export function NodesTable(props: {
  nodes: TOverviewView["nodes"];
  /** What is typed in the filter (the query follows it after a pause). */
  filter: string;
  onFilter: (value: string) => void;
  onPage: (page: number) => void;
  /** The rows are the previous page's or filter's while the new ones load. */
  stale?: boolean;
}) {
  const { nodes, filter, onFilter, onPage } = props;
  const { rows, page, pages } = nodes;
  return (
    <div className="overflow-x-auto">
      {nodes.all > nodes.pageSize || nodes.q || filter ? (
        <div className="flex items-center gap-3 px-3 py-2 text-sm">
          <input
            value={filter}
            onChange={(e) => onFilter(e.target.value)}
            maxLength={100}
            placeholder="filter: name, role or state (unknown, notready…)"
            className="w-80 rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-950"
            data-testid="nodes-filter"
          />
          <span className="text-zinc-500">
            {nodes.total} nodes · page {page + 1} of {pages}
          </span>
          <button
            type="button"
            disabled={page === 0}
            onClick={() => onPage(page - 1)}
            className="text-sky-700 disabled:opacity-30 dark:text-sky-400"
          >
            ← prev
          </button>
          <button
            type="button"
            disabled={page >= pages - 1}
            onClick={() => onPage(page + 1)}
            className="text-sky-700 disabled:opacity-30 dark:text-sky-400"
          >
            next →
          </button>
        </div>
      ) : null}
      <table className={`${tableClass} ${props.stale ? "opacity-60" : ""}`} data-testid="nodes-table">
        <thead>
          <tr>
            <th className={th}>Node</th>
            <th className={th}>Health</th>
            <th className={th}>Heartbeat</th>
            <th className={th}>Roles</th>
            <th className={th}>Version</th>
            <th className={th}>Age</th>
            <th className={`${th} text-right`}>Pods</th>
            <th className={`${th} text-right`}>Stuck</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((n) => (
            <tr
              key={n.name}
              className={`${rowClass} ${n.state === "Ready" ? "" : "bg-red-50/40 dark:bg-red-500/5"}`}
              data-testid={`node-row-${n.name}`}
              data-state={n.state}
              data-health={n.health}
              data-cordoned={n.cordoned ? "true" : "false"}
            >
              <td className={td}>
                <Link href={`/nodes/${encodeURIComponent(n.name)}`} className="font-medium text-sky-700 hover:underline dark:text-sky-400">
                  {n.name}
                </Link>
                <div className="mt-0.5 flex flex-wrap gap-1">
                  {n.cordoned ? <Pill tone="warn">cordoned</Pill> : null}
                  {n.taints
                    .filter((t) => t.effect === "NoExecute")
                    .map((t) => (
                      <Pill key={t.key} tone="danger">
                        {t.key.replace("node.kubernetes.io/", "")}:NoExecute
                      </Pill>
                    ))}
                  {n.problems > 0 ? (
                    <Pill tone="warn">
                      {n.problems} problem{n.problems > 1 ? "s" : ""}
                    </Pill>
                  ) : null}
                </div>
              </td>
              <td className={td}>
                <StateBadge state={n.state} />
                {n.state !== "Ready" && n.notReadySince ? (
                  <div className="mt-0.5 text-xs text-zinc-500">
                    for <Since at={n.notReadySince} />
                  </div>
                ) : null}
              </td>
              <td
                className={`${td} ${n.heartbeat.late ? "font-medium text-amber-700 dark:text-amber-400" : "text-zinc-600 dark:text-zinc-400"}`}
              >
                {n.heartbeat.leaseRenewTime ? (
                  <>
                    <Since at={n.heartbeat.leaseRenewTime} /> ago
                  </>
                ) : (
                  "no lease"
                )}
              </td>
              <td className={`${td} text-zinc-600 dark:text-zinc-400`}>{n.roles.join(", ") || "—"}</td>
              <td className={`${td} font-mono text-xs text-zinc-600 dark:text-zinc-400`}>{n.kubeletVersion ?? "—"}</td>
              <td className={`${td} text-zinc-600 dark:text-zinc-400`}>
                <Since at={n.createdAt} />
              </td>
              <td className={`${td} text-right tabular-nums`}>{n.pods}</td>
              <td
                className={`${td} text-right tabular-nums ${n.stuckPods ? "font-semibold text-red-700 dark:text-red-400" : "text-zinc-400"}`}
              >
                {n.stuckPods}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
