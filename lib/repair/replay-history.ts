// PURE: "what would this policy have done over the last days", from the recorded transitions and
// incidents. Each node's history becomes spells (a stretch in a state a criterion names); a spell
// that lasted the criterion's forSeconds is a repair the policy would have opened, at the first
// moment the safety rules (the same evaluateSafety and stormVerdict the engine runs, fed from the
// replayed states) let it — or the reason it would have waited or left the node alone. A spell
// shorter than forSeconds is a node that came back by itself in time. What history cannot say is
// said too: conditions the transitions do not record (DiskPressure, node-problem-detector's), and
// that a repair would have changed what came after it.
import type { TNodeHealth } from "@/lib/health";
import { healthOfState, type TNodeState } from "@/lib/health/states";
import { HEARTBEAT_CONDITION } from "@/lib/policies/defaults";
import { matchesSelector } from "@/lib/policies/matches-selector";
import type { TCriterion, TPolicy } from "@/lib/policies/schema";
import { evaluateSafety, safetyVerdict, stormVerdict, type TSafetySettings } from "./safety";

export type THistoryNode = {
  node: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Its recorded states, oldest first; the first one holds from its time on. */
  transitions: { state: TNodeState; at: Date }[];
};

export type TReplayDecision = {
  node: string;
  /** When the policy would have decided (or the spell began, for "recovered"). */
  at: string;
  decision: "act" | "propose" | "waited" | "skipped" | "recovered";
  rule: string;
  message: string;
};

export type TReplay = {
  from: string;
  to: string;
  selectedNodes: number;
  decisions: TReplayDecision[];
  /** What the replay cannot know, in sentences. */
  caveats: string[];
};

/** States a recorded criterion names: Ready's statuses, and the heartbeat's silence. */
function statesOf(c: TCriterion): Set<TNodeState> | null {
  if (c.type === "Ready")
    return new Set([
      ...(c.status.includes("False") ? ["NotReady" as const] : []),
      ...(c.status.includes("Unknown") ? ["Unknown" as const] : []),
    ]);
  if (c.type === HEARTBEAT_CONDITION) return new Set(["HeartbeatLate", "NotReady", "Unknown"]);
  return null;
}

type TSpell = { node: string; criterion: TCriterion; status: string; start: number; end: number; endedBy: TNodeState | null };

/** Stretches where the node's state is one the criterion names, clipped to [from, to]. */
function spellsOf(h: THistoryNode, criterion: TCriterion, states: Set<TNodeState>, from: number, to: number): TSpell[] {
  const spells: TSpell[] = [];
  let open: TSpell | null = null;
  for (const t of h.transitions) {
    const at = t.at.getTime();
    if (at > to) break;
    if (states.has(t.state)) {
      open ??= {
        node: h.node,
        criterion,
        status: criterion.type === HEARTBEAT_CONDITION ? "Stale" : t.state === "NotReady" ? "False" : "Unknown",
        start: at,
        end: to,
        endedBy: null,
      };
    } else if (open) {
      spells.push({ ...open, end: at, endedBy: t.state });
      open = null;
    }
  }
  if (open) spells.push(open);
  return spells.filter((s) => s.end > from);
}

/** The node's recorded state at `at` and since when (null before its first row): a binary search. */
function stateAt(h: THistoryNode, at: number): { state: TNodeState; since: number } | null {
  const rows = h.transitions;
  let lo = 0;
  let hi = rows.length - 1;
  let last = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((rows[mid]?.at.getTime() ?? Infinity) <= at) {
      last = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  const row = rows[last];
  if (!row) return null;
  let first = last;
  while (first > 0 && rows[first - 1]?.state === row.state) first--;
  return { state: row.state, since: rows[first]?.at.getTime() ?? row.at.getTime() };
}

/** A node as the safety rules read it, rebuilt from its recorded state at one moment. */
function historicHealth(name: string, s: { state: TNodeState; since: number }, at: number): TNodeHealth {
  const since = new Date(s.since).toISOString();
  const healthy = s.state === "Ready";
  return {
    name,
    uid: null,
    createdAt: null,
    health: healthOfState(s.state) ?? "Unknown",
    state: s.state,
    readySince: healthy ? since : null,
    notReadySince: healthy ? null : since,
    readyReason: null,
    readyMessage: null,
    heartbeat: {
      leaseRenewTime: since,
      ageMs: at - s.since,
      leaseDurationSeconds: null,
      lateAfterMs: 0,
      late: !healthy,
      warmingUp: false,
    },
    cordoned: false,
    taints: [],
    problems: [],
    roles: [],
    kubeletVersion: null,
    internalIP: null,
    evaluatedAt: new Date(at).toISOString(),
  };
}

const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;
/** How a spell ended, for a sentence: "the node was deleted", "the node was Ready again". */
const ending = (s: TSpell) => (s.endedBy === "Deleted" ? "the node was deleted" : `the node was ${s.endedBy} again`);

export function replayPolicy(
  policy: TPolicy,
  opts: {
    nodes: readonly THistoryNode[];
    /** Each node's incidents (their first signs), for the flapping rule. */
    incidents: ReadonlyMap<string, readonly Date[]>;
    from: Date;
    to: Date;
    settings: TSafetySettings;
  },
): TReplay {
  const from = opts.from.getTime();
  const to = opts.to.getTime();
  const selected = opts.nodes.filter((n) => matchesSelector(policy, n.labels));
  const selectedByName = new Map(selected.map((n) => [n.node, n]));
  const caveats: string[] = [];
  const unrecorded = policy.criteria.filter((c) => statesOf(c) === null).map((c) => `${c.type}=${c.status.join("/")}`);
  if (unrecorded.length)
    caveats.push(`${unrecorded.join(", ")}: node-rescue records Ready and the heartbeat only, so these criteria are not replayed`);
  caveats.push("after a repair the real history no longer applies: what followed it is shown as it happened");

  // Every spell that lasted its criterion's forSeconds becomes a repair to place; shorter ones recovered.
  const decisions: TReplayDecision[] = [];
  const due: (TSpell & { dueAt: number })[] = [];
  for (const h of selected) {
    const spells = policy.criteria.flatMap((c) => {
      const states = statesOf(c);
      return states ? spellsOf(h, c, states, from, to) : [];
    });
    // Overlapping spells of one node (Ready and Heartbeat both): the one due first.
    spells.sort((a, b) => a.start + a.criterion.forSeconds * 1000 - (b.start + b.criterion.forSeconds * 1000));
    let busyUntil = -Infinity;
    for (const s of spells) {
      if (s.start < busyUntil) continue;
      busyUntil = s.end;
      const dueAt = s.start + s.criterion.forSeconds * 1000;
      if (dueAt >= s.end) {
        if (s.end < to)
          decisions.push({
            node: s.node,
            at: new Date(s.start).toISOString(),
            decision: "recovered",
            rule: "criteria",
            message: `${s.criterion.type}=${s.status} for ${seconds(s.end - s.start)}, ${s.endedBy === "Deleted" ? "then deleted" : `then ${s.endedBy}`} before the policy's ${s.criterion.forSeconds} s: nothing to do`,
          });
        continue;
      }
      due.push({ ...s, dueAt: Math.max(dueAt, from) });
    }
  }

  // In time order, on the same rules the engine applies: the first moment they let each repair go.
  const moments = [
    ...new Set([
      ...due.map((d) => d.dueAt),
      ...selected.flatMap((h) => h.transitions.map((t) => t.at.getTime()).filter((t) => t >= from && t <= to)),
    ]),
  ].sort((a, b) => a - b);
  const acted: { node: string; at: number; until: number }[] = [];
  let trippedAt: number | null = null;
  const pending = [...due].sort((a, b) => a.dueAt - b.dueAt);
  /** Per repair held back: the first rule that held it (and its moment), and the last one. */
  const blocks = new Map<
    TSpell & { dueAt: number },
    { first: { rule: string; message: string; skip: boolean; cause: string }; last: { rule: string; message: string } }
  >();
  for (const at of policy.maintenanceWindows.length ? withMinutes(moments, pending) : moments) {
    const active = pending.filter((p) => p.dueAt <= at && at < p.end && !acted.some((a) => a.node === p.node && a.at >= p.start));
    // The cluster is rebuilt only where a repair could be placed (the breaker too: it only stops those).
    if (active.length === 0) continue;
    const views = opts.nodes.flatMap((h) => {
      const s = stateAt(h, at);
      return s ? [{ health: historicHealth(h.node, s, at), labels: h.labels }] : [];
    });
    if (
      trippedAt === null &&
      stormVerdict(
        views.map((v) => v.health),
        opts.settings,
        new Date(at),
      ).trip
    ) {
      trippedAt = at;
      decisions.push({
        node: "",
        at: new Date(at).toISOString(),
        decision: "waited",
        rule: "storm-breaker",
        message: `the storm breaker would have tripped: ${
          stormVerdict(
            views.map((v) => v.health),
            opts.settings,
            new Date(at),
          ).message
        }; nothing automatic until a person reset it`,
      });
    }
    const selectedViews = views.filter((v) => selectedByName.has(v.health.name)).map((v) => v.health);
    for (const spell of active) {
      const h = selectedByName.get(spell.node);
      const state = h && stateAt(h, at);
      if (!h || !state) continue;
      const windowStart = at - policy.flapping.withinSeconds * 1000;
      const incidents = (opts.incidents.get(spell.node) ?? []).filter((d) => d.getTime() > windowStart && d.getTime() <= at).length;
      const checks = evaluateSafety({
        policy,
        node: historicHealth(spell.node, state, at),
        labels: h.labels,
        annotations: h.annotations,
        nodes: views,
        selected: selectedViews,
        control: {
          paused: false,
          pausedReason: null,
          pausedBy: null,
          breakerTrippedAt: trippedAt === null ? null : new Date(trippedAt),
          breakerReason: trippedAt === null ? null : "it tripped earlier in this replay",
        },
        connectionProblem: null,
        hold:
          incidents >= policy.flapping.incidents
            ? { kind: "flapping", reason: `${incidents} incidents within ${seconds(policy.flapping.withinSeconds * 1000)}` }
            : null,
        otherTool: null,
        acting: acted.filter((a) => a.at <= at && at < a.until).length,
        actedLastHour: acted.filter((a) => at - a.at < 3_600_000).length,
        started: false,
        settings: opts.settings,
        now: new Date(at),
      });
      const verdict = safetyVerdict(checks);
      const cause = `${spell.criterion.type}=${spell.status} for ${seconds(at - spell.start)} (policy: ≥ ${spell.criterion.forSeconds} s)`;
      if (verdict.verdict === "go") {
        const propose = policy.mode === "propose" || verdict.proposeOnly !== null;
        acted.push({ node: spell.node, at, until: spell.end });
        blocks.delete(spell);
        const steps = policy.ladder.map((s) => s.action).join(" → ");
        decisions.push({
          node: spell.node,
          at: new Date(at).toISOString(),
          decision: propose ? "propose" : "act",
          rule: verdict.proposeOnly?.rule ?? (propose ? "mode" : "criteria"),
          message: `${cause}: would have ${propose ? "proposed" : "run"} ${steps}${verdict.proposeOnly ? ` (${verdict.proposeOnly.message})` : ""}; ${spell.end < to ? `${ending(spell)} ${seconds(spell.end - at)} later` : "it is still down"}`,
        });
        continue;
      }
      const held = { rule: verdict.blocking.rule, message: verdict.blocking.message };
      const known = blocks.get(spell);
      if (known) known.last = held;
      else blocks.set(spell, { first: { ...held, skip: verdict.verdict === "skip", cause }, last: held });
    }
  }
  for (const [spell, { first, last }] of blocks) {
    const later = last.rule !== first.rule ? `; later also ${last.rule}: ${last.message}` : "";
    const until = spell.end < to ? `until ${ending(spell)} ${seconds(spell.end - spell.dueAt)} later` : "to this day";
    decisions.push({
      node: spell.node,
      at: new Date(spell.dueAt).toISOString(),
      decision: first.skip ? "skipped" : "waited",
      rule: first.rule,
      message: first.skip
        ? `${first.cause}: left to a person: ${first.message}${later}`
        : `${first.cause}: would have waited ${until}: ${first.message}${later}`,
    });
  }
  decisions.sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.node.localeCompare(b.node));
  return { from: opts.from.toISOString(), to: opts.to.toISOString(), selectedNodes: selected.length, decisions, caveats };
}

/** With maintenance windows a repair may wait for one to open: look every minute of each pending spell too. */
function withMinutes(moments: number[], pending: readonly { dueAt: number; end: number }[]): number[] {
  const all = new Set(moments);
  for (const p of pending) for (let t = Math.ceil(p.dueAt / 60_000) * 60_000; t < p.end && all.size < 500_000; t += 60_000) all.add(t);
  return [...all].sort((a, b) => a - b);
}
