"use client";

import { useState } from "react";
import { useOverview } from "@/components/live/queries";
import { useDebounced } from "@/components/live/use-debounced";
import { Card, Stat } from "@/components/ui/card";
import { Since } from "@/components/ui/durations";
import { NeedsOperator } from "./needs-operator";
import { NodesTable } from "./nodes-table";
import { StuckPodsTable } from "./stuck-pods-table";
import { WorkloadsTable } from "./workloads-table";

export function Overview() {
  // The server sorts, filters and pages the nodes; the page and the filter live here.
  const [page, setPage] = useState(0);
  const [filter, setFilter] = useState("");
  const q = useDebounced(filter.trim().toLowerCase(), 200);
  const { data, error, isPending, isPlaceholderData } = useOverview({ page, q });
  if (isPending) return <p className="text-sm text-zinc-500">Loading the cluster…</p>;
  if (error) return <ErrorPanel message={error.message} />;
  const s = data.summary;
  const unhealthy = s ? s.nodes.total - s.nodes.byState.Ready : 0;
  return (
    <div className="space-y-6">
      {data.connection.status !== "connected" ? (
        <div
          className="rounded-lg border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-900 dark:border-red-500/40 dark:bg-red-500/10 dark:text-red-200"
          data-testid="disconnected-banner"
        >
          Lost the connection to the API server <Since at={data.connection.since} /> ago
          {"error" in data.connection ? `: ${data.connection.error}` : ""}. Showing the last known state from{" "}
          {data.healthAt ? new Date(data.healthAt).toLocaleTimeString() : "—"}; no node transition is recorded while disconnected.
        </div>
      ) : null}
      <NeedsOperator items={data.needsOperator.items} total={data.needsOperator.total} />
      <div className="grid grid-cols-2 gap-3 md:grid-cols-5">
        <Stat label="Nodes" value={s?.nodes.total ?? "—"} testId="stat-nodes" />
        <Stat label="Unhealthy" value={unhealthy} tone={unhealthy ? "danger" : "good"} testId="stat-unhealthy" />
        <Stat
          label="Heartbeat late"
          value={s?.nodes.byState.HeartbeatLate ?? 0}
          tone={s?.nodes.byState.HeartbeatLate ? "warn" : "neutral"}
        />
        <Stat label="Stuck pods" value={s?.stuckPods ?? 0} tone={s?.stuckPods ? "danger" : "good"} testId="stat-stuck" />
        <Stat label="Workloads down" value={s?.workloads.down ?? 0} tone={s?.workloads.down ? "danger" : "good"} />
      </div>
      <Card title={`Nodes · ${data.cluster.name}`} actions={<span className="text-xs text-zinc-500">{data.cluster.server}</span>}>
        <NodesTable
          nodes={data.nodes}
          filter={filter}
          onFilter={(value) => {
            setFilter(value);
            setPage(0);
          }}
          onPage={setPage}
          stale={isPlaceholderData}
        />
      </Card>
      <Card
        title={`Stuck pods (${data.stuckPodsTotal})`}
        actions={
          data.stuckPodsTotal > data.stuckPods.length ? (
            <span className="text-xs text-zinc-500">
              the {data.stuckPods.length} most urgent; every stuck pod is listed on its node&apos;s page
            </span>
          ) : null
        }
      >
        <StuckPodsTable pods={data.stuckPods} />
      </Card>
      {data.workloads.length ? (
        <Card title={`Workloads affected (${data.workloadsTotal})`}>
          <WorkloadsTable workloads={data.workloads} />
        </Card>
      ) : null}
    </div>
  );
}

export function ErrorPanel({ message }: { message: string }) {
  return (
    <div
      className="rounded-lg border border-red-300 bg-red-50 p-6 text-red-900 dark:border-red-500/40 dark:bg-red-500/10 dark:text-red-200"
      data-testid="error-panel"
    >
      <h2 className="font-semibold">Cannot show the cluster</h2>
      <p className="mt-2 text-sm">{message}</p>
    </div>
  );
}
