"use client";

import Link from "next/link";
import { useNodeView } from "@/components/live/queries";
import { EvidencePanel } from "@/components/remediation/evidence-panel";
import { OutOfServiceStatus } from "@/components/remediation/out-of-service-status";
import { RemediationPanel } from "@/components/remediation/remediation-panel";
import { NodeRepair } from "@/components/repair/node-repair";
import { Card, rowClass, tableClass, td, th } from "@/components/ui/card";
import { Since } from "@/components/ui/durations";
import { Pill, StateBadge } from "@/components/ui/state-badge";
import type { TNodeView } from "@/lib/views/nodes";
import { ErrorPanel } from "./overview";
import { StuckPodsTable } from "./stuck-pods-table";
import { TransitionsTable } from "./transitions-table";

export function NodeDetail({ name }: { name: string }) {
  const { data, error, isPending } = useNodeView(name);
  if (isPending) return <p className="text-sm text-zinc-500">Loading {name}…</p>;
  if (!data) return <ErrorPanel message={error?.message ?? `cannot show ${name}`} />;
  // A refetch that fails (the node was just deleted) keeps the last view, and with it an open
  // action dialog and its result.
  const { node, pods } = data;
  const stuck = pods.flatMap((p) => (p.stuck ? [p.stuck] : []));
  return (
    <div className="space-y-6" data-testid="node-detail" data-state={node.state}>
      <div className="flex flex-wrap items-center gap-3">
        <Link href="/" className="text-sm text-zinc-500 hover:underline">
          Nodes
        </Link>
        <span className="text-zinc-400">/</span>
        <h1 className="text-xl font-semibold">{node.name}</h1>
        <StateBadge state={node.state} />
        {node.cordoned ? <Pill tone="warn">cordoned</Pill> : null}
        <span className="text-sm text-zinc-500">
          {node.roles.join(", ")} · {node.kubeletVersion} · {node.internalIP}
        </span>
      </div>

      {error ? (
        <div
          className="rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900 dark:border-amber-500/40 dark:bg-amber-500/10 dark:text-amber-200"
          data-testid="node-stale"
        >
          Cannot refresh {name}: {error.message}. Showing its last known state.
        </div>
      ) : null}

      {data.restore?.available ? (
        <div
          className="rounded-lg border border-sky-300 bg-sky-50 px-4 py-3 text-sm text-sky-900 dark:border-sky-500/40 dark:bg-sky-500/10 dark:text-sky-200"
          data-testid="restore-offer"
        >
          node-rescue deleted this node {new Date(data.restore.takenAt).toLocaleString()} and kept its labels, annotations and taints. It
          has re-registered: an admin can restore them (Remediate → Restore labels and taints).
        </div>
      ) : null}

      {data.outOfService ? <OutOfServiceStatus node={node.name} status={data.outOfService} /> : null}

      <div className="grid gap-6 lg:grid-cols-2">
        <RemediationPanel view={data} />
        <EvidencePanel node={node.name} />
      </div>

      <NodeRepair node={node.name} />

      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Heartbeat (Lease)">
          <dl className="grid grid-cols-2 gap-x-4 gap-y-2 px-4 py-3 text-sm">
            <dt className="text-zinc-500">Last renewal</dt>
            <dd className={node.heartbeat.late ? "font-semibold text-amber-700 dark:text-amber-400" : ""}>
              {node.heartbeat.leaseRenewTime ? (
                <>
                  <Since at={node.heartbeat.leaseRenewTime} /> ago
                </>
              ) : (
                "no lease"
              )}
            </dd>
            <dt className="text-zinc-500">Late after</dt>
            <dd>
              {Math.round(node.heartbeat.lateAfterMs / 1000)} s
              {node.heartbeat.leaseDurationSeconds ? ` (lease ${node.heartbeat.leaseDurationSeconds} s)` : ""}
            </dd>
            <dt className="text-zinc-500">Ready condition</dt>
            <dd>
              {node.health}
              {node.readyReason ? ` · ${node.readyReason}` : ""}
            </dd>
            <dt className="text-zinc-500">{node.health === "Ready" ? "Ready for" : "Not ready for"}</dt>
            <dd>
              <Since at={node.health === "Ready" ? node.readySince : node.notReadySince} />
            </dd>
          </dl>
        </Card>
        <Card title="Taints">
          <TaintsList taints={node.taints} />
        </Card>
      </div>

      <Card title="Conditions">
        <ConditionsTable conditions={node.conditions} />
      </Card>

      {stuck.length ? (
        <Card title={`Stuck pods (${stuck.length})`}>
          <StuckPodsTable pods={stuck} showNode={false} />
        </Card>
      ) : null}

      <Card title={`Pods (${pods.length})`}>
        <table className={tableClass} data-testid="node-pods-table">
          <thead>
            <tr>
              <th className={th}>Pod</th>
              <th className={th}>Owner</th>
              <th className={th}>Phase</th>
              <th className={th}>Ready</th>
              <th className={th}>Terminating</th>
            </tr>
          </thead>
          <tbody>
            {pods.map((p) => (
              <tr key={`${p.namespace}/${p.name}`} className={rowClass}>
                <td className={td}>
                  <span className="text-zinc-500">{p.namespace}/</span>
                  {p.name}
                </td>
                <td className={td}>{p.owner ? `${p.owner.kind} ${p.owner.name}` : "—"}</td>
                <td className={td}>{p.phase ?? "—"}</td>
                <td className={td}>{p.ready ? "yes" : "no"}</td>
                <td className={td}>
                  {p.terminatingSince ? (
                    <span className="text-red-700 dark:text-red-400">
                      for <Since at={p.terminatingSince} />
                    </span>
                  ) : (
                    "—"
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>

      <Card title="Transition history">
        <TransitionsTable node={node.name} limit={20} />
      </Card>
    </div>
  );
}

function TaintsList({ taints }: { taints: TNodeView["node"]["taints"] }) {
  if (taints.length === 0) return <p className="px-4 py-3 text-sm text-zinc-500">No taints.</p>;
  return (
    <ul className="divide-y divide-zinc-100 text-sm dark:divide-zinc-800">
      {taints.map((t) => (
        <li key={`${t.key}:${t.effect}`} className="flex items-center justify-between px-4 py-2">
          <span className="font-mono text-xs">
            {t.key}
            {t.value ? `=${t.value}` : ""}:<b>{t.effect}</b>
          </span>
          {t.timeAdded ? (
            <span className="text-xs text-zinc-500">
              added <Since at={t.timeAdded} /> ago
            </span>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

function ConditionsTable({ conditions }: { conditions: TNodeView["node"]["conditions"] }) {
  return (
    <table className={tableClass}>
      <thead>
        <tr>
          <th className={th}>Type</th>
          <th className={th}>Status</th>
          <th className={th}>Reason</th>
          <th className={th}>Last heartbeat</th>
          <th className={th}>Last transition</th>
        </tr>
      </thead>
      <tbody>
        {conditions.map((c) => {
          const bad = c.type === "Ready" ? c.status !== "True" : c.status === "True";
          return (
            <tr key={c.type} className={rowClass}>
              <td className={td}>{c.type}</td>
              <td className={`${td} font-medium ${bad ? "text-red-700 dark:text-red-400" : "text-emerald-700 dark:text-emerald-400"}`}>
                {c.status}
              </td>
              <td className={`${td} text-xs text-zinc-600 dark:text-zinc-400`} title={c.message ?? undefined}>
                {c.reason ?? "—"}
              </td>
              <td className={td}>
                {c.lastHeartbeatTime ? (
                  <>
                    <Since at={c.lastHeartbeatTime} /> ago
                  </>
                ) : (
                  "—"
                )}
              </td>
              <td className={td}>
                {c.lastTransitionTime ? (
                  <>
                    <Since at={c.lastTransitionTime} /> ago
                  </>
                ) : (
                  "—"
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
