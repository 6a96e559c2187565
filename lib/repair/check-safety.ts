// The safety rules (lib/repair/safety.ts) fed from one tick: the policy's selected nodes, its
// repairs under way and in the last hour, the node's hold and whether another tool has it.
import "server-only";
import type { TPolicy } from "@/lib/policies/schema";
import { evaluateSafety, safetyVerdict, type TSafetyVerdict } from "./safety";
import { selectedBy, type TNodeView, type TTick } from "./tick";

const HOUR_MS = 3_600_000;

export async function checkSafety(
  t: TTick,
  opts: { policyId: number; policy: TPolicy; view: TNodeView; started: boolean },
): Promise<TSafetyVerdict> {
  const { policyId, policy, view, started } = opts;
  const name = view.health.name;
  const [acting, actedLastHour] = started
    ? [0, 0]
    : await Promise.all([
        t.db.repairRun.count({ where: { cluster: t.cluster, policyId, phase: "acting", openKey: { not: null } } }),
        t.db.repairRun.count({ where: { cluster: t.cluster, policyId, firstActedAt: { gte: new Date(t.now.getTime() - HOUR_MS) } } }),
      ]);
  const hold = t.holds.get(name);
  const checks = evaluateSafety({
    policy,
    node: view.health,
    labels: view.labels,
    annotations: view.annotations,
    nodes: [...t.views.values()].map((v) => ({ health: v.health, labels: v.labels })),
    selected: selectedBy(t, policy),
    control: t.control,
    connectionProblem: t.connectionProblem,
    hold: hold ? { kind: hold.kind, reason: hold.reason } : null,
    otherTool: await t.otherTool(name),
    acting,
    actedLastHour,
    started,
    settings: t.settings,
    now: t.now,
  });
  return safetyVerdict(checks);
}
