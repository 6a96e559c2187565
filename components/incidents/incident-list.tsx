"use client";

import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useState } from "react";
import { Card, rowClass, tableClass, td, th } from "@/components/ui/card";
import { filterInput, filterLabel, toLocalInput } from "@/components/ui/local-time";
import { filterQuery, useUrlFilterForm } from "@/components/ui/url-filters";
import { formatDuration } from "@/lib/health/time";
import type { TIncidentListItem } from "@/lib/incidents/list";
import { StatusPill } from "./incident-detail";
import { maybeDuration } from "./labels";
import { useIncidents } from "./queries";

/** The filters the page keeps in its URL, in a stable order (the query key); as GET /api/incidents names them. */
export const INCIDENT_FILTER_KEYS = ["node", "workload", "namespace", "status", "from", "to", "actions", "suspicions"] as const;

export const incidentFilterQuery = (params: URLSearchParams): string => filterQuery(params, INCIDENT_FILTER_KEYS);

const link = "text-sky-700 hover:underline dark:text-sky-400";
const dur = (ms: number | null | undefined) => maybeDuration(ms, formatDuration);
const NODES_SHOWN = 3;

function FilterBar({ filters }: { filters: string }) {
  const { current, isClient, formProps, clear } = useUrlFilterForm({
    filters,
    keys: INCIDENT_FILTER_KEYS,
    read: (key, data) => (key === "suspicions" ? (data.get(key) ? "include" : "") : null),
  });
  const submitOnChange = (e: React.ChangeEvent<HTMLSelectElement | HTMLInputElement>) => e.currentTarget.form?.requestSubmit();
  return (
    <form {...formProps} data-testid="incident-filters">
      <label className={filterLabel}>
        Node
        <input className={filterInput} name="node" type="search" placeholder="exact node name" defaultValue={current.get("node") ?? ""} />
      </label>
      <label className={filterLabel}>
        Workload
        <input className={filterInput} name="workload" type="search" placeholder="name" defaultValue={current.get("workload") ?? ""} />
      </label>
      <label className={filterLabel}>
        Namespace
        <input className={filterInput} name="namespace" type="search" defaultValue={current.get("namespace") ?? ""} />
      </label>
      <label className={filterLabel}>
        Status
        <select className={filterInput} name="status" defaultValue={current.get("status") ?? ""} onChange={submitOnChange}>
          <option value="">any</option>
          <option value="open">open</option>
          <option value="closed">closed</option>
        </select>
      </label>
      <label className={filterLabel}>
        Actions
        <select className={filterInput} name="actions" defaultValue={current.get("actions") ?? ""} onChange={submitOnChange}>
          <option value="">any</option>
          <option value="with">with actions</option>
          <option value="without">without actions</option>
        </select>
      </label>
      <label className={filterLabel}>
        Opened from
        <input
          className={filterInput}
          name="from"
          type="datetime-local"
          step={1}
          defaultValue={isClient ? toLocalInput(current.get("from")) : ""}
        />
      </label>
      <label className={filterLabel}>
        to
        <input
          className={filterInput}
          name="to"
          type="datetime-local"
          step={1}
          defaultValue={isClient ? toLocalInput(current.get("to")) : ""}
        />
      </label>
      <label className="flex items-center gap-1.5 pb-1.5 text-sm text-zinc-600 dark:text-zinc-400">
        <input
          type="checkbox"
          name="suspicions"
          defaultChecked={current.get("suspicions") === "include"}
          onChange={submitOnChange}
          data-testid="incident-filter-suspicions"
        />
        show suspicions (heartbeat blips)
      </label>
      <div className="flex gap-2">
        <button
          type="submit"
          className="rounded-md bg-zinc-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-zinc-700 dark:bg-zinc-100 dark:text-zinc-900"
        >
          Apply
        </button>
        {filters ? (
          <button type="button" className="rounded-md px-3 py-1.5 text-sm text-sky-700 hover:underline dark:text-sky-400" onClick={clear}>
            Clear
          </button>
        ) : null}
      </div>
    </form>
  );
}

function Row({ item }: { item: TIncidentListItem }) {
  const more = item.nodeCount - Math.min(item.nodes.length, NODES_SHOWN);
  return (
    <tr className={rowClass} data-testid={`incident-row-${item.id}`} data-status={item.status} data-nodes={item.nodes.join(",")}>
      <td className={td}>
        <Link className={`${link} font-medium`} href={`/incidents/${item.id}`} data-testid="incident-link">
          #{item.id}
        </Link>
      </td>
      <td className={td}>
        <StatusPill status={item.status} suspicion={item.suspicion} />
      </td>
      <td className={td} data-testid="incident-nodes">
        {item.nodes.slice(0, NODES_SHOWN).join(", ")}
        {more > 0 ? <span className="text-zinc-500"> +{more} more</span> : null}
      </td>
      <td className={`${td} whitespace-nowrap tabular-nums`}>{new Date(item.openedAt).toLocaleString()}</td>
      <td className={`${td} tabular-nums`} data-testid="incident-duration">
        {dur(item.figures.durationMs)}
      </td>
      <td className={`${td} tabular-nums`} data-testid="incident-ttr">
        {dur(item.figures.timeToRecoverMs)}
      </td>
      <td className={`${td} tabular-nums`} data-testid="incident-workloads">
        {item.figures.workloadsHit} / {item.figures.workloadsAffected}
      </td>
      <td className={`${td} tabular-nums`} data-testid="incident-actions">
        {item.figures.actions}
      </td>
    </tr>
  );
}

/** Incidents for a filter query, newest first, a page at a time (cursor paging). */
function IncidentTable({ filters, empty, testId }: { filters: string; empty: string; testId: string }) {
  const [cursors, setCursors] = useState<string[]>([]);
  const { data, error, isPending } = useIncidents({ filters, cursor: cursors.at(-1) });
  if (isPending) return <p className="px-4 py-4 text-sm text-zinc-500">Loading…</p>;
  if (error)
    return (
      <p className="px-4 py-4 text-sm text-red-600" data-testid="incidents-error">
        {error.message}
      </p>
    );
  if (data.items.length === 0) return <p className="px-4 py-6 text-sm text-zinc-500">{empty}</p>;
  return (
    <div className="overflow-x-auto">
      <table className={tableClass} data-testid={testId}>
        <thead>
          <tr>
            <th className={th}>Incident</th>
            <th className={th}>Status</th>
            <th className={th}>Nodes</th>
            <th className={th}>Opened</th>
            <th className={th}>Duration</th>
            <th className={th}>Time to recover</th>
            <th className={th} title="workloads that lost ready replicas / every workload that ran on the nodes">
              Workloads down / affected
            </th>
            <th className={th}>Actions</th>
          </tr>
        </thead>
        <tbody>
          {data.items.map((item) => (
            <Row key={item.id} item={item} />
          ))}
        </tbody>
      </table>
      <div className="flex gap-2 px-4 py-2 text-sm">
        {cursors.length ? (
          <button type="button" className={link} onClick={() => setCursors((c) => c.slice(0, -1))}>
            ← newer
          </button>
        ) : null}
        {data.nextCursor ? (
          <button
            type="button"
            className={link}
            onClick={() => setCursors((c) => [...c, data.nextCursor as string])}
            data-testid="incidents-older"
          >
            older →
          </button>
        ) : null}
      </div>
    </div>
  );
}

/**
 * The incident history: open incidents first (all of them), then the closed ones, newest first;
 * filters in the URL. A status filter shows just that table.
 */
export function IncidentList() {
  const filters = incidentFilterQuery(new URLSearchParams(useSearchParams().toString()));
  const params = new URLSearchParams(filters);
  const status = params.get("status");
  const withStatus = (s: "open" | "closed") => {
    const q = new URLSearchParams(filters);
    q.set("status", s);
    return q.toString();
  };
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-xl font-semibold">Incidents</h1>
        <Link className={`${link} text-sm`} href="/incidents/trends" data-testid="trends-link">
          Trends →
        </Link>
      </div>
      <FilterBar filters={filters} />
      {status !== "closed" ? (
        <Card title="Open">
          <IncidentTable key={`open|${filters}`} filters={withStatus("open")} empty="No open incident." testId="incidents-open" />
        </Card>
      ) : null}
      {status !== "open" ? (
        <Card title="Closed (newest first)">
          <IncidentTable
            key={`closed|${filters}`}
            filters={withStatus("closed")}
            empty={filters ? "No closed incident matches these filters." : "No incident recorded yet."}
            testId="incidents-closed"
          />
        </Card>
      ) : null}
      {params.get("suspicions") === "include" ? null : (
        <p className="text-xs text-zinc-500">
          Closed suspicions (a late heartbeat that recovered before the node was ever NotReady or Unknown) are folded away; tick “show
          suspicions” to list them.
        </p>
      )}
    </div>
  );
}
