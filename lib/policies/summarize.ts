// PURE: a policy's parts as one readable line each, for the audit log's diffs and the policies page.
import type { TLadderAction } from "./defaults";
import type { TCriterion, TLadderStep, TMaintenanceWindow, TPolicy } from "./schema";

/** The actions' short names in a ladder line. */
const STEP_NAMES: Record<TLadderAction, string> = {
  "node.cordon": "cordon",
  "node.drain": "drain",
  "pods.force-delete": "force-delete",
  "node.out-of-service.apply": "out-of-service",
  "node.delete": "delete",
};

/** 60 → "60s", 600 → "10m", 86400 → "24h": seconds below ten minutes, then whole minutes or hours. */
export function formatSeconds(seconds: number): string {
  if (seconds >= 3600 && seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds >= 600 && seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

/** "Ready False/Unknown ≥ 10m or Heartbeat Stale ≥ 10m": any one of them triggers. */
export const describeCriteria = (criteria: readonly TCriterion[]) =>
  criteria.map((c) => `${c.type} ${c.status.join("/")} ≥ ${formatSeconds(c.forSeconds)}`).join(" or ");

/** "cordon 60s → force-delete 120s → out-of-service 300s": each step with its timeout before the next. */
export const describeLadder = (ladder: readonly TLadderStep[]) =>
  ladder.map((s) => `${STEP_NAMES[s.action]} ${formatSeconds(s.timeoutSeconds)}`).join(" → ");

/** kubectl's selector syntax ("node-role.kubernetes.io/worker=,zone in (a,b),!gpu"); "every node" when empty. */
export function describeSelector(selector: TPolicy["selector"]): string {
  const parts = [
    ...Object.entries(selector.matchLabels).map(([k, v]) => `${k}=${v}`),
    ...selector.matchExpressions.map((e) => {
      if (e.operator === "In") return `${e.key} in (${e.values.join(",")})`;
      if (e.operator === "NotIn") return `${e.key} notin (${e.values.join(",")})`;
      return e.operator === "Exists" ? e.key : `!${e.key}`;
    }),
  ];
  return parts.length ? parts.join(",") : "every node";
}

/** "Mon,Tue 08:00–18:00 Europe/Berlin and daily 22:00–02:00 UTC"; "always" without windows. */
export const describeWindows = (windows: readonly TMaintenanceWindow[]) =>
  windows.length
    ? windows.map((w) => `${w.days.length === 7 ? "daily" : w.days.join(",")} ${w.start}–${w.end} ${w.timeZone}`).join(" and ")
    : "always";

/** "3 incidents in 24h". */
export const describeFlapping = (flapping: TPolicy["flapping"]) =>
  `${flapping.incidents} incidents in ${formatSeconds(flapping.withinSeconds)}`;
