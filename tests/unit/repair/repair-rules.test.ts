// The pure parts of auto-repair: criteria, maintenance windows, safety rules, the storm breaker
// and the ladder's step plan.
import { describe, expect, it } from "vitest";
import { evaluateNode } from "@/lib/health";
import { type TPolicyInput, ZPolicy } from "@/lib/policies/schema";
import { describeMatch, qualify } from "@/lib/repair/criteria";
import { planStep } from "@/lib/repair/ladder";
import { DEFAULT_SAFETY_SETTINGS, evaluateSafety, safetyVerdict, stormVerdict, type TSafetyInput } from "@/lib/repair/safety";
import { inWindow, openWindow } from "@/lib/repair/windows";
import { ago, condition, MINUTE, makeLease, makeNode, NOW, SECOND } from "../health/fixtures";

const policy = (input: Partial<TPolicyInput> = {}) => ZPolicy.parse({ name: "workers", ...input });
const health = (opts: Parameters<typeof makeNode>[0] = {}, leaseAgoMs = 2 * SECOND) => {
  const object = makeNode(opts);
  const lease = makeLease({ name: object.metadata?.name, renewedAgoMs: leaseAgoMs });
  return { object, health: evaluateNode({ node: object, lease, now: NOW }) };
};

describe("qualify", () => {
  it("meets Ready=Unknown after forSeconds, is pending before", () => {
    const dead = health({ ready: "Unknown", readySince: ago(11 * MINUTE) }, 11 * MINUTE);
    const q = qualify(policy(), dead.health, dead.object, NOW);
    expect(q?.met).toBe(true);
    // The longest-overdue criterion: Heartbeat silent 11 min and Ready Unknown 11 min are both 1 min over.
    if (q?.met) expect(describeMatch(q.match)).toMatch(/^(Ready=Unknown|Heartbeat=Stale) for 660 s \(policy: ≥ 600 s\)$/);

    const early = health({ ready: "Unknown", readySince: ago(2 * MINUTE) }, 2 * MINUTE);
    const p = qualify(policy(), early.health, early.object, NOW);
    expect(p).toMatchObject({ met: false });
    if (p && !p.met) expect(p.dueAt).toBe(new Date(ago(2 * MINUTE).getTime() + 600_000).toISOString());
  });

  it("a Ready node with a fresh heartbeat meets nothing", () => {
    const ok = health();
    expect(qualify(policy(), ok.health, ok.object, NOW)).toBeNull();
  });

  it("any node condition counts, such as node-problem-detector's", () => {
    const sick = health({ conditions: [condition("KernelDeadlock", "True", { lastTransitionTime: ago(5 * MINUTE) })] });
    const p = policy({ criteria: [{ type: "KernelDeadlock", status: ["True"], forSeconds: 120 }] });
    const q = qualify(p, sick.health, sick.object, NOW);
    expect(q?.met && describeMatch(q.match)).toBe("KernelDeadlock=True for 300 s (policy: ≥ 120 s)");
  });

  it("a stale heartbeat counts from the last renewal, only once it is late", () => {
    const p = policy({ criteria: [{ type: "Heartbeat", status: ["Stale"], forSeconds: 60 }] });
    const silent = health({}, 90 * SECOND);
    const q = qualify(p, silent.health, silent.object, NOW);
    expect(q?.met && q.match.forMs).toBe(90_000);
    const fresh = health({}, 5 * SECOND);
    expect(qualify(p, fresh.health, fresh.object, NOW)).toBeNull();
  });
});

describe("maintenance windows", () => {
  const w = (start: string, end: string, days?: string[], timeZone = "UTC") =>
    ZPolicy.parse({ name: "x", maintenanceWindows: [{ start, end, timeZone, ...(days ? { days } : {}) }] }).maintenanceWindows[0]!;
  it("is open inside, closed outside, in the window's own time zone", () => {
    // NOW is Saturday 2025-03-01 12:00 UTC = 13:00 in Berlin.
    expect(inWindow(w("11:00", "13:00"), NOW)).toBe(true);
    expect(inWindow(w("12:30", "13:00"), NOW)).toBe(false);
    expect(inWindow(w("12:30", "13:30", undefined, "Europe/Berlin"), NOW)).toBe(true);
    expect(inWindow(w("11:00", "13:00", ["Mon"]), NOW)).toBe(false);
  });
  it("a window across midnight belongs to the day it starts on", () => {
    const friNight = w("22:00", "14:00", ["Fri"]);
    expect(inWindow(friNight, NOW)).toBe(true);
    expect(inWindow(w("22:00", "06:00", ["Sat"]), NOW)).toBe(false);
  });
  it("no windows: always open", () => {
    expect(openWindow([], NOW)).toBe(true);
  });
});

describe("safety rules", () => {
  const workers = ["w1", "w2", "w3"].map((name) => health({ name }));
  const dead = (name: string) => health({ name, ready: "Unknown", readySince: ago(20 * MINUTE) }, 20 * MINUTE);
  const input = (over: Partial<TSafetyInput> = {}, deadNames = ["w1"]): TSafetyInput => {
    const nodes = workers.map((n) => (deadNames.includes(n.health.name) ? dead(n.health.name) : n));
    return {
      policy: policy({ mode: "act" }),
      node: nodes[0]!.health,
      labels: {},
      annotations: {},
      nodes: nodes.map((n) => ({ health: n.health, labels: n.object.metadata?.labels ?? {} })),
      selected: nodes.map((n) => n.health),
      control: { paused: false, pausedReason: null, pausedBy: null, breakerTrippedAt: null, breakerReason: null },
      connectionProblem: null,
      hold: null,
      otherTool: null,
      acting: 0,
      actedLastHour: 0,
      started: false,
      settings: DEFAULT_SAFETY_SETTINGS,
      now: NOW,
      ...over,
    };
  };
  const verdictOf = (i: TSafetyInput) => safetyVerdict(evaluateSafety(i));

  it("one dead worker of three: go", () => {
    expect(verdictOf(input())).toMatchObject({ verdict: "go", proposeOnly: null });
  });
  it("two of three dead: the budget defers, and says so", () => {
    const v = verdictOf(input({}, ["w1", "w2"]));
    expect(v.verdict).toBe("defer");
    if (v.verdict !== "go") expect(v.blocking.message).toBe("1 of 3 selected nodes healthy (33 %; the policy needs at least 51 %)");
  });
  it("pause and a tripped breaker defer everything; the first reason wins", () => {
    const v = verdictOf(
      input({
        control: { paused: true, pausedReason: "change freeze", pausedBy: "ops", breakerTrippedAt: NOW, breakerReason: "storm" },
      }),
    );
    expect(v).toMatchObject({ verdict: "defer", blocking: { rule: "paused", message: "auto-repair is paused by ops: change freeze" } });
    const b = verdictOf(input({ control: { ...input().control, breakerTrippedAt: NOW, breakerReason: "4 of 6" } }));
    expect(b).toMatchObject({ verdict: "defer", blocking: { rule: "storm-breaker" } });
  });
  it("an excluded node, a flapping one and one another tool repairs are skipped", () => {
    expect(verdictOf(input({ labels: { "node-rescue.dev/exclude": "true" } }))).toMatchObject({
      verdict: "skip",
      blocking: { rule: "excluded" },
    });
    expect(verdictOf(input({ hold: { kind: "flapping", reason: "3 incidents in 24 h" } }))).toMatchObject({
      verdict: "skip",
      blocking: { rule: "flapping" },
    });
    expect(verdictOf(input({ otherTool: "medik8s lease medik8s-leases/node-w1 held by NodeHealthCheck" }))).toMatchObject({
      verdict: "skip",
      blocking: { rule: "other-tool" },
    });
  });
  it("closed windows, an unstable connection, the rate limit and concurrency defer", () => {
    const closed = input({ policy: policy({ maintenanceWindows: [{ start: "01:00", end: "02:00", timeZone: "UTC" }] }) });
    expect(verdictOf(closed)).toMatchObject({ verdict: "defer", blocking: { rule: "window" } });
    expect(verdictOf(input({ connectionProblem: "reconnected 2× in 10 min" }))).toMatchObject({ blocking: { rule: "connection" } });
    expect(verdictOf(input({ actedLastHour: 3 }))).toMatchObject({ blocking: { rule: "rate-limit" } });
    expect(verdictOf(input({ acting: 1 }))).toMatchObject({ blocking: { rule: "concurrency" } });
    // A repair under way is not held back by the limits it already counted in.
    expect(verdictOf(input({ acting: 1, actedLastHour: 3, started: true }))).toMatchObject({ verdict: "go" });
  });
  it("a whole failure domain down is a partition: propose only", () => {
    const zone = { "topology.kubernetes.io/zone": "a" };
    const base = input({}, ["w1", "w2"]);
    const v = verdictOf({
      ...base,
      policy: policy({ mode: "act", minHealthyPercent: 0 }),
      labels: zone,
      nodes: base.nodes.map((n) => (n.health.name === "w3" ? n : { ...n, labels: zone })),
    });
    expect(v).toMatchObject({ verdict: "go", proposeOnly: { rule: "partition" } });
  });
});

describe("storm breaker", () => {
  const nodes = (deadNow: number, deadLongAgo = 0) =>
    Array.from({ length: 10 }, (_, i) => {
      const name = `n${i}`;
      if (i < deadNow) return health({ name, ready: "Unknown", readySince: ago(MINUTE) }, MINUTE).health;
      if (i < deadNow + deadLongAgo) return health({ name, ready: "Unknown", readySince: ago(60 * MINUTE) }, 60 * MINUTE).health;
      return health({ name }).health;
    });
  it("trips past 30 % gone unhealthy within 5 minutes, not at 30 %", () => {
    expect(stormVerdict(nodes(3), DEFAULT_SAFETY_SETTINGS, NOW).trip).toBe(false);
    const v = stormVerdict(nodes(4), DEFAULT_SAFETY_SETTINGS, NOW);
    expect(v).toEqual({ trip: true, message: "4 of 10 nodes (40 %) went unhealthy within 5 min (limit 30 %): n0, n1, n2, n3" });
  });
  it("old deaths are not a storm", () => {
    expect(stormVerdict(nodes(1, 5), DEFAULT_SAFETY_SETTINGS, NOW).trip).toBe(false);
  });
});

describe("planStep", () => {
  const facts = { present: true, cordoned: false, terminatingPods: 2, taintKeys: [], serverVersion: "v1.20.2" };
  const ladder = policy().ladder;
  it("runs each step, passes over the ones with nothing to do", () => {
    expect(planStep(ladder, 0, facts)).toEqual({ kind: "run", index: 0, action: "node.cordon", timeoutSeconds: 60, note: null });
    expect(planStep(ladder, 0, { ...facts, cordoned: true })).toMatchObject({ kind: "pass", message: "the node is cordoned already" });
    expect(planStep(ladder, 1, { ...facts, terminatingPods: 0 })).toMatchObject({ kind: "pass", action: "pods.force-delete" });
    expect(planStep(ladder, 3, facts)).toEqual({ kind: "done" });
  });
  it("out-of-service becomes node.delete before 1.26, and runs as itself after", () => {
    expect(planStep(ladder, 2, facts)).toMatchObject({
      kind: "run",
      action: "node.delete",
      note: expect.stringContaining("node.delete instead"),
    });
    expect(planStep(ladder, 2, { ...facts, serverVersion: "v1.34.1" })).toMatchObject({ kind: "run", action: "node.out-of-service.apply" });
    const withDelete = policy({
      ladder: [
        { action: "node.out-of-service.apply", timeoutSeconds: 10 },
        { action: "node.delete", timeoutSeconds: 10 },
      ],
    }).ladder;
    expect(planStep(withDelete, 0, facts)).toMatchObject({ kind: "pass", message: expect.stringContaining("deletes the node next") });
  });
  it("a node already gone has nothing left", () => {
    expect(planStep(ladder, 1, { ...facts, present: false })).toMatchObject({ kind: "pass", message: expect.stringContaining("gone") });
  });
});
