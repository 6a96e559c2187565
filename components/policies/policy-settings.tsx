"use client";

// The policies page: auto-repair's card, the list with each policy's dry run and its buttons for
// admins, and the form for a new one.

import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useCan } from "@/components/auth/actor-context";
import { send } from "@/components/live/send-json";
import { useRowAction } from "@/components/live/use-row-action";
import { RepairControl } from "@/components/repair/repair-control";
import { Card } from "@/components/ui/card";
import type { TPolicyItem } from "@/lib/policies/list-policies";
import {
  describeCriteria,
  describeFlapping,
  describeLadder,
  describeSelector,
  describeWindows,
  formatSeconds,
} from "@/lib/policies/summarize";
import { POLICIES_KEY, usePolicies } from "./api";
import { DryRun } from "./dry-run";
import { PolicyEditor } from "./policy-editor";

const button =
  "rounded-md px-2 py-1 text-xs font-medium ring-1 ring-inset ring-zinc-300 hover:bg-zinc-100 disabled:opacity-50 dark:ring-zinc-700 dark:hover:bg-zinc-800";

/**
 * The policies page: each policy in a few readable lines with how many nodes it selects now;
 * a dry run over the last 7 days; for admins enable/disable, edit (the JSON document), delete,
 * and a form for a new one; above
 * them, auto-repair's switches, repairs under way and decisions (components/repair).
 */
export function PolicySettings() {
  const { data, error } = usePolicies();
  const canManage = useCan("policies.manage");
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: POLICIES_KEY });
  const [note, setNote] = useState<string | null>(null);
  return (
    <div className="space-y-4">
      <RepairControl />
      <Card
        title="Repair policies"
        actions={
          data ? (
            <span className="text-xs text-zinc-500" data-testid="policies-cluster-nodes">
              {data.clusterNodes === null ? "no cluster data yet" : `${data.clusterNodes} nodes in the cluster`}
            </span>
          ) : null
        }
      >
        {error ? <p className="p-4 text-sm text-red-700">{error.message}</p> : null}
        {data && data.policies.length === 0 ? <p className="p-4 text-sm text-zinc-500">No policies yet.</p> : null}
        <ul className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {data?.policies.map((p) => (
            <PolicyRow key={p.id} item={p} clusterNodes={data.clusterNodes} canManage={canManage} onChange={refresh} />
          ))}
        </ul>
      </Card>
      {canManage ? (
        <Card title="New policy">
          {note ? (
            <p className="px-4 pt-3 text-xs" role="status" data-testid="policy-created">
              {note}
            </p>
          ) : null}
          <PolicyEditor
            onDone={(message) => {
              setNote(message);
              void refresh();
            }}
          />
        </Card>
      ) : null}
    </div>
  );
}

function PolicyRow({
  item,
  clusterNodes,
  canManage,
  onChange,
}: {
  item: TPolicyItem;
  clusterNodes: number | null;
  canManage: boolean;
  onChange: () => void;
}) {
  const p = item.policy;
  const [editing, setEditing] = useState(false);
  const { note, setNote, busy, act } = useRowAction(onChange);
  // PUT replaces the whole document: the stored one with only `enabled` flipped.
  const toggle = () =>
    act(async () => {
      await send("PUT", `/api/policies/${item.id}`, { ...p, enabled: !p.enabled });
      return p.enabled ? "Disabled" : "Enabled";
    });
  const remove = () => {
    if (!window.confirm(`Delete the repair policy "${p.name}"?`)) return;
    void act(async () => {
      await send("DELETE", `/api/policies/${item.id}`);
      return "Deleted";
    });
  };
  return (
    <li className="space-y-1.5 px-4 py-3" data-testid={`policy-${p.name}`}>
      <div className="flex flex-wrap items-center gap-3">
        <span className="font-medium">{p.name}</span>
        <span className="rounded bg-zinc-100 px-1.5 py-0.5 text-xs dark:bg-zinc-800" data-testid="policy-mode">
          {p.mode}
        </span>
        <span className={`text-xs ${p.enabled ? "text-emerald-700 dark:text-emerald-400" : "text-zinc-500"}`} data-testid="policy-enabled">
          {p.enabled ? "enabled" : "disabled"}
        </span>
        <span className="text-xs text-zinc-600 dark:text-zinc-400" data-testid="policy-selected">
          {item.selectedNodes === null ? "selects ? nodes (no cluster data yet)" : `selects ${item.selectedNodes} of ${clusterNodes} nodes`}
          : <code>{describeSelector(p.selector)}</code>
          {p.includeControlPlane ? " (control plane included)" : ""}
        </span>
        {canManage ? (
          <span className="ml-auto flex gap-2">
            <button type="button" className={button} disabled={busy} onClick={toggle} data-testid="policy-toggle">
              {p.enabled ? "Disable" : "Enable"}
            </button>
            <button type="button" className={button} onClick={() => setEditing(!editing)} aria-expanded={editing} data-testid="policy-edit">
              {editing ? "Cancel edit" : "Edit"}
            </button>
            <button type="button" className={button} disabled={busy} onClick={remove} data-testid="policy-delete">
              Delete
            </button>
          </span>
        ) : null}
      </div>
      {p.description ? <p className="text-sm text-zinc-600 dark:text-zinc-400">{p.description}</p> : null}
      <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-xs text-zinc-600 dark:text-zinc-400">
        <dt className="font-medium">when</dt>
        <dd data-testid="policy-criteria">{describeCriteria(p.criteria)}</dd>
        <dt className="font-medium">ladder</dt>
        <dd data-testid="policy-ladder">{describeLadder(p.ladder)}</dd>
        <dt className="font-medium">safety</dt>
        <dd data-testid="policy-safety">
          ≥ {p.minHealthyPercent}% healthy · at most {p.maxRepairsPerHour}/h, {p.maxConcurrent} at once · windows{" "}
          {describeWindows(p.maintenanceWindows)} · quarantine {formatSeconds(p.quarantineSeconds)} · flapping at{" "}
          {describeFlapping(p.flapping)}
        </dd>
      </dl>
      <p className="text-xs text-zinc-500">
        by {item.createdBy}, changed {new Date(item.updatedAt).toLocaleString()}
      </p>
      <DryRun document={() => p} />
      {note ? (
        <p className="text-xs" role="status" data-testid="policy-note">
          {note}
        </p>
      ) : null}
      {editing ? (
        <PolicyEditor
          id={item.id}
          policy={p}
          onDone={(message) => {
            setEditing(false);
            setNote(message);
            onChange();
          }}
        />
      ) : null}
    </li>
  );
}
