"use client";

import Link from "next/link";
import { Fragment, useState } from "react";
import { rowClass, tableClass, td, th } from "@/components/ui/card";
import { Pill } from "@/components/ui/state-badge";
import type { TAuditEventView } from "@/lib/audit/filters";
import { OutcomeBadge, rowStatus } from "./outcome-badge";
import { useAuditEvents } from "./queries";

const link = "text-sky-700 hover:underline dark:text-sky-400";

/** A JSON column pretty-printed; text that is not JSON is shown as it is. */
const pretty = (json: string): string => {
  try {
    return JSON.stringify(JSON.parse(json), null, 2);
  } catch {
    return json;
  }
};

const DETAIL_FIELDS = ["plan", "results", "k8sStatus"] as const;

function Details({ row }: { row: TAuditEventView }) {
  const facts: [string, string | null][] = [
    ["Action id", row.actionId],
    ["Actor", `${row.actorKind}${row.actorId ? ` ${row.actorId}` : ""}: ${row.actorName}`],
    ["Source", [row.sourceIp, row.userAgent].filter(Boolean).join(" · ") || null],
    ["Gate override", row.gateOverride],
  ];
  return (
    <div className="space-y-3 bg-zinc-50 px-4 py-3 text-xs dark:bg-zinc-950/40">
      <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1">
        {facts.map(([name, value]) =>
          value ? (
            <Fragment key={name}>
              <dt className="font-medium text-zinc-500">{name}</dt>
              <dd className="font-mono break-all">{value}</dd>
            </Fragment>
          ) : null,
        )}
      </dl>
      {DETAIL_FIELDS.map((field) => {
        const value = row[field];
        return value ? (
          <div key={field}>
            <div className="mb-1 font-medium text-zinc-500">{field}</div>
            <pre
              className="max-h-96 overflow-auto rounded border border-zinc-200 bg-white p-2 font-mono dark:border-zinc-800 dark:bg-zinc-900"
              data-testid={`audit-${field}`}
            >
              {pretty(value)}
            </pre>
          </div>
        ) : null;
      })}
    </div>
  );
}

function AuditRow({ row, continues }: { row: TAuditEventView; continues: boolean }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <tr
        className={continues ? "" : rowClass}
        data-testid="audit-row"
        data-action={row.action}
        data-outcome={row.outcome ?? (row.pending ? "pending" : undefined)}
        data-status={rowStatus(row)}
        data-phase={row.phase}
        data-target={row.target}
        data-action-id={row.actionId}
      >
        <td className={`${td} whitespace-nowrap tabular-nums`}>
          <span title={row.at}>{new Date(row.at).toLocaleString()}</span>
          <div className="font-mono text-[10px] text-zinc-400" title={`action ${row.actionId}`}>
            {continues ? "↳ " : ""}
            {row.actionId.slice(0, 8)} · {row.phase}
          </div>
        </td>
        <td className={td}>
          <div className="break-all">{row.actorName}</div>
          <div className="mt-0.5 flex gap-1">
            {row.actorRole ? <Pill>{row.actorRole}</Pill> : null}
            {row.actorKind !== "user" ? <Pill tone="info">{row.actorKind}</Pill> : null}
          </div>
        </td>
        <td className={`${td} font-mono text-xs`}>{row.action}</td>
        <td className={td}>
          {row.targetKind.toLowerCase() === "node" ? (
            <Link className={link} href={`/nodes/${encodeURIComponent(row.target)}`}>
              {row.target}
            </Link>
          ) : (
            <span>
              <span className="text-xs text-zinc-500">{row.targetKind} </span>
              {row.target}
            </span>
          )}
        </td>
        <td className={td}>
          <OutcomeBadge row={row} />
        </td>
        <td className={`${td} text-xs text-zinc-600 dark:text-zinc-400`}>{row.reason || "—"}</td>
        <td className={`${td} text-xs text-zinc-600 dark:text-zinc-400`}>{row.message || "—"}</td>
        <td className={`${td} text-right`}>
          <button
            type="button"
            className={`${link} text-xs`}
            aria-expanded={open}
            onClick={() => setOpen((o) => !o)}
            data-testid="audit-row-toggle"
          >
            {open ? "hide" : "details"}
          </button>
        </td>
      </tr>
      {open ? (
        <tr data-testid="audit-row-details">
          <td colSpan={8} className="p-0">
            <Details row={row} />
          </td>
        </tr>
      ) : null}
    </>
  );
}

/** Audit events for a filter query string, newest first, a page at a time. */
export function AuditTable({ filters, limit = 50 }: { filters: string; limit?: number }) {
  const [cursors, setCursors] = useState<string[]>([]);
  const { data, error, isPending } = useAuditEvents({ filters, cursor: cursors.at(-1), limit });
  if (isPending) return <p className="px-4 py-4 text-sm text-zinc-500">Loading…</p>;
  if (error)
    return (
      <p className="px-4 py-4 text-sm text-red-600" data-testid="audit-error">
        {error.message}
      </p>
    );
  if (data.items.length === 0)
    return (
      <p className="px-4 py-6 text-sm text-zinc-500">
        {filters ? "No audit events match these filters." : "No audit events recorded yet."}
      </p>
    );
  return (
    <div>
      <table className={tableClass} data-testid="audit-table">
        <thead>
          <tr>
            <th className={th}>Time</th>
            <th className={th}>Actor</th>
            <th className={th}>Action</th>
            <th className={th}>Target</th>
            <th className={th}>Outcome</th>
            <th className={th}>Reason</th>
            <th className={th}>Message</th>
            <th className={th}>
              <span className="sr-only">Details</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {data.items.map((row, i) => (
            // Newest first, an attempt's intent comes right after its outcome: draw them as one group.
            <AuditRow key={row.id} row={row} continues={i > 0 && data.items[i - 1]?.actionId === row.actionId} />
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
          <button type="button" className={link} onClick={() => setCursors((c) => [...c, data.nextCursor as string])}>
            older →
          </button>
        ) : null}
      </div>
    </div>
  );
}
