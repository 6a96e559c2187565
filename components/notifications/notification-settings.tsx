"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { send } from "@/components/live/send-json";
import { useRowAction } from "@/components/live/use-row-action";
import { Card, rowClass, tableClass, td, th } from "@/components/ui/card";
import { type TEndpointRow, useDeliveries, useEndpoints } from "./api";
import { EndpointForm } from "./endpoint-form";

const STATUS_TONES: Record<string, string> = {
  delivered: "text-emerald-700 dark:text-emerald-400",
  skipped: "text-zinc-500",
  pending: "text-amber-700 dark:text-amber-400",
  failed: "text-red-700 dark:text-red-400",
};
const button =
  "rounded-md px-2 py-1 text-xs font-medium ring-1 ring-inset ring-zinc-300 hover:bg-zinc-100 disabled:opacity-50 dark:ring-zinc-700 dark:hover:bg-zinc-800";

/** The notifications page: the endpoints (edit, test, retry what failed), their delivery history, a form for a new one. */
export function NotificationSettings() {
  const { data, error } = useEndpoints();
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: ["live", "notifications"] });
  return (
    <div className="space-y-4">
      <Card title="Notification endpoints">
        {error ? <p className="p-4 text-sm text-red-700">{error.message}</p> : null}
        {data && data.endpoints.length === 0 ? <p className="p-4 text-sm text-zinc-500">No endpoints yet.</p> : null}
        <ul className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {data?.endpoints.map((e) => (
            <EndpointItem key={e.id} endpoint={e} onChange={refresh} />
          ))}
        </ul>
      </Card>
      <Card title="Add an endpoint">
        <EndpointForm onDone={refresh} />
      </Card>
    </div>
  );
}

function EndpointItem({ endpoint: e, onChange }: { endpoint: TEndpointRow; onChange: () => void }) {
  const [open, setOpen] = useState(false);
  const [editing, setEditing] = useState(false);
  const { note, setNote, busy, act } = useRowAction(onChange);
  const test = () =>
    act(async () => {
      const r = await send<{ ok: boolean; status: number | null; error: string | null; ms: number }>(
        "POST",
        `/api/notifications/${e.id}/test`,
      );
      return r.ok ? `Test delivered (HTTP ${r.status}, ${r.ms} ms)` : `Test failed: ${r.error}`;
    });
  const toggle = () =>
    act(async () => {
      await send("PUT", `/api/notifications/${e.id}`, { enabled: !e.enabled });
      return e.enabled ? "Disabled" : "Enabled";
    });
  const retry = () => act(async () => (await send<{ message: string }>("POST", `/api/notifications/${e.id}/retry`)).message);
  const remove = () => {
    if (!window.confirm(`Delete the endpoint "${e.name}" and its delivery history?`)) return;
    void act(async () => {
      await send("DELETE", `/api/notifications/${e.id}`);
      return "Deleted";
    });
  };
  return (
    <li className="space-y-2 px-4 py-3" data-testid={`endpoint-${e.name}`}>
      <div className="flex flex-wrap items-center gap-3">
        <span className="font-medium">{e.name}</span>
        <span className="rounded bg-zinc-100 px-1.5 py-0.5 text-xs dark:bg-zinc-800">{e.format}</span>
        {e.enabled ? null : <span className="text-xs text-zinc-500">disabled</span>}
        <code className="text-xs text-zinc-600 dark:text-zinc-400" data-testid="endpoint-masked-url">
          {e.url}
        </code>
        {e.routingKey ? <code className="text-xs text-zinc-500">key {e.routingKey}</code> : null}
        {e.signed ? <span className="text-xs text-zinc-500">signed</span> : null}
        <span className="ml-auto flex gap-2">
          <button type="button" className={button} disabled={busy} onClick={test} data-testid="endpoint-test">
            Send test
          </button>
          {e.stats.retryable > 0 ? (
            <button type="button" className={button} disabled={busy} onClick={retry} data-testid="endpoint-retry">
              Retry {e.stats.retryable} failed
            </button>
          ) : null}
          <button type="button" className={button} disabled={busy} onClick={toggle}>
            {e.enabled ? "Disable" : "Enable"}
          </button>
          <button type="button" className={button} onClick={() => setEditing(!editing)} aria-expanded={editing} data-testid="endpoint-edit">
            {editing ? "Cancel edit" : "Edit"}
          </button>
          <button type="button" className={button} disabled={busy} onClick={remove}>
            Delete
          </button>
          <button type="button" className={button} onClick={() => setOpen(!open)} aria-expanded={open} data-testid="endpoint-history">
            {open ? "Hide history" : "History"}
          </button>
        </span>
      </div>
      <div className="flex flex-wrap gap-4 text-xs text-zinc-600 dark:text-zinc-400">
        <span>events: {e.events.join(", ")}</span>
        <span data-testid="endpoint-stats">
          {e.stats.delivered} delivered · {e.stats.pending} pending · {e.stats.failed} failed
        </span>
        {e.stats.lastError ? (
          <span className="text-red-700 dark:text-red-400" data-testid="endpoint-last-error">
            last error: {e.stats.lastError}
          </span>
        ) : null}
      </div>
      {note ? (
        <p className="text-xs" role="status" data-testid="endpoint-note">
          {note}
        </p>
      ) : null}
      {editing ? (
        <EndpointForm
          endpoint={e}
          onDone={() => {
            setEditing(false);
            setNote("Saved");
            onChange();
          }}
        />
      ) : null}
      {open ? <Deliveries id={e.id} /> : null}
    </li>
  );
}

function Deliveries({ id }: { id: number }) {
  const { data } = useDeliveries(id);
  if (!data) return <p className="text-xs text-zinc-500">Loading…</p>;
  if (data.items.length === 0) return <p className="text-xs text-zinc-500">No deliveries yet.</p>;
  return (
    <table className={tableClass} data-testid="deliveries">
      <thead>
        <tr>
          <th className={th}>event</th>
          <th className={th}>incident</th>
          <th className={th}>status</th>
          <th className={th}>attempts</th>
          <th className={th}>last attempt</th>
          <th className={th}>next / delivered</th>
          <th className={th}>last error</th>
        </tr>
      </thead>
      <tbody>
        {data.items.map((d) => (
          <tr key={d.id} className={rowClass} data-testid="delivery-row" data-status={d.status}>
            <td className={td}>{d.eventType}</td>
            <td className={td}>
              {d.incidentId ? (
                <a className="text-sky-700 hover:underline dark:text-sky-400" href={`/incidents/${d.incidentId}`}>
                  #{d.incidentId}
                </a>
              ) : (
                "—"
              )}
            </td>
            <td className={`${td} ${STATUS_TONES[d.status] ?? ""}`}>{d.status}</td>
            <td className={`${td} tabular-nums`}>{d.attempts}</td>
            <td className={td}>
              {d.lastAttemptAt ? new Date(d.lastAttemptAt).toLocaleTimeString() : "—"}
              {d.lastStatusCode ? ` (HTTP ${d.lastStatusCode})` : ""}
            </td>
            <td className={td}>
              {d.deliveredAt
                ? new Date(d.deliveredAt).toLocaleTimeString()
                : d.nextAttemptAt
                  ? `next ${new Date(d.nextAttemptAt).toLocaleTimeString()}`
                  : "—"}
            </td>
            <td className={`${td} max-w-md break-words text-red-700 dark:text-red-400`} data-testid="delivery-error">
              {d.lastError ?? ""}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
