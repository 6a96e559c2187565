// "What would this policy have done over the last N days": loads the recorded transitions (the
// state each node was in when the period began, and every change in it), the nodes' labels (as
// they are now, or as their last incident recorded them for nodes gone since) and their incidents,
// and replays the policy on them (lib/repair/replay-history.ts). Reads only; nothing is recorded.
import "server-only";
import type { TDb } from "@/lib/db";
import type { TNodeState } from "@/lib/health/states";
import type { TSnapshot } from "@/lib/monitor/snapshot";
import type { TPolicy } from "@/lib/policies/schema";
import { replayPolicy, type THistoryNode, type TReplay } from "./replay-history";
import type { TSafetySettings } from "./safety";

/** Enough for 5,000 nodes flapping daily for a week; beyond it the replay says it is cut. */
const MAX_TRANSITIONS = 200_000;

export async function dryRunPolicy(opts: {
  db: TDb;
  cluster: string;
  policy: TPolicy;
  days: number;
  snapshot: TSnapshot | null;
  settings: TSafetySettings;
  now?: Date;
}): Promise<TReplay & { transitions: number }> {
  const { db, cluster, policy } = opts;
  const to = opts.now ?? new Date();
  const from = new Date(to.getTime() - opts.days * 86_400_000);
  const before = await db.nodeTransition.groupBy({ by: ["node"], where: { cluster, observedAt: { lt: from } }, _max: { id: true } });
  const [starting, during, members] = await Promise.all([
    db.nodeTransition.findMany({
      where: { id: { in: before.flatMap((b) => (b._max.id === null ? [] : [b._max.id])) } },
      select: { node: true, toState: true, observedAt: true },
    }),
    db.nodeTransition.findMany({
      where: { cluster, observedAt: { gte: from, lte: to } },
      orderBy: { id: "asc" },
      take: MAX_TRANSITIONS,
      select: { node: true, toState: true, observedAt: true },
    }),
    db.incidentNode.findMany({
      where: { cluster, firstSignAt: { gte: new Date(from.getTime() - policy.flapping.withinSeconds * 1000), lte: to } },
      orderBy: { firstSignAt: "asc" },
      select: { node: true, firstSignAt: true, labels: true },
    }),
  ]);
  // The labels each node's latest incident recorded (members come oldest first): for nodes gone since.
  const recordedLabels = new Map(members.map((m) => [m.node, m.labels]));
  const history = new Map<string, THistoryNode>();
  const entry = (name: string) => {
    let h = history.get(name);
    if (!h) {
      const object = opts.snapshot?.nodeObjects.get(name);
      const recorded = recordedLabels.get(name);
      h = {
        node: name,
        labels: object?.metadata?.labels ?? (recorded ? (JSON.parse(recorded) as Record<string, string>) : {}),
        annotations: object?.metadata?.annotations ?? {},
        transitions: [],
      };
      history.set(name, h);
    }
    return h;
  };
  // The state each node was in when the period began holds from its start.
  for (const row of starting) entry(row.node).transitions.push({ state: row.toState as TNodeState, at: from });
  for (const row of during) entry(row.node).transitions.push({ state: row.toState as TNodeState, at: row.observedAt });
  const incidents = new Map<string, Date[]>();
  for (const m of members) incidents.set(m.node, [...(incidents.get(m.node) ?? []), m.firstSignAt]);

  const replay = replayPolicy(policy, { nodes: [...history.values()], incidents, from, to, settings: opts.settings });
  if (during.length === MAX_TRANSITIONS)
    replay.caveats.unshift(`only the first ${MAX_TRANSITIONS} transitions of the period were replayed: ask for fewer days`);
  return { ...replay, transitions: during.length };
}
