"use client";

import Link from "next/link";
import { useState } from "react";
import { useTransitions } from "@/components/live/queries";
import { rowClass, tableClass, td, th } from "@/components/ui/card";
import { StateBadge } from "@/components/ui/state-badge";

/** Recorded transitions, newest first, a page at a time. */
export function TransitionsTable({ node, limit = 50 }: { node?: string; limit?: number }) {
  const [cursors, setCursors] = useState<string[]>([]);
  const { data, error, isPending } = useTransitions({ node, cursor: cursors.at(-1), limit });
  if (isPending) return <p className="px-4 py-4 text-sm text-zinc-500">Loading…</p>;
  if (error) return <p className="px-4 py-4 text-sm text-red-600">{error.message}</p>;
  if (data.items.length === 0)
    return <p className="px-4 py-6 text-sm text-zinc-500">No transitions recorded{node ? " for this node" : ""} yet.</p>;
  return (
    <div>
      <table className={tableClass} data-testid="transitions-table">
        <thead>
          <tr>
            <th className={th}>Observed</th>
            {node ? null : <th className={th}>Node</th>}
            <th className={th}>From</th>
            <th className={th}>To</th>
            <th className={th}>Reason</th>
            <th className={th}>API transition time</th>
          </tr>
        </thead>
        <tbody>
          {data.items.map((t) => (
            <tr key={t.id} className={rowClass} data-testid="transition-row" data-node={t.node} data-to={t.toState}>
              <td className={`${td} tabular-nums`}>{new Date(t.observedAt).toLocaleString()}</td>
              {node ? null : (
                <td className={td}>
                  <Link className="text-sky-700 hover:underline dark:text-sky-400" href={`/nodes/${encodeURIComponent(t.node)}`}>
                    {t.node}
                  </Link>
                </td>
              )}
              <td className={td}>{t.fromState ? <StateBadge state={t.fromState} /> : <span className="text-zinc-400">first seen</span>}</td>
              <td className={td}>
                <StateBadge state={t.toState} />
              </td>
              <td className={`${td} text-xs text-zinc-600 dark:text-zinc-400`}>{t.reason || "—"}</td>
              <td className={`${td} tabular-nums text-xs text-zinc-500`}>
                {t.apiTransitionTime ? new Date(t.apiTransitionTime).toLocaleString() : "—"}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="flex gap-2 px-4 py-2 text-sm">
        {cursors.length ? (
          <button
            type="button"
            className="text-sky-700 hover:underline dark:text-sky-400"
            onClick={() => setCursors((c) => c.slice(0, -1))}
          >
            ← newer
          </button>
        ) : null}
        {data.nextCursor ? (
          <button
            type="button"
            className="text-sky-700 hover:underline dark:text-sky-400"
            onClick={() => setCursors((c) => [...c, data.nextCursor as string])}
          >
            older →
          </button>
        ) : null}
      </div>
    </div>
  );
}
