"use client";

import { filterInput, filterLabel, toLocalInput } from "@/components/ui/local-time";
import { filterQuery, useUrlFilterForm } from "@/components/ui/url-filters";
import { AUDIT_ACTIONS, AUDIT_FILTER_KEYS, AUDIT_OUTCOME_FILTERS } from "@/lib/audit/filters";

/** The known, non-empty filters of a query string, in a stable order (the page's query key). */
export const auditFilterQuery = (params: URLSearchParams): string => filterQuery(params, AUDIT_FILTER_KEYS);

const input = filterInput;
const label = filterLabel;

/** Filters kept in the URL's query string, so a filtered view is a link to share. */
export function AuditFilterBar({ filters }: { filters: string }) {
  const { current, isClient, formProps, clear } = useUrlFilterForm({ filters, keys: AUDIT_FILTER_KEYS });

  return (
    <form {...formProps} data-testid="audit-filters">
      <label className={label}>
        Actor
        <input className={input} name="actor" type="search" placeholder="name contains…" defaultValue={current.get("actor") ?? ""} />
      </label>
      <label className={label}>
        Node
        <input className={input} name="node" type="search" placeholder="exact node name" defaultValue={current.get("node") ?? ""} />
      </label>
      <label className={label}>
        Action
        <select
          className={input}
          name="action"
          defaultValue={current.get("action") ?? ""}
          onChange={(e) => e.currentTarget.form?.requestSubmit()}
        >
          <option value="">any</option>
          {AUDIT_ACTIONS.map((action) => (
            <option key={action} value={action}>
              {action}
            </option>
          ))}
        </select>
      </label>
      <label className={label}>
        Outcome
        <select
          className={input}
          name="outcome"
          defaultValue={current.get("outcome") ?? ""}
          onChange={(e) => e.currentTarget.form?.requestSubmit()}
        >
          <option value="">any</option>
          {AUDIT_OUTCOME_FILTERS.map((outcome) => (
            <option key={outcome} value={outcome}>
              {outcome}
            </option>
          ))}
        </select>
      </label>
      <label className={label}>
        Action id
        <input
          className={`${input} font-mono`}
          name="actionId"
          type="search"
          placeholder="one attempt"
          defaultValue={current.get("actionId") ?? ""}
          data-testid="audit-filter-action-id"
        />
      </label>
      <label className={label}>
        From
        <input
          className={input}
          name="from"
          type="datetime-local"
          step={1}
          defaultValue={isClient ? toLocalInput(current.get("from")) : ""}
        />
      </label>
      <label className={label}>
        To
        <input className={input} name="to" type="datetime-local" step={1} defaultValue={isClient ? toLocalInput(current.get("to")) : ""} />
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
