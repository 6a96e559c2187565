// What one engine tick knows: the monitor's snapshot, the cluster-wide switches, the enabled
// policies (first by name wins a node), the holds, and per node the facts the rules read. Read
// once per tick so every decision in it is taken on the same view.
import "server-only";
import type { RepairHold, RepairRun } from "@/generated/prisma/client";
import type { TDb } from "@/lib/db";
import type { TNodeHealth } from "@/lib/health";
import type { TMonitor } from "@/lib/monitor/monitor";
import type { TSnapshot } from "@/lib/monitor/snapshot";
import { documentOf } from "@/lib/policies/list-policies";
import { matchesSelector } from "@/lib/policies/matches-selector";
import type { TPolicy } from "@/lib/policies/schema";
import { gateSettings } from "@/lib/remediation/context";
import { loadControl } from "./control";
import type { TNodeFacts } from "./ladder";
import { otherToolRepairing } from "./other-tools";
import type { TDecisionRecorder } from "./record-decision";
import type { TControlState, TSafetySettings } from "./safety";

export type TEnginePolicy = { id: number; name: string; policy: TPolicy };

export type TNodeView = {
  health: TNodeHealth;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  terminatingPods: number;
};

export type TTick = {
  db: TDb;
  monitor: TMonitor;
  cluster: string;
  now: Date;
  snapshot: TSnapshot;
  settings: TSafetySettings;
  decisions: TDecisionRecorder;
  control: TControlState;
  policies: TEnginePolicy[];
  holds: Map<string, RepairHold>;
  views: Map<string, TNodeView>;
  /** Why the watch connection is not to be trusted now, or null. */
  connectionProblem: string | null;
  /** Another tool repairing the node (asked once per tick and node). */
  otherTool: (node: string) => Promise<string | null>;
  /** Stopping: take no new step. */
  signal: AbortSignal;
};

export async function loadPolicies(db: TDb, cluster: string, log: (m: string) => void): Promise<TEnginePolicy[]> {
  const rows = await db.repairPolicy.findMany({ where: { cluster, enabled: true }, orderBy: { name: "asc" } });
  const policies: TEnginePolicy[] = [];
  for (const row of rows) {
    try {
      policies.push({ id: row.id, name: row.name, policy: documentOf(row) });
    } catch (err) {
      log(`auto-repair: ${err instanceof Error ? err.message : err}: skipped`);
    }
  }
  return policies;
}

export function viewsOf(snapshot: TSnapshot): Map<string, TNodeView> {
  const views = new Map<string, TNodeView>();
  for (const health of snapshot.health?.nodes ?? []) {
    const object = snapshot.nodeObjects.get(health.name);
    views.set(health.name, {
      health,
      labels: object?.metadata?.labels ?? {},
      annotations: object?.metadata?.annotations ?? {},
      terminatingPods: (snapshot.podsByNode.get(health.name) ?? []).filter((p) => p.metadata?.deletionTimestamp).length,
    });
  }
  return views;
}

/** The watch is down, or came back from an outage within the gates' flap window. */
export function connectionProblemOf(monitor: TMonitor, snapshot: TSnapshot, now: Date): string | null {
  if (snapshot.connection.status !== "connected") return `the dashboard's watch is ${snapshot.connection.status}: its view may be stale`;
  const windowMs = gateSettings().flapWindowMs;
  const recent = monitor.cache.reconnects().filter((d) => now.getTime() - d.getTime() < windowMs);
  return recent.length
    ? `the dashboard's connection to the API server dropped and came back ${recent.length}× in the last ${Math.round(windowMs / 60_000)} min`
    : null;
}

/** What the ladder's step plan reads of the node (lib/repair/ladder.ts); no view: the node is gone. */
export const ladderFacts = (t: Pick<TTick, "snapshot">, view: TNodeView | undefined): TNodeFacts => ({
  present: view !== undefined,
  cordoned: view?.health.cordoned ?? false,
  terminatingPods: view?.terminatingPods ?? 0,
  taintKeys: view?.health.taints.map((x) => x.key) ?? [],
  serverVersion: t.snapshot.connection.status === "connected" ? t.snapshot.connection.serverVersion : null,
});

/** The first enabled policy (by name) that selects the node. */
export const policyFor = (t: Pick<TTick, "policies">, view: TNodeView) => t.policies.find((p) => matchesSelector(p.policy, view.labels));

/** The policy's selected nodes among the tick's views. */
export const selectedBy = (t: Pick<TTick, "views">, policy: TPolicy) =>
  [...t.views.values()].filter((v) => matchesSelector(policy, v.labels)).map((v) => v.health);

/** Everything a tick (or an approval, which re-checks every rule) decides on; null before the first snapshot. */
export async function loadTick(opts: {
  db: TDb;
  monitor: TMonitor;
  cluster: string;
  settings: TSafetySettings;
  decisions: TDecisionRecorder;
  policies: TEnginePolicy[];
  signal: AbortSignal;
  log: (message: string) => void;
}): Promise<TTick | null> {
  const { db, monitor, cluster, signal, log } = opts;
  const snapshot = monitor.snapshot();
  if (!snapshot?.health) return null;
  const now = new Date();
  const [control, holds] = await Promise.all([
    loadControl(db, cluster),
    db.repairHold.findMany({ where: { cluster, openKey: { not: null } } }),
  ]);
  const asked = new Map<string, Promise<string | null>>();
  return {
    db,
    monitor,
    cluster,
    now,
    snapshot,
    settings: opts.settings,
    decisions: opts.decisions,
    control,
    policies: opts.policies,
    holds: new Map(holds.map((h) => [h.node, h])),
    views: viewsOf(snapshot),
    connectionProblem: connectionProblemOf(monitor, snapshot, now),
    signal,
    otherTool: (name) => {
      const object = snapshot.nodeObjects.get(name);
      if (!object) return Promise.resolve(null);
      let answer = asked.get(name);
      if (!answer) {
        answer = otherToolRepairing({ kc: monitor.kc, node: object, now, signal, log });
        asked.set(name, answer);
      }
      return answer;
    },
  };
}

export const openRuns = (db: TDb, cluster: string): Promise<RepairRun[]> =>
  db.repairRun.findMany({ where: { cluster, openKey: { not: null } }, orderBy: { id: "asc" } });
