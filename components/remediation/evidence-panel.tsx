"use client";

import { useQuery } from "@tanstack/react-query";
import { fetchJson } from "@/components/live/fetch-json";
import { Card } from "@/components/ui/card";
import { Since } from "@/components/ui/durations";
import { Pill } from "@/components/ui/state-badge";
import type { TEvidence } from "./api";

const VERDICTS: Record<string, { label: string; tone: "neutral" | "warn" | "danger" | "info" }> = {
  healthy: { label: "healthy", tone: "info" },
  "likely-dead": { label: "likely dead: not Ready and its kubelet port does not answer", tone: "danger" },
  "partitioned-or-kubelet-only": {
    label: "not Ready, but its kubelet port answers: a partition or a kubelet-only failure — do not treat as dead",
    tone: "warn",
  },
  suspicious: { label: "suspicious", tone: "warn" },
};

/** Is the node really dead? The facts an operator checks before a dead-node action. */
export function EvidencePanel({ node }: { node: string }) {
  const { data, error, isFetching, refetch } = useQuery({
    queryKey: ["evidence", node],
    queryFn: () => fetchJson<TEvidence>(`/api/nodes/${encodeURIComponent(node)}/evidence`),
  });
  return (
    <Card
      title="Evidence"
      actions={
        <button
          type="button"
          onClick={() => void refetch()}
          className="text-xs text-sky-700 hover:underline dark:text-sky-400"
          disabled={isFetching}
        >
          {isFetching ? "checking…" : "check again"}
        </button>
      }
    >
      {error ? <p className="px-4 py-3 text-sm text-red-600">{error.message}</p> : null}
      {data ? (
        <div className="space-y-3 px-4 py-3 text-sm" data-testid="evidence-panel" data-verdict={data.verdict}>
          <div>
            <Pill tone={VERDICTS[data.verdict]?.tone ?? "neutral"}>{VERDICTS[data.verdict]?.label ?? data.verdict}</Pill>
          </div>
          <dl className="grid grid-cols-[10rem_1fr] gap-x-4 gap-y-1.5">
            <dt className="text-zinc-500">Ready condition</dt>
            <dd>
              {data.ready.health}
              {data.ready.reason ? ` (${data.ready.reason})` : ""} for <Since at={data.ready.since} />
            </dd>
            <dt className="text-zinc-500">Lease renewed</dt>
            <dd>
              {data.lease.leaseRenewTime ? (
                <>
                  <Since at={data.lease.leaseRenewTime} /> ago
                </>
              ) : (
                "never"
              )}
            </dd>
            <dt className="text-zinc-500">Kubelet port</dt>
            <dd data-testid="evidence-tcp" data-reachable={data.tcp.reachable ? "true" : "false"}>
              {data.tcp.address}:{data.tcp.port} —{" "}
              {data.tcp.reachable ? (
                <span className="text-amber-700 dark:text-amber-400">answers ({data.tcp.ms} ms)</span>
              ) : (
                <span className="text-red-700 dark:text-red-400">no connection ({data.tcp.error})</span>
              )}
            </dd>
            <dt className="text-zinc-500">Taints</dt>
            <dd className="font-mono text-xs">{data.taints.map((t) => `${t.key}:${t.effect}`).join(", ") || "none"}</dd>
          </dl>
          <div>
            <div className="text-xs font-medium uppercase tracking-wide text-zinc-500">Recent events</div>
            {data.events.length === 0 ? (
              <p className="text-zinc-500">none</p>
            ) : (
              <ul className="mt-1 space-y-1">
                {data.events.map((e) => (
                  <li key={`${e.reason}-${e.lastSeen}`} className="text-xs">
                    <span className={e.type === "Warning" ? "font-medium text-amber-700 dark:text-amber-400" : "font-medium"}>
                      {e.reason}
                    </span>{" "}
                    <span className="text-zinc-500">
                      <Since at={e.lastSeen} /> ago{e.count > 1 ? ` ×${e.count}` : ""}
                    </span>{" "}
                    — {e.message}
                  </li>
                ))}
              </ul>
            )}
          </div>
        </div>
      ) : null}
    </Card>
  );
}
