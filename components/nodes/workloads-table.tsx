import { rowClass, tableClass, td, th } from "@/components/ui/card";
import { Pill } from "@/components/ui/state-badge";
import type { TWorkloadImpact } from "@/lib/health";

export function WorkloadsTable({ workloads }: { workloads: TWorkloadImpact[] }) {
  return (
    <table className={tableClass} data-testid="workloads-table">
      <thead>
        <tr>
          <th className={th}>Workload</th>
          <th className={th}>Impact</th>
          <th className={`${th} text-right`}>Ready elsewhere</th>
          <th className={th}>On unhealthy nodes</th>
        </tr>
      </thead>
      <tbody>
        {workloads.map((w) => (
          <tr key={`${w.kind}/${w.namespace}/${w.name}`} className={rowClass}>
            <td className={td}>
              <span className="text-zinc-500">{w.kind}</span> {w.namespace}/{w.name}
            </td>
            <td className={td}>
              <Pill tone={w.serviceImpact === "down" ? "danger" : "warn"}>{w.serviceImpact}</Pill>
            </td>
            <td className={`${td} text-right tabular-nums`}>
              {w.readyElsewhere}
              {w.desiredReplicas !== null ? ` / ${w.desiredReplicas}` : ""}
            </td>
            <td className={`${td} text-xs text-zinc-600 dark:text-zinc-400`}>{w.podsOnUnhealthyNodes.join(", ")}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
