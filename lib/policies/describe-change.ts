// PURE: the audit log's sentence for a policy change, field by field in document order:
// `updated policy "workers": mode: "propose" → "act"; ladder: cordon 60s → delete 300s ⇒ cordon 60s`.
// The whole documents go in the audit row's results; this is what a person reads.
import type { TPolicy } from "./schema";
import { describeCriteria, describeFlapping, describeLadder, describeSelector, describeWindows, formatSeconds } from "./summarize";

const clip = (text: string) => (text.length > 80 ? `${text.slice(0, 79)}…` : text);

/** Every field, in document order (the type makes a new field impossible to forget here). */
const FIELDS: { [K in keyof TPolicy]: { show: (value: TPolicy[K]) => string; line?: true } } = {
  name: { show: (v) => JSON.stringify(v) },
  description: { show: (v) => JSON.stringify(clip(v)) },
  mode: { show: (v) => JSON.stringify(v) },
  enabled: { show: String },
  selector: { show: describeSelector, line: true },
  includeControlPlane: { show: String },
  criteria: { show: describeCriteria, line: true },
  ladder: { show: describeLadder, line: true },
  minHealthyPercent: { show: (v) => `${v}%` },
  maxRepairsPerHour: { show: String },
  maxConcurrent: { show: String },
  maintenanceWindows: { show: describeWindows, line: true },
  quarantineSeconds: { show: formatSeconds },
  flapping: { show: describeFlapping, line: true },
};

function fieldChange<K extends keyof TPolicy>(key: K, before: TPolicy, after: TPolicy): string | null {
  if (JSON.stringify(before[key]) === JSON.stringify(after[key])) return null;
  const { show, line } = FIELDS[key];
  // Lines contain arrows of their own (a ladder): ⇒ separates before from after there.
  return `${key}: ${show(before[key])} ${line ? "⇒" : "→"} ${show(after[key])}`;
}

const summary = (p: TPolicy) =>
  `${p.mode}, ${p.enabled ? "enabled" : "disabled"}; selects ${describeSelector(p.selector)}${p.includeControlPlane ? " (control plane included)" : ""}; criteria ${describeCriteria(p.criteria)}; ladder ${describeLadder(p.ladder)}`;

export function describePolicyChange(before: TPolicy | null, after: TPolicy | null): string {
  if (!before && after) return `created policy "${after.name}": ${summary(after)}`;
  if (before && !after) return `deleted policy "${before.name}": ${summary(before)}`;
  if (!before || !after) return "no change";
  const parts = (Object.keys(FIELDS) as (keyof TPolicy)[]).map((key) => fieldChange(key, before, after)).filter((p) => p !== null);
  return `updated policy "${after.name}": ${parts.length ? parts.join("; ") : "no change"}`;
}
