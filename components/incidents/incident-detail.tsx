"use client";

import Link from "next/link";
import { useState } from "react";
import { ErrorPanel } from "@/components/nodes/overview";
import { DecisionList } from "@/components/repair/decision-list";
import { Card, rowClass, Stat, tableClass, td, th } from "@/components/ui/card";
import { Pill } from "@/components/ui/state-badge";
import { formatDuration } from "@/lib/health/time";
import type { TIncidentView } from "@/lib/incidents/view";
import { maybeDuration, nodeLabel, PHASE_LABELS, workloadLabel } from "./labels";
import { useIncident } from "./queries";
import { IncidentTimeline, MAX_LANES } from "./timeline";

const link = "text-sky-700 hover:underline dark:text-sky-400";

/** Rows drawn per table before "show all": a storm's thousands of pods and phases stay one screen. */
const MAX_ROWS = 100;

/** The first `max` of `rows` until the user asks for all, and the button that asks. */
function useCapped<T>(rows: readonly T[], max = MAX_ROWS) {
  const [all, setAll] = useState(false);
  const shown = all || rows.length <= max ? rows : rows.slice(0, max);
  const toggle =
    rows.length > max ? (
      <button type="button" className={`${link} px-4 py-2 text-sm`} onClick={() => setAll((a) => !a)}>
        {all ? `show the first ${max}` : `show all ${rows.length}`}
      </button>
    ) : null;
  return { shown, toggle };
}
const dur = (ms: number | null | undefined) => maybeDuration(ms, formatDuration);
const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : "—");

export function StatusPill({ status, suspicion }: { status: "open" | "closed"; suspicion: boolean }) {
  return (
    <span className="inline-flex gap-1" data-testid="incident-status" data-status={status}>
      {status === "open" ? <Pill tone="danger">open</Pill> : <Pill>closed</Pill>}
      {suspicion ? <Pill tone="warn">suspicion</Pill> : null}
    </span>
  );
}

function Figures({ view }: { view: TIncidentView }) {
  const f = view.figures;
  const stats: [string, string, React.ReactNode, "neutral" | "good" | "warn" | "danger"][] = [
    ["detect", "Time to detect", dur(f.timeToDetectMs), "neutral"],
    ["act", "Time to act", dur(f.timeToActMs), "neutral"],
    ["remediate", "Time to remediate", dur(f.timeToRemediateMs), "neutral"],
    ["recover", "Time to recover", dur(f.timeToRecoverMs), f.timeToRecoverMs == null && f.workloadsHit > 0 ? "danger" : "good"],
    ["duration", view.status === "open" ? "Open for" : "Duration", dur(f.durationMs), view.status === "open" ? "danger" : "neutral"],
    ["workloads", "Workloads hit / affected", `${f.workloadsHit} / ${f.workloadsAffected}`, f.workloadsHit ? "warn" : "neutral"],
    [
      "pods",
      "Pods stuck (longest)",
      f.podsStuck ? `${f.podsStuck} (${formatDuration(f.podsStuckLongestMs)})` : "0",
      f.podsStuck ? "warn" : "neutral",
    ],
    ["actions", "Actions", String(f.actions), "neutral"],
  ];
  return (
    <div className="grid grid-cols-2 gap-3 md:grid-cols-4" data-testid="incident-figures">
      {stats.map(([key, label, value, tone]) => (
        <Stat key={key} label={label} value={value} tone={tone} testId={`figure-${key}`} />
      ))}
    </div>
  );
}

function PhasesTable({ view }: { view: TIncidentView }) {
  const { shown, toggle } = useCapped(view.phases, 50);
  return (
    <div>
      <table className={tableClass} data-testid="incident-phases">
        <thead>
          <tr>
            <th className={th}>Phase</th>
            <th className={th}>At</th>
            <th className={th}>Node / workload</th>
            <th className={th}>From</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((p) => (
            <tr key={`${p.phase}-${p.at}-${p.workload ?? p.node ?? ""}`} className={rowClass} data-testid="phase-row" data-phase={p.phase}>
              <td className={td}>{PHASE_LABELS[p.phase]}</td>
              <td className={`${td} tabular-nums`}>{when(p.at)}</td>
              <td className={td}>{p.workload ?? p.node ?? "—"}</td>
              <td className={`${td} text-xs text-zinc-500`}>
                {p.source.kind === "audit" ? (
                  <Link
                    className={link}
                    href={`/audit?actionId=${encodeURIComponent(view.actions.find((a) => a.auditEventId === p.source.id)?.actionId ?? "")}`}
                  >
                    audit row #{p.source.id}
                  </Link>
                ) : (
                  `${p.source.kind} #${p.source.id}`
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {toggle}
    </div>
  );
}

function ActionsTable({ view }: { view: TIncidentView }) {
  const { shown, toggle } = useCapped(view.actions);
  if (view.actions.length === 0) return <p className="px-4 py-3 text-sm text-zinc-500">No action was taken.</p>;
  return (
    <div>
      <table className={tableClass} data-testid="incident-actions">
        <thead>
          <tr>
            <th className={th}>At</th>
            <th className={th}>Action</th>
            <th className={th}>Node</th>
            <th className={th}>Actor</th>
            <th className={th}>Outcome</th>
            <th className={th}>Reason</th>
            <th className={th}>Audit</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((a) => (
            <tr key={a.auditEventId} className={rowClass} data-testid="incident-action-row" data-audit-event-id={a.auditEventId}>
              <td className={`${td} tabular-nums`}>{when(a.at)}</td>
              <td className={`${td} font-mono text-xs`}>{a.action}</td>
              <td className={td}>{a.node}</td>
              <td className={td}>
                <div className="break-all">{a.actor.name}</div>
                <div className="mt-0.5 flex gap-1">
                  {a.actor.role ? <Pill>{a.actor.role}</Pill> : null}
                  {a.actor.kind !== "user" ? <Pill tone="info">{a.actor.kind}</Pill> : null}
                </div>
              </td>
              <td className={td}>{a.outcome}</td>
              <td className={`${td} text-xs text-zinc-600 dark:text-zinc-400`}>{a.reason || "—"}</td>
              <td className={td}>
                <Link className={link} href={`/audit?actionId=${encodeURIComponent(a.actionId)}`}>
                  #{a.auditEventId}
                </Link>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {toggle}
    </div>
  );
}

function WorkloadsTable({ view }: { view: TIncidentView }) {
  const { shown, toggle } = useCapped(view.workloads);
  if (view.workloads.length === 0) return <p className="px-4 py-3 text-sm text-zinc-500">No workload ran on these nodes.</p>;
  return (
    <div>
      <table className={tableClass} data-testid="incident-workloads">
        <thead>
          <tr>
            <th className={th}>Workload</th>
            <th className={th}>Now</th>
            <th className={th}>Ready / desired</th>
            <th className={th}>Downtime (fewer ready)</th>
            <th className={th}>Down (none ready)</th>
            <th className={th}>Whole again</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((w) => (
            <tr key={w.key} className={rowClass} data-testid="incident-workload-row" data-key={w.key} data-state={w.state}>
              <td className={td}>
                <span className="text-xs text-zinc-500">{w.kind} </span>
                {w.namespace}/{w.name}
              </td>
              <td className={td}>
                <Pill tone={w.state === "down" ? "danger" : w.state === "degraded" ? "warn" : "neutral"}>{workloadLabel(w.state)}</Pill>
              </td>
              <td className={`${td} tabular-nums`}>
                {w.ready ?? "?"} / {w.desired ?? "?"}
              </td>
              <td className={`${td} tabular-nums`} data-testid="workload-downtime">
                {w.downtimeMs ? formatDuration(w.downtimeMs) : "—"}
              </td>
              <td className={`${td} tabular-nums`}>{w.downMs ? formatDuration(w.downMs) : "—"}</td>
              <td className={`${td} tabular-nums`}>{when(w.wholeAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {toggle}
    </div>
  );
}

function PodsTable({ view }: { view: TIncidentView }) {
  const { shown, toggle } = useCapped(view.pods);
  if (view.pods.length === 0) return <p className="px-4 py-3 text-sm text-zinc-500">No pod got stuck.</p>;
  return (
    <div>
      <table className={tableClass} data-testid="incident-pods">
        <thead>
          <tr>
            <th className={th}>Pod</th>
            <th className={th}>Node</th>
            <th className={th}>Owner</th>
            <th className={th}>Terminating since</th>
            <th className={th}>Stuck for</th>
            <th className={th}>What happened</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((p) => (
            <tr key={`${p.namespace}/${p.name}`} className={rowClass} data-testid="incident-pod-row" data-pod={p.name}>
              <td className={td}>
                <span className="text-zinc-500">{p.namespace}/</span>
                {p.name}
              </td>
              <td className={td}>{p.node}</td>
              <td className={td}>{p.owner ? `${p.owner.kind} ${p.owner.name ?? ""}` : "—"}</td>
              <td className={`${td} tabular-nums`}>{when(p.deletionAt)}</td>
              <td className={`${td} tabular-nums`}>{formatDuration(p.stuckMs)}</td>
              <td className={`${td} text-xs ${p.goneAt ? "" : "text-red-700 dark:text-red-400"}`}>{p.fate}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {toggle}
    </div>
  );
}

function NodesTable({ view }: { view: TIncidentView }) {
  const { shown, toggle } = useCapped(view.nodes, MAX_LANES);
  return (
    <div>
      <table className={tableClass} data-testid="incident-nodes">
        <thead>
          <tr>
            <th className={th}>Node</th>
            <th className={th}>Now</th>
            <th className={th}>Last heartbeat</th>
            <th className={th}>First sign</th>
            <th className={th}>Confirmed dead</th>
            <th className={th}>Remediated</th>
            <th className={th}>Back / deleted</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((n) => (
            <tr key={n.node} className={rowClass}>
              <td className={td}>
                <Link className={link} href={`/nodes/${encodeURIComponent(n.node)}`}>
                  {n.node}
                </Link>
              </td>
              <td className={td}>{nodeLabel(n.state)}</td>
              <td className={`${td} tabular-nums`}>{when(n.lastHeartbeatAt)}</td>
              <td className={`${td} tabular-nums`}>{when(n.firstSignAt)}</td>
              <td className={`${td} tabular-nums`}>{when(n.confirmedAt)}</td>
              <td className={`${td} tabular-nums`}>{when(n.remediatedAt)}</td>
              <td className={`${td} tabular-nums`}>
                {n.backAt ? `back ${when(n.backAt)}` : n.deletedAt ? `deleted ${when(n.deletedAt)}` : "—"}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {toggle}
    </div>
  );
}

/** One incident: figures, the timeline, phases, actions, auto-repair's decisions, workloads, stuck pods, nodes; live while open. */
export function IncidentDetail({ id }: { id: number }) {
  const { data: view, error, isPending } = useIncident(id);
  if (isPending) return <p className="text-sm text-zinc-500">Loading incident {id}…</p>;
  if (!view) return <ErrorPanel message={error?.message ?? `cannot show incident ${id}`} />;
  const labels = Object.entries(view.sharedLabels);
  return (
    <div className="space-y-6" data-testid="incident-detail" data-status={view.status}>
      <div className="flex flex-wrap items-center gap-3">
        <Link href="/incidents" className="text-sm text-zinc-500 hover:underline">
          Incidents
        </Link>
        <span className="text-zinc-400">/</span>
        <h1 className="text-xl font-semibold">
          Incident #{view.id}: {view.nodes.length === 1 ? view.nodes[0]?.node : `${view.nodes.length} nodes`}
        </h1>
        <StatusPill status={view.status} suspicion={view.suspicion} />
        <span className="text-sm text-zinc-500">
          {when(view.openedAt)}
          {view.closedAt ? ` → ${when(view.closedAt)}` : " · still open, updating live"}
        </span>
        <div className="ml-auto flex gap-2">
          <a
            className="rounded-md border border-zinc-300 px-3 py-1.5 text-sm hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800"
            href={`/api/incidents/${view.id}/export?format=md`}
            download
            data-testid="export-md"
          >
            Postmortem (Markdown)
          </a>
          <a
            className="rounded-md border border-zinc-300 px-3 py-1.5 text-sm hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800"
            href={`/api/incidents/${view.id}/export?format=json`}
            download
            data-testid="export-json"
          >
            JSON
          </a>
        </div>
      </div>

      {error ? (
        <div className="rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900 dark:border-amber-500/40 dark:bg-amber-500/10 dark:text-amber-200">
          Cannot refresh: {error.message}. Showing the last view.
        </div>
      ) : null}

      {labels.length ? (
        <div className="flex flex-wrap items-center gap-2 text-sm" data-testid="shared-labels">
          <span className="text-zinc-500">{view.nodes.length > 1 ? "The nodes share" : "Topology"}:</span>
          {labels.map(([k, v]) => (
            <span key={k} className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs dark:bg-zinc-800">
              {k}={v}
            </span>
          ))}
        </div>
      ) : null}

      <Figures view={view} />

      <Card title="Timeline">
        <IncidentTimeline view={view} />
      </Card>

      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Phases">
          <PhasesTable view={view} />
        </Card>
        <Card title={`Actions (${view.actions.length})`}>
          <ActionsTable view={view} />
        </Card>
      </div>

      {view.decisions.length ? (
        <Card title={`Auto-repair decisions (${view.decisions.length})`}>
          <DecisionList decisions={[...view.decisions].reverse()} showNode />
        </Card>
      ) : null}

      <Card title={`Workloads (${view.workloads.length})`}>
        <WorkloadsTable view={view} />
      </Card>
      <Card title={`Stuck pods (${view.pods.length})`}>
        <PodsTable view={view} />
      </Card>
      <Card title={`Nodes (${view.nodes.length})`}>
        <NodesTable view={view} />
      </Card>
    </div>
  );
}
