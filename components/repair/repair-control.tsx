"use client";

// The policies page's auto-repair card: whether the engine runs here, the pause and the storm
// breaker (admins pause/resume and reset, with a reason), the repairs under way and the held
// nodes across the cluster, and the latest decisions.

import { useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useCan } from "@/components/auth/actor-context";
import { send } from "@/components/live/send-json";
import { Card } from "@/components/ui/card";
import { Since } from "@/components/ui/durations";
import { REPAIR_KEY, useRepair } from "./api";
import { DecisionList } from "./decision-list";
import { ControlPills } from "./node-repair";
import { ReasonForm } from "./reason-form";

export function RepairControl() {
  const { data, error } = useRepair();
  const canControl = useCan("repair.control");
  const client = useQueryClient();
  const refresh = () => void client.invalidateQueries({ queryKey: REPAIR_KEY });
  const post = (path: string, body: unknown, done: string) => async () => {
    await send("POST", path, body);
    refresh();
    return done;
  };
  return (
    <Card title="Auto-repair" actions={data ? <ControlPills control={data.control} /> : null}>
      <div className="space-y-3 px-4 py-3 text-sm" data-testid="repair-control">
        {error ? <p className="text-red-700">{error.message}</p> : null}
        {data ? (
          <>
            <p data-testid="repair-engine">
              {data.engine === null
                ? "The engine is not running: no cluster connection."
                : !data.engine.leader
                  ? "The engine runs on the leader replica, not this one."
                  : data.control.paused
                    ? `Paused by ${data.control.pausedBy}: ${data.control.pausedReason}. Enabled policies decide nothing until an admin resumes.`
                    : data.control.breakerTripped
                      ? `Stopped by the storm breaker: ${data.control.breakerReason}. An admin must reset it.`
                      : "Running: enabled policies act (or propose) on the nodes they select."}
              {data.engine?.lastTickAt ? (
                <span className="text-xs text-zinc-500">
                  {" "}
                  (last look <Since at={data.engine.lastTickAt} /> ago)
                </span>
              ) : null}
            </p>
            {canControl ? (
              <ReasonForm
                testId="repair-switches"
                placeholder="Why (required)"
                choices={[
                  data.control.paused
                    ? {
                        label: "Resume",
                        testId: "repair-resume",
                        run: (reason) => post("/api/repair/pause", { paused: false, reason }, "Resumed.")(),
                      }
                    : {
                        label: "Pause all auto-repair",
                        testId: "repair-pause",
                        run: (reason) => post("/api/repair/pause", { paused: true, reason }, "Paused.")(),
                      },
                  ...(data.control.breakerTripped
                    ? [
                        {
                          label: "Reset the storm breaker",
                          testId: "repair-breaker-reset",
                          run: (reason: string) => post("/api/repair/breaker/reset", { reason }, "Reset.")(),
                        },
                      ]
                    : []),
                ]}
              />
            ) : null}
            {data.runs.length ? (
              <ul className="space-y-1" data-testid="repair-runs">
                {data.runs.map((r) => (
                  <li key={r.id}>
                    <Link className="font-medium hover:underline" href={`/nodes/${encodeURIComponent(r.node)}`}>
                      {r.node}
                    </Link>{" "}
                    — policy {r.policyName}, {r.phase}
                    {r.phase === "proposed" ? " (approve on the node page)" : ""}
                  </li>
                ))}
              </ul>
            ) : null}
            {data.holds.length ? (
              <ul className="space-y-1" data-testid="repair-holds">
                {data.holds.map((h) => (
                  <li key={h.id}>
                    <Link className="font-medium hover:underline" href={`/nodes/${encodeURIComponent(h.node)}`}>
                      {h.node}
                    </Link>{" "}
                    held ({h.kind}): {h.reason}
                  </li>
                ))}
              </ul>
            ) : null}
          </>
        ) : null}
      </div>
      {data?.decisions.length ? <DecisionList decisions={data.decisions} showNode /> : null}
    </Card>
  );
}
