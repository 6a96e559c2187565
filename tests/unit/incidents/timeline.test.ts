// The incident timeline rendered to HTML (no browser): a 1,000-node storm draws at most MAX_LANES
// node lanes and says how many more there are, quickly; lanes, spans and markers carry their test
// hooks and accessible names.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { IncidentTimeline, MAX_LANES } from "@/components/incidents/timeline";
import { buildIncidentView, type TIncidentRows } from "@/lib/incidents/view";

const t0 = new Date("2026-12-01T10:00:00Z");
const at = (s: number) => new Date(t0.getTime() + s * 1000);

function storm(nodes: number): TIncidentRows {
  let id = 0;
  const names = Array.from({ length: nodes }, (_, i) => `node-${String(i).padStart(4, "0")}`);
  return {
    incident: {
      id: 7,
      cluster: "c",
      openedAt: at(0),
      confirmedAt: at(40),
      firstActionAt: at(100),
      remediatedAt: at(100),
      recoveredAt: at(200),
      closedAt: at(300),
    },
    nodes: names.map((node, i) => ({
      node,
      state: "Deleted",
      firstSignAt: at(i % 60),
      lastHeartbeatAt: at(-20),
      confirmedAt: at(40 + (i % 60)),
      remediatedAt: at(100),
      deletedAt: at(100),
      backAt: null,
      returnedAt: null,
      labels: JSON.stringify({ "topology.kubernetes.io/zone": "rack-a" }),
      transitionId: i * 3 + 1,
    })),
    transitions: names.flatMap((node, i) => [
      { id: ++id, node, fromState: "Ready", toState: "HeartbeatLate", reason: "", observedAt: at(i % 60) },
      { id: ++id, node, fromState: "HeartbeatLate", toState: "Unknown", reason: "", observedAt: at(40 + (i % 60)) },
      { id: ++id, node, fromState: "Unknown", toState: "Deleted", reason: "", observedAt: at(100) },
    ]),
    workloads: [
      {
        kind: "StatefulSet",
        namespace: "ns",
        name: "redis",
        state: "whole",
        desired: 1,
        ready: 1,
        affectedAt: at(0),
        firstDegradedAt: at(50),
        wholeAt: at(200),
      },
    ],
    workloadTransitions: [
      {
        id: 1,
        kind: "StatefulSet",
        namespace: "ns",
        name: "redis",
        fromState: null,
        toState: "whole",
        desired: 1,
        ready: 1,
        observedAt: at(0),
      },
      {
        id: 2,
        kind: "StatefulSet",
        namespace: "ns",
        name: "redis",
        fromState: "whole",
        toState: "down",
        desired: 1,
        ready: 0,
        observedAt: at(50),
      },
      {
        id: 3,
        kind: "StatefulSet",
        namespace: "ns",
        name: "redis",
        fromState: "down",
        toState: "whole",
        desired: 1,
        ready: 1,
        observedAt: at(200),
      },
    ],
    decisions: [],
    actions: [
      {
        auditEventId: 42,
        actionId: "a-1",
        action: "node.delete",
        node: "node-0000",
        outcome: "succeeded",
        actorKind: "user",
        actorName: "ops@example.com",
        actorRole: "admin",
        reason: "rack power lost",
        at: at(100),
      },
    ],
    pods: [],
  };
}

describe("IncidentTimeline", () => {
  it("draws a 1,000-node storm as the first 50 node lanes, the workload lanes and the markers, fast", () => {
    const view = buildIncidentView(storm(1_000), at(400));
    renderToStaticMarkup(createElement(IncidentTimeline, { view: buildIncidentView(storm(2), at(400)) })); // React's own warm-up
    const started = performance.now();
    const html = renderToStaticMarkup(createElement(IncidentTimeline, { view }));
    const ms = performance.now() - started;
    const nodeLanes = html.match(/data-testid="lane-node-\d+"/g) ?? [];
    expect(nodeLanes).toHaveLength(MAX_LANES);
    expect(html).toContain(`${1_000 - MAX_LANES} more nodes not drawn.`);
    expect(html).toContain('data-testid="lane-StatefulSet/ns/redis"');
    expect(html).toMatch(/data-testid="marker-action-42"[^>]*data-actor="ops@example.com" data-role="admin" data-reason="rack power lost"/);
    expect(html).toContain('href="/audit?actionId=a-1"');
    for (const phase of ["first-sign", "confirmed-dead", "first-action", "remediated", "workload-whole", "node-back", "closed"])
      expect(html).toContain(`data-testid="marker-phase-${phase}"`);
    // 1,000 nodes deleted at one instant: one "node back" marker that counts them.
    expect(html.match(/data-testid="marker-phase-node-back"/g)).toHaveLength(1);
    expect(html).toContain('data-count="1000"');
    expect(html).toContain('aria-label="StatefulSet ns/redis: whole → down → whole"');
    // Without the caps this took 0.5–6 s here (1,000 phase markers); with them about 30 ms.
    expect(ms).toBeLessThan(250);
  });

  it("draws every lane of a small incident, spans in order", () => {
    const view = buildIncidentView(storm(2), at(400));
    const html = renderToStaticMarkup(createElement(IncidentTimeline, { view }));
    const lane = html.slice(html.indexOf('data-testid="lane-node-0000"'), html.indexOf('data-testid="lane-node-0001"'));
    expect([...lane.matchAll(/data-state="(\w+)"/g)].map((m) => m[1])).toEqual(["HeartbeatLate", "Unknown", "Deleted"]);
    expect(html).not.toContain("more nodes not drawn");
  });
});
