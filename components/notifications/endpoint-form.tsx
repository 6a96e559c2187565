"use client";

import { useState } from "react";
import { send } from "@/components/live/send-json";
import { INCIDENT_EVENT_TYPES } from "@/lib/incidents/types";
import { NOTIFICATION_FORMATS, type TNotificationFormat } from "@/lib/notifications/types";
import type { TEndpointRow } from "./api";

const FORMAT_LABELS: Record<TNotificationFormat, string> = {
  cloudevents: "Webhook (CloudEvents 1.0 JSON)",
  slack: "Slack incoming webhook",
  pagerduty: "PagerDuty Events API v2",
};
const PAGING_EVENTS = ["incident.opened", "node.dead", "incident.closed"];

const input = "w-full rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-950";
const label = "block text-xs font-medium text-zinc-600 dark:text-zinc-400";

/** The PUT body for an edit: what changed; empty secret fields keep the stored ones. */
function changes(endpoint: TEndpointRow, text: (k: string) => string, events: string[], removeSecret: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (text("name") !== endpoint.name) body.name = text("name");
  if (events.join() !== endpoint.events.join()) body.events = events;
  if (text("url")) body.url = text("url");
  if (endpoint.format === "pagerduty" && text("routingKey")) body.routingKey = text("routingKey");
  if (endpoint.format === "cloudevents") {
    if (text("secret")) body.secret = text("secret");
    else if (removeSecret) body.secret = null;
  }
  return body;
}

/**
 * Creates an endpoint, or edits `endpoint`: its format stays; URL and secrets are never shown
 * back, so an empty field keeps what is stored. Secrets go to the server only.
 */
export function EndpointForm({ endpoint, onDone }: { endpoint?: TEndpointRow; onDone: () => void }) {
  const [format, setFormat] = useState<TNotificationFormat>(endpoint?.format ?? "cloudevents");
  const [events, setEvents] = useState<string[]>(endpoint?.events ?? [...INCIDENT_EVENT_TYPES]);
  const [removeSecret, setRemoveSecret] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const editing = Boolean(endpoint);

  const submit = async (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const text = (k: string) => String(form.get(k) ?? "").trim();
    const body: Record<string, unknown> = { format, name: text("name"), events };
    if (format !== "pagerduty" || text("url")) body.url = text("url");
    if (format === "pagerduty") body.routingKey = text("routingKey");
    if (format === "cloudevents" && text("secret")) body.secret = text("secret");
    setBusy(true);
    setError(null);
    try {
      if (endpoint) await send("PUT", `/api/notifications/${endpoint.id}`, changes(endpoint, text, events, removeSecret));
      else await send("POST", "/api/notifications", body);
      e.currentTarget?.reset();
      onDone();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  const chooseFormat = (f: TNotificationFormat) => {
    setFormat(f);
    setEvents(f === "pagerduty" ? PAGING_EVENTS : [...INCIDENT_EVENT_TYPES]);
  };

  return (
    <form
      onSubmit={submit}
      className="grid gap-3 p-4 sm:grid-cols-2"
      data-testid={editing ? "endpoint-edit-form" : "endpoint-form"}
      autoComplete="off"
    >
      <label className={label}>
        Name
        <input name="name" required maxLength={100} defaultValue={endpoint?.name} className={input} data-testid="endpoint-name" />
      </label>
      <label className={label}>
        Format
        <select
          value={format}
          disabled={editing}
          onChange={(e) => chooseFormat(e.target.value as TNotificationFormat)}
          className={input}
          data-testid="endpoint-format"
        >
          {NOTIFICATION_FORMATS.map((f) => (
            <option key={f} value={f}>
              {FORMAT_LABELS[f]}
            </option>
          ))}
        </select>
      </label>
      <label className={`${label} sm:col-span-2`}>
        {editing
          ? `URL (empty: keep ${endpoint?.url})`
          : format === "pagerduty"
            ? "Events API URL (empty: https://events.pagerduty.com/v2/enqueue)"
            : "URL"}
        <input name="url" type="url" required={!editing && format !== "pagerduty"} className={input} data-testid="endpoint-url" />
      </label>
      {format === "pagerduty" ? (
        <label className={`${label} sm:col-span-2`}>
          {editing ? `Routing key (empty: keep ${endpoint?.routingKey ?? "the stored one"})` : "Routing key (integration key)"}
          <input name="routingKey" type="password" required={!editing} className={input} data-testid="endpoint-routing-key" />
        </label>
      ) : null}
      {format === "cloudevents" ? (
        <label className={`${label} sm:col-span-2`}>
          {editing && endpoint?.signed
            ? "HMAC-SHA256 signing secret (empty: keep the stored one)"
            : "HMAC-SHA256 signing secret (optional, 16+ characters)"}
          <input name="secret" type="password" minLength={16} className={input} data-testid="endpoint-secret" />
        </label>
      ) : null}
      {editing && format === "cloudevents" && endpoint?.signed ? (
        <label className="flex items-center gap-1 text-sm sm:col-span-2">
          <input type="checkbox" checked={removeSecret} onChange={(e) => setRemoveSecret(e.target.checked)} />
          Stop signing (remove the secret)
        </label>
      ) : null}
      <fieldset className="sm:col-span-2">
        <legend className={label}>Events</legend>
        <div className="mt-1 flex flex-wrap gap-3 text-sm">
          {INCIDENT_EVENT_TYPES.map((t) => {
            const disabled = format === "pagerduty" && !PAGING_EVENTS.includes(t);
            return (
              <label key={t} className={`flex items-center gap-1 ${disabled ? "opacity-40" : ""}`}>
                <input
                  type="checkbox"
                  disabled={disabled}
                  checked={events.includes(t)}
                  onChange={(e) => setEvents(e.target.checked ? [...events, t] : events.filter((x) => x !== t))}
                />
                {t}
              </label>
            );
          })}
        </div>
      </fieldset>
      {error ? (
        <p role="alert" className="text-sm text-red-700 sm:col-span-2 dark:text-red-400" data-testid="endpoint-form-error">
          {error}
        </p>
      ) : null}
      <div className="sm:col-span-2">
        <button
          type="submit"
          disabled={busy}
          className="rounded-md bg-zinc-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-zinc-700 disabled:opacity-50 dark:bg-zinc-100 dark:text-zinc-900"
          data-testid={editing ? "endpoint-save" : "endpoint-create"}
        >
          {editing ? "Save changes" : "Add endpoint"}
        </button>
      </div>
    </form>
  );
}
