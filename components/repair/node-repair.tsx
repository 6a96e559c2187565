"use client";

// The node page's auto-repair card: the repair under way (its ladder, where it is, and for a
// proposal the operator's approve/reject with a reason), a flapping hold (an admin clears it), and
// the latest decisions about the node with their reasons.

import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useCan } from "@/components/auth/actor-context";
import { send } from "@/components/live/send-json";
import { Card } from "@/components/ui/card";
import { Countdown } from "@/components/ui/durations";
import { Pill } from "@/components/ui/state-badge";
import type { TRepairRunView, TRepairView } from "@/lib/repair/load-state";
import { REPAIR_KEY, useRepair } from "./api";
import { DecisionList } from "./decision-list";
import { ReasonForm } from "./reason-form";

const PHASE: Record<string, string> = {
  proposed: "waiting for an operator's approval",
  acting: "repairing",
  returning: "waiting for the kubelet to come back",
  quarantine: "back, in quarantine",
};

export function NodeRepair({ node }: { node: string }) {
  const { data, error } = useRepair(node);
  const client = useQueryClient();
  const refresh = () => void client.invalidateQueries({ queryKey: REPAIR_KEY });
  if (error)
    return (
      <Card title="Auto-repair">
        <p className="px-4 py-3 text-sm text-red-700">{error.message}</p>
      </Card>
    );
  if (!data) return null;
  const quiet = data.runs.length === 0 && data.holds.length === 0 && data.decisions.length === 0;
  return (
    <Card title="Auto-repair" actions={<ControlPills control={data.control} />}>
      <div data-testid="node-repair">
        {quiet ? <p className="px-4 py-3 text-sm text-zinc-500">No repair policy has decided anything about this node.</p> : null}
        {data.runs.map((run) => (
          <RunCard key={run.id} run={run} onAnswered={refresh} />
        ))}
        {data.holds.map((hold) => (
          <HoldNote key={hold.id} hold={hold} onCleared={refresh} />
        ))}
        {data.decisions.length ? <DecisionList decisions={data.decisions} /> : null}
      </div>
    </Card>
  );
}

export function ControlPills({ control }: { control: TRepairView["control"] }) {
  return (
    <span className="flex gap-1.5">
      {control.paused ? <Pill tone="warn">paused</Pill> : null}
      {control.breakerTripped ? <Pill tone="danger">storm breaker tripped</Pill> : null}
    </span>
  );
}

function RunCard({ run, onAnswered }: { run: TRepairRunView; onAnswered: () => void }) {
  const canApprove = useCan("repair.approve");
  // Kept here, not in the form: an approved proposal re-renders without its form.
  const [note, setNote] = useState<string | null>(null);
  const answer = (verb: "approve" | "reject") => async (reason: string) => {
    await send("POST", `/api/repair/runs/${run.id}/${verb}`, { reason });
    onAnswered();
    return verb === "approve" ? "Approved: the repair goes on." : "Rejected: the node is left to people.";
  };
  return (
    <div
      className="space-y-2 border-b border-zinc-100 px-4 py-3 text-sm dark:border-zinc-800"
      data-testid="repair-run"
      data-phase={run.phase}
    >
      <p>
        <span className="font-medium">Policy {run.policyName}</span> ({run.mode}): {PHASE[run.phase] ?? run.phase}
        {run.phase === "acting" && run.nextStepAt && !run.stepUnderWay ? (
          <>
            {" "}
            · next step <Countdown to={run.nextStepAt} />
          </>
        ) : null}
        {run.phase === "quarantine" && run.quarantineUntil ? (
          <>
            {" "}
            · uncordon <Countdown to={run.quarantineUntil} />
          </>
        ) : null}
      </p>
      <p className="text-xs text-zinc-600 dark:text-zinc-400">{run.cause}</p>
      <ol className="flex flex-wrap gap-1.5 text-xs" aria-label="Ladder">
        {run.ladder.map((s, i) => (
          <li
            key={s.action}
            className={`rounded px-1.5 py-0.5 ring-1 ring-inset ${
              i < run.step
                ? "bg-emerald-50 ring-emerald-300 dark:bg-emerald-500/10"
                : i === run.step && run.phase === "acting"
                  ? "ring-sky-400"
                  : "ring-zinc-200 dark:ring-zinc-700"
            }`}
          >
            {i + 1}. {s.action}
            {s.timeoutSeconds ? ` (then ${s.timeoutSeconds} s)` : ""}
          </li>
        ))}
      </ol>
      {run.approvedBy ? (
        <p className="text-xs text-zinc-600 dark:text-zinc-400">
          approved by {run.approvedBy}: {run.approvalReason}
        </p>
      ) : null}
      {run.phase === "proposed" && canApprove ? (
        <ReasonForm
          testId="repair-answer"
          placeholder="Why (required): e.g. BMC shows the host powered off"
          onNote={setNote}
          choices={[
            { label: "Approve", testId: "repair-approve", run: answer("approve") },
            { label: "Reject", testId: "repair-reject", run: answer("reject") },
          ]}
        />
      ) : null}
      {note ? (
        <p className="text-xs" role="status" data-testid="repair-answer-note">
          {note}
        </p>
      ) : null}
    </div>
  );
}

function HoldNote({ hold, onCleared }: { hold: TRepairView["holds"][number]; onCleared: () => void }) {
  const canClear = useCan("repair.control");
  return (
    <div className="space-y-2 border-b border-zinc-100 px-4 py-3 text-sm dark:border-zinc-800" data-testid="repair-hold">
      <p>
        <Pill tone="danger">held: {hold.kind}</Pill> since {new Date(hold.since).toLocaleString()}: {hold.reason}. Auto-repair leaves this
        node to people until an admin clears the hold.
      </p>
      {canClear ? (
        <ReasonForm
          testId="repair-hold-clear"
          placeholder="Why it is fixed (required)"
          choices={[
            {
              label: "Clear the hold",
              testId: "repair-hold-clear-button",
              run: async (reason) => {
                await send("POST", `/api/repair/holds/${hold.id}/clear`, { reason });
                onCleared();
                return "Cleared.";
              },
            },
          ]}
        />
      ) : null}
    </div>
  );
}
