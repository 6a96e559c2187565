// The auto-repair engine: one per cluster, in the server process beside the watch, and only on
// the leader (`isLeader`; always true while there is one replica). Every tick, on one view of the
// cluster: trip the storm breaker if too many nodes just went unhealthy, move every open repair
// one step (lib/repair/advance-run.ts), then open repairs for nodes that qualify under an enabled
// policy (lib/repair/open-run.ts). Ticks never overlap; a wake (a policy changed, a proposal was
// approved) runs the next one at once. All state is in the database: a new process resumes.
import "server-only";
import type { TDb } from "@/lib/db";
import type { TMonitor } from "@/lib/monitor/monitor";
import { advanceRun } from "./advance-run";
import { tripBreaker } from "./control";
import { qualify } from "./criteria";
import { considerNode } from "./open-run";
import { decisionRecorder, type TDecisionRecorder } from "./record-decision";
import { stormVerdict, type TSafetySettings } from "./safety";
import { loadPolicies, loadTick, openRuns, policyFor, type TTick } from "./tick";

export type TEngineOptions = {
  db: TDb;
  monitor: TMonitor;
  cluster: string;
  settings: TSafetySettings;
  tickMs: number;
  isLeader?: () => boolean;
  log?: (message: string) => void;
  /** Called after every tick (tests, metrics). */
  onTick?: (ms: number) => void;
};

export type TEngineStatus = { leader: boolean; ticks: number; lastTickAt: string | null };

export type TRepairEngine = {
  decisions: TDecisionRecorder;
  /** The view a tick would decide on now (an approval re-checks every rule on it). */
  loadTick: () => Promise<TTick | null>;
  /** Runs a tick soon (after the one under way). */
  wake: () => void;
  /** Whether it runs here, and how many ticks it finished (GET /api/repair; tests wait on it). */
  status: () => TEngineStatus;
  stop: () => Promise<void>;
};

export function startRepairEngine(opts: TEngineOptions): TRepairEngine {
  const { db, monitor, cluster } = opts;
  const log = opts.log ?? ((m: string) => console.log(`[node-rescue] ${m}`));
  const isLeader = opts.isLeader ?? (() => true);
  const decisions = decisionRecorder(db, cluster);
  const stopping = new AbortController();
  let running: Promise<void> | null = null;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  let ticks = 0;
  let lastTickAt: Date | null = null;

  const schedule = (ms: number) => {
    clearTimeout(timer);
    if (stopping.signal.aborted) return;
    timer = setTimeout(wake, ms);
    timer.unref();
  };

  function wake() {
    if (stopping.signal.aborted) return;
    if (running) {
      again = true;
      return;
    }
    const started = Date.now();
    running = tick()
      .catch((err: unknown) => log(`auto-repair: tick failed: ${err instanceof Error ? (err.stack ?? err.message) : err}`))
      .finally(() => {
        running = null;
        ticks++;
        lastTickAt = new Date();
        opts.onTick?.(Date.now() - started);
        if (again) {
          again = false;
          schedule(0);
        } else schedule(opts.tickMs);
      });
  }

  async function tick() {
    if (!isLeader()) return;
    const policies = await loadPolicies(db, cluster, log);
    const runs = await openRuns(db, cluster);
    if (policies.length === 0 && runs.length === 0) return;
    const t = await loadTick({ db, monitor, cluster, settings: opts.settings, decisions, policies, signal: stopping.signal, log });
    if (!t) return;
    const { snapshot, now, control } = t;
    if (!snapshot.health) return;

    // The breaker looks at every node, whichever policy selects it, and only while it can trip.
    if (!control.breakerTrippedAt && policies.length > 0 && !t.connectionProblem) {
      const storm = stormVerdict(snapshot.health.nodes, opts.settings, now);
      if (storm.trip && (await tripBreaker(db, cluster, decisions, storm.message, now))) {
        t.control = { ...control, breakerTrippedAt: now, breakerReason: storm.message };
        log(`auto-repair: the storm breaker tripped: ${storm.message}`);
      }
    }

    for (const run of runs) {
      if (stopping.signal.aborted) return;
      await advanceRun(t, run);
    }
    const busy = new Set(runs.map((r) => r.node));
    for (const view of t.views.values()) {
      if (stopping.signal.aborted) return;
      if (busy.has(view.health.name)) continue;
      const p = policyFor(t, view);
      if (!p) continue;
      const q = qualify(p.policy, view.health, snapshot.nodeObjects.get(view.health.name), now);
      if (q?.met) await considerNode(t, p, view, q.match);
    }
  }

  schedule(opts.tickMs);
  return {
    decisions,
    loadTick: async () =>
      loadTick({
        db,
        monitor,
        cluster,
        settings: opts.settings,
        decisions,
        policies: await loadPolicies(db, cluster, log),
        signal: stopping.signal,
        log,
      }),
    wake,
    status: () => ({ leader: isLeader(), ticks, lastTickAt: lastTickAt?.toISOString() ?? null }),
    async stop() {
      stopping.abort("shutting down");
      clearTimeout(timer);
      await running;
    },
  };
}
