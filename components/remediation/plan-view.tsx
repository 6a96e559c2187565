import { Pill } from "@/components/ui/state-badge";
import type { TGateCheck } from "@/lib/remediation/gates";
import type { TPlan } from "@/lib/remediation/plan";

const DISPOSITION: Record<string, string> = {
  evict: "evict",
  "skip-daemonset": "skip (DaemonSet)",
  "skip-mirror": "skip (static pod)",
  "skip-terminating": "skip (already Terminating)",
  "skip-tolerates": "stays (tolerates the out-of-service taint)",
  "force-delete": "force-delete",
  freed: "freed by pod GC, recreated elsewhere",
  untouched: "untouched",
};

const gib = (b: number) => `${(b / 2 ** 30).toFixed(1)} GiB`;

export function GateChecks({ checks }: { checks: TGateCheck[] }) {
  return (
    <ul className="space-y-1 text-sm" data-testid="gate-checks">
      {checks.map((c) => (
        <li key={c.gate} data-gate={c.gate} data-passed={c.passed ? "true" : "false"} className="flex gap-2">
          <span aria-hidden className={c.passed ? "text-emerald-600" : c.overridable ? "text-amber-600" : "text-red-600"}>
            {c.passed ? "✓" : "✗"}
          </span>
          <span className={c.passed ? "text-zinc-600 dark:text-zinc-400" : "font-medium"}>{c.message}</span>
          {!c.passed && c.overridable ? <Pill tone="warn">admin can override</Pill> : null}
        </li>
      ))}
    </ul>
  );
}

export function PlanView({ plan }: { plan: TPlan }) {
  return (
    <div className="space-y-3 text-sm" data-testid="plan">
      <p className="font-medium">{plan.summary}</p>
      {plan.warnings.length ? (
        <ul className="space-y-1 rounded border border-amber-300 bg-amber-50 px-3 py-2 text-amber-900 dark:border-amber-500/40 dark:bg-amber-500/10 dark:text-amber-200">
          {plan.warnings.map((w) => (
            <li key={w}>⚠ {w}</li>
          ))}
        </ul>
      ) : null}
      {plan.restore ? (
        <div data-testid="restore-diff">
          <div className="text-xs font-medium uppercase tracking-wide text-zinc-500">Will be restored</div>
          <ul className="mt-1 font-mono text-xs">
            {Object.entries(plan.restore.labels).map(([k, v]) => (
              <li key={`l-${k}`}>
                label {k}={v}
              </li>
            ))}
            {Object.entries(plan.restore.annotations).map(([k, v]) => (
              <li key={`a-${k}`}>
                annotation {k}={v.length > 60 ? `${v.slice(0, 60)}…` : v}
              </li>
            ))}
            {plan.restore.taints.map((t) => (
              <li key={`t-${t.key}`}>
                taint {t.key}
                {t.value ? `=${t.value}` : ""}:{t.effect}
              </li>
            ))}
            {plan.restore.empty ? <li>nothing: the node already has everything the backup holds</li> : null}
          </ul>
        </div>
      ) : null}
      {plan.groups.length ? (
        <div>
          <div className="text-xs font-medium uppercase tracking-wide text-zinc-500">Pods by owner</div>
          <ul className="mt-1 max-h-48 space-y-1 overflow-y-auto">
            {plan.groups.map((g) => (
              <li key={`${g.owner?.namespace}/${g.owner?.kind}/${g.owner?.name}/${g.pods[0]?.name}`}>
                <span className="text-zinc-500">{g.owner ? `${g.owner.kind} ${g.owner.namespace}/${g.owner.name}` : "no owner"}:</span>{" "}
                {g.pods.map((p) => (
                  <span key={p.name} className="mr-2 inline-block">
                    {p.name} <span className="text-xs text-zinc-500">→ {DISPOSITION[p.disposition]}</span>
                    {p.pdb ? (
                      <>
                        {" "}
                        <Pill tone={p.pdb.disruptionsAllowed > 0 ? "info" : "danger"}>
                          PDB {p.pdb.name}: {p.pdb.disruptionsAllowed} allowed
                        </Pill>
                      </>
                    ) : null}
                  </span>
                ))}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {plan.volumes.some((v) => v.rwo) ? (
        <div>
          <div className="text-xs font-medium uppercase tracking-wide text-zinc-500">ReadWriteOnce volumes</div>
          <ul className="mt-1 text-xs">
            {plan.volumes
              .filter((v) => v.rwo)
              .map((v) => (
                <li key={v.claimName}>
                  {v.pod}: {v.claimName} ({v.storageClassName ?? "no class"})
                  {v.attachments.length ? ` — attached here: ${v.attachments.join(", ")}` : ""}
                </li>
              ))}
          </ul>
        </div>
      ) : null}
      {plan.capacity ? (
        <p className="text-xs text-zinc-600 dark:text-zinc-400" data-testid="capacity" data-fits={plan.capacity.fits ? "true" : "false"}>
          Room elsewhere: {plan.capacity.podsToMove} pods to move (requests {plan.capacity.cpuRequested.toFixed(2)} CPU,{" "}
          {gib(plan.capacity.memoryRequested)}) onto {plan.capacity.candidates} schedulable nodes with {plan.capacity.cpuFree.toFixed(1)}{" "}
          CPU, {gib(plan.capacity.memoryFree)} and {plan.capacity.podSlotsFree} pod slots free —{" "}
          {plan.capacity.fits ? (
            <span className="text-emerald-700 dark:text-emerald-400">fits</span>
          ) : (
            <span className="text-red-700 dark:text-red-400">may not fit</span>
          )}
        </p>
      ) : null}
    </div>
  );
}
