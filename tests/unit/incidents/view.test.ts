import { describe, expect, it } from "vitest";
import { formatDuration, renderPostmortem } from "@/lib/incidents/postmortem";
import { buildIncidentView, type TIncidentRows } from "@/lib/incidents/view";

const t0 = Date.parse("2026-12-01T10:00:00Z");
const at = (s: number) => new Date(t0 + s * 1000);

/** The seed incident as rows: late at 0, Unknown at 30, deleted at 90 by an admin, Redis whole at 100. */
const rows = (): TIncidentRows => ({
  incident: {
    id: 3,
    cluster: "c",
    openedAt: at(0),
    confirmedAt: at(30),
    firstActionAt: at(90),
    remediatedAt: at(90),
    recoveredAt: at(100),
    closedAt: at(100),
  },
  nodes: [
    {
      node: "w1",
      state: "Deleted",
      firstSignAt: at(0),
      lastHeartbeatAt: at(-12),
      confirmedAt: at(30),
      remediatedAt: at(90),
      deletedAt: at(91),
      backAt: null,
      returnedAt: null,
      labels: '{"topology.kubernetes.io/zone":"a","rack":"r1"}',
      transitionId: 10,
    },
  ],
  transitions: [
    { id: 10, node: "w1", fromState: "Ready", toState: "HeartbeatLate", reason: "", observedAt: at(0) },
    { id: 11, node: "w1", fromState: "HeartbeatLate", toState: "Unknown", reason: "", observedAt: at(30) },
    { id: 12, node: "w1", fromState: "Unknown", toState: "Deleted", reason: "", observedAt: at(91) },
  ],
  workloads: [
    {
      kind: "StatefulSet",
      namespace: "h",
      name: "redis",
      state: "whole",
      desired: 1,
      ready: 1,
      affectedAt: at(5),
      firstDegradedAt: at(40),
      wholeAt: at(100),
    },
    {
      kind: "Deployment",
      namespace: "k",
      name: "web",
      state: "whole",
      desired: 2,
      ready: 2,
      affectedAt: at(5),
      firstDegradedAt: null,
      wholeAt: null,
    },
  ],
  workloadTransitions: [
    {
      id: 1,
      kind: "StatefulSet",
      namespace: "h",
      name: "redis",
      fromState: "whole",
      toState: "down",
      desired: 1,
      ready: 0,
      observedAt: at(40),
    },
    {
      id: 2,
      kind: "StatefulSet",
      namespace: "h",
      name: "redis",
      fromState: "down",
      toState: "whole",
      desired: 1,
      ready: 1,
      observedAt: at(100),
    },
  ],
  decisions: [],
  actions: [
    {
      auditEventId: 77,
      actionId: "a1",
      action: "node.delete",
      node: "w1",
      outcome: "succeeded",
      actorKind: "user",
      actorName: "ops@example.com",
      actorRole: "admin",
      reason: "kubelet dead | off",
      at: at(90),
    },
  ],
  pods: [
    {
      namespace: "h",
      name: "redis-0",
      node: "w1",
      ownerKind: "StatefulSet",
      ownerName: "redis",
      deletionAt: at(40),
      stuckSeenAt: at(41),
      goneAt: at(92),
    },
  ],
});

describe("buildIncidentView", () => {
  const view = buildIncidentView(rows(), at(500));

  it("takes every phase from a row and names it", () => {
    expect(view.phases.map((p) => [p.phase, (Date.parse(p.at) - t0) / 1000, p.source.kind, p.source.id])).toEqual([
      ["first-sign", 0, "transition", 10],
      ["confirmed-dead", 30, "transition", 11],
      ["first-action", 90, "audit", 77],
      ["remediated", 90, "audit", 77],
      ["node-back", 91, "transition", 12],
      ["workload-whole", 100, "workload-transition", 2],
      ["closed", 100, "incident", 3],
    ]);
  });

  it("computes the figures as differences of those facts", () => {
    expect(view.figures).toMatchObject({
      timeToDetectMs: 12_000,
      timeToActMs: 60_000,
      timeToRemediateMs: 90_000,
      timeToRecoverMs: 100_000,
      durationMs: 100_000,
      workloadsAffected: 2,
      workloadsHit: 1,
      podsStuck: 1,
      podsStuckLongestMs: 52_000,
      actions: 1,
    });
    const redis = view.workloads.find((w) => w.name === "redis");
    expect(redis).toMatchObject({ downtimeMs: 60_000, downMs: 60_000 });
    expect(view.workloads.find((w) => w.name === "web")).toMatchObject({ downtimeMs: 0 });
  });

  it("draws one lane per node and workload, ending at the close", () => {
    const node = view.timeline.lanes.find((l) => l.key === "w1");
    expect(node?.spans.map((s) => s.state)).toEqual(["HeartbeatLate", "Unknown", "Deleted"]);
    expect(node?.spans.at(-1)?.to).toBe(at(100).toISOString());
    const redis = view.timeline.lanes.find((l) => l.key === "StatefulSet/h/redis");
    expect(redis?.spans.map((s) => [s.state, (Date.parse(s.from) - t0) / 1000])).toEqual([
      ["whole", 5],
      ["down", 40],
      ["whole", 100],
    ]);
  });

  it("tells what became of each stuck pod", () => {
    expect(view.pods[0]?.fate).toBe("removed with its node (deleted by ops@example.com)");
    const forced = rows();
    forced.actions.push({ ...forced.actions[0]!, auditEventId: 78, action: "pods.force-delete", actorName: "bob", at: at(85) });
    expect(buildIncidentView(forced, at(500)).pods[0]?.fate).toBe("force-deleted by bob");
    const open = rows();
    open.pods[0]!.goneAt = null;
    expect(buildIncidentView(open, at(500)).pods[0]?.fate).toBe("still Terminating");
  });

  it("an open incident runs to now; one node reports only its topology labels", () => {
    const open = rows();
    open.incident.closedAt = null;
    const v = buildIncidentView(open, at(500));
    expect(v.status).toBe("open");
    expect(v.figures.durationMs).toBe(500_000);
    expect(v.sharedLabels).toEqual({ "topology.kubernetes.io/zone": "a" });
  });
});

describe("renderPostmortem", () => {
  const md = renderPostmortem(buildIncidentView(rows(), at(500)), { baseUrl: "https://rescue.example.com/" });

  it("has the SRE headings, in order, with the root cause left for the author", () => {
    const headings = [...md.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    expect(headings).toEqual([
      "Summary",
      "Impact",
      "Detection",
      "Response and Resolution",
      "Timeline",
      "Root cause",
      "Action items",
      "Lessons learned",
    ]);
    expect(md).toContain("https://rescue.example.com/incidents/3");
    expect(md).toMatch(/_To be written by the author/);
  });

  it("is filled with the facts, actors and reasons, Markdown-escaped", () => {
    expect(md).toContain("| StatefulSet h/redis | whole | 1 | 1 | 1 min | 1 min |");
    expect(md).toContain('ops@example.com (admin) deleted the Node object of `w1`: succeeded; reason: "kubelet dead \\| off" (audit #77)');
    expect(md).toContain("Time to recover (first sign → every affected workload whole): 1 min 40 s");
    expect(md).toContain("`h/redis-0` on `w1`: stuck 52 s, removed with its node (deleted by ops@example.com)");
  });

  it("formats durations for people", () => {
    expect([null, 400, 59_600, 61_000, 3_600_000, 3_720_000, 3 * 86_400_000].map(formatDuration)).toEqual([
      "—",
      "0 s",
      "1 min",
      "1 min 1 s",
      "1 h",
      "1 h 2 min",
      "3 d 0 h",
    ]);
  });
});
