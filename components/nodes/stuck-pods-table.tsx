"use client";

import Link from "next/link";
import { rowClass, tableClass, td, th } from "@/components/ui/card";
import { Countdown, Since } from "@/components/ui/durations";
import { Pill } from "@/components/ui/state-badge";
import type { TStuckPod } from "@/lib/health";

/** Pods in danger on unhealthy nodes: what is stuck, who owns it, what pins it, when eviction comes. */
export function StuckPodsTable({ pods, showNode = true }: { pods: TStuckPod[]; showNode?: boolean }) {
  if (pods.length === 0) return <p className="px-4 py-6 text-sm text-zinc-500">No pods are stuck on unhealthy nodes.</p>;
  const sorted = [...pods].sort(
    (a, b) => Number(b.needsAction) - Number(a.needsAction) || a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name),
  );
  return (
    <div className="overflow-x-auto">
      <table className={tableClass} data-testid="stuck-pods-table">
        <thead>
          <tr>
            <th className={th}>Pod</th>
            {showNode ? <th className={th}>Node</th> : null}
            <th className={th}>Owner</th>
            <th className={th}>Status</th>
            <th className={th}>Eviction</th>
            <th className={th}>Volumes</th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((p) => (
            <tr
              key={`${p.namespace}/${p.name}`}
              className={rowClass}
              data-testid={`stuck-pod-${p.namespace}-${p.name}`}
              data-terminating={p.terminating ? "true" : "false"}
            >
              <td className={td}>
                <div className="font-medium">{p.name}</div>
                <div className="text-xs text-zinc-500">{p.namespace}</div>
                {p.needsAction ? (
                  <div className="mt-1">
                    <Pill tone="danger">needs action</Pill>
                  </div>
                ) : null}
              </td>
              {showNode ? (
                <td className={td}>
                  <Link className="text-sky-700 hover:underline dark:text-sky-400" href={`/nodes/${encodeURIComponent(p.nodeName)}`}>
                    {p.nodeName}
                  </Link>
                </td>
              ) : null}
              <td className={td}>
                {p.owner ? (
                  <>
                    <span className="text-zinc-500">{p.owner.kind}</span> {p.owner.name}
                  </>
                ) : (
                  <span className="text-zinc-400">none</span>
                )}
              </td>
              <td className={td}>
                {p.terminating ? (
                  <span className="font-medium text-red-700 dark:text-red-400">
                    Terminating <Since at={p.terminating.requestedAt} />
                  </span>
                ) : (
                  <span>
                    {p.phase ?? "—"}
                    {p.ready ? "" : " (not ready)"}
                  </span>
                )}
                <ul className="mt-1 max-w-md list-disc pl-4 text-xs text-zinc-600 dark:text-zinc-400">
                  {p.reasons.map((r) => (
                    <li key={r}>{r}</li>
                  ))}
                </ul>
              </td>
              <td className={td}>
                {p.terminating ? (
                  <span className="text-zinc-500">evicted</span>
                ) : p.eviction.status === "scheduled" ? (
                  <Countdown to={p.eviction.evictAt} />
                ) : p.eviction.status === "never" ? (
                  <span className="text-zinc-500">never (tolerates)</span>
                ) : p.eviction.status === "unknown" ? (
                  "pending"
                ) : (
                  <span className="text-zinc-400">no taint yet</span>
                )}
              </td>
              <td className={td}>
                {p.volumes.length === 0 ? (
                  <span className="text-zinc-400">—</span>
                ) : (
                  p.volumes.map((v) => (
                    <div key={v.claimName} className="text-xs">
                      <span className="font-medium">{v.claimName}</span>{" "}
                      <span className="text-zinc-500">
                        {v.accessModes.join(",")}
                        {v.storageClassName ? ` · ${v.storageClassName}` : ""}
                      </span>
                      {v.rwo ? (
                        <>
                          {" "}
                          <Pill tone="warn">RWO</Pill>
                        </>
                      ) : null}
                      {v.attachments.length ? (
                        <>
                          {" "}
                          <Pill tone="danger">attached here</Pill>
                        </>
                      ) : null}
                    </div>
                  ))
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
