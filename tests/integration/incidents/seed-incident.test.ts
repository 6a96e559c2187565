// Incidents on the seed lab, end to end: kubelet stop → delete node through the API → Redis
// Running on another worker → kubelet start is exactly one incident, whose every phase and figure
// is checked against the rows it was taken from; a restart mid-incident keeps it and adds nothing;
// two workers stopped together are one incident with two nodes; a real Prometheus scrapes /metrics
// throughout and reports what the database holds.
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type TDb } from "@/lib/db";
import type { TIncidentPage } from "@/lib/incidents/list";
import type { TIncidentView } from "@/lib/incidents/view";
import type { TNodesView } from "@/lib/views/nodes";
import { kubeletStart, kubeletStop } from "@/scripts/lab/lab";
import { SEED_VICTIM } from "@/scripts/lab/scenarios/seed";
import { createTestToken, startTestApp, type TTestApp, testDatabase } from "../../helpers/app";
import { startTestLab } from "../../helpers/lab";
import { startPrometheus } from "../../helpers/prometheus";
import { waitUntil } from "../../helpers/wait";

const REDIS = { namespace: "harbor-registry", pod: "harbor-registry-redis-master-0", statefulSet: "harbor-registry-redis-master" };

describe("incidents on the seed lab", () => {
  let lab: Awaited<ReturnType<typeof startTestLab>>;
  let app: TTestApp;
  let db: TDb;
  let database: Awaited<ReturnType<typeof testDatabase>>;
  let core: CoreV1Api;
  let incidentId = 0;
  let prometheus: Awaited<ReturnType<typeof startPrometheus>>;

  const incidents = (query = "") => app.getJson<TIncidentPage>(`/api/incidents?suspicions=include${query}`);
  const incident = (id: number) => app.getJson<TIncidentView>(`/api/incidents/${id}`);
  const start = () =>
    startTestApp({ kubeconfig: lab.kubeconfig, databaseUrl: database.url, env: { NODE_RESCUE_DEAD_AFTER_SECONDS: "5" }, port: app?.port });

  beforeAll(async () => {
    lab = await startTestLab({ scenario: "seed" });
    database = await testDatabase();
    db = createDb(database.url);
    app = await start();
    const kc = new KubeConfig();
    kc.loadFromFile(lab.kubeconfig);
    core = kc.makeApiClient(CoreV1Api);
    // A viewer's token: metrics.read is a viewer's permission.
    prometheus = await startPrometheus({ target: new URL(app.url).host, token: await createTestToken(database.url, "viewer") });
    await waitUntil(
      "six Ready nodes",
      async () => (await app.getJson<TNodesView>("/api/nodes")).nodes.filter((n) => n.state === "Ready").length === 6,
      60_000,
    );
  });
  afterAll(async () => {
    await prometheus?.stop();
    await app?.stop();
    await db?.$disconnect();
    await lab?.down();
  });

  it("a healthy cluster has no incident", async () => {
    expect((await incidents()).items).toEqual([]);
  });

  it("kubelet stop opens one incident at the first sign and confirms it when the node is Unknown", async () => {
    kubeletStop(SEED_VICTIM, { dir: lab.dir });
    // On a busy machine another node's heartbeat may blip meanwhile: follow the victim's incident.
    const opened = await waitUntil("an open incident", async () => (await incidents(`&status=open&node=${SEED_VICTIM}`)).items[0], 60_000);
    incidentId = opened.id;
    expect(opened.nodes).toContain(SEED_VICTIM);
    const confirmed = await waitUntil(
      "confirmed dead",
      async () => {
        const v = await incident(incidentId);
        return v.phases.some((p) => p.phase === "confirmed-dead") ? v : null;
      },
      60_000,
    );
    const rows = await db.nodeTransition.findMany({ where: { node: SEED_VICTIM }, orderBy: { seq: "asc" } });
    const late = rows.find((r) => r.toState === "HeartbeatLate");
    const dead = rows.find((r) => r.toState === "Unknown" || r.toState === "NotReady");
    expect(confirmed.openedAt).toBe(late?.observedAt.toISOString());
    expect(confirmed.phases.find((p) => p.phase === "first-sign")).toMatchObject({
      at: late?.observedAt.toISOString(),
      source: { kind: "transition", id: late?.id },
    });
    expect(confirmed.phases.find((p) => p.phase === "confirmed-dead")).toMatchObject({
      at: dead?.observedAt.toISOString(),
      source: { id: dead?.id },
    });
    expect(confirmed.suspicion).toBe(false);
    // Detection: the kubelet's last heartbeat (its Lease renewTime) → our first sign.
    const member = confirmed.nodes[0];
    expect(member?.lastHeartbeatAt).toBeTruthy();
    expect(confirmed.figures.timeToDetectMs).toBe(Date.parse(member?.firstSignAt ?? "") - Date.parse(member?.lastHeartbeatAt ?? ""));
    expect(confirmed.figures.timeToDetectMs).toBeGreaterThan(0);
    // The seed victim sits in rack-a: alone, it reports only its topology labels as shared (a node
    // whose heartbeat blipped in the same window would have joined, sharing less).
    if (confirmed.nodes.length === 1) expect(confirmed.sharedLabels).toEqual({ "topology.kubernetes.io/zone": "rack-a" });
    else expect(confirmed.sharedLabels["topology.kubernetes.io/zone"] ?? "rack-a").toBe("rack-a");
  });

  it("follows the Redis StatefulSet down and its pod stuck Terminating", async () => {
    const view = await waitUntil(
      "Redis down and its pod stuck",
      async () => {
        const v = await incident(incidentId);
        const redis = v.workloads.find((w) => w.kind === "StatefulSet" && w.name === REDIS.statefulSet);
        return redis?.state === "down" && v.pods.some((p) => p.name === REDIS.pod) ? v : null;
      },
      120_000,
    );
    const redisPod = view.pods.find((p) => p.name === REDIS.pod);
    expect(redisPod).toMatchObject({
      node: SEED_VICTIM,
      owner: { kind: "StatefulSet", name: REDIS.statefulSet },
      goneAt: null,
      fate: "still Terminating",
    });
    expect(view.timeline.lanes.map((l) => l.key)).toEqual(
      expect.arrayContaining([SEED_VICTIM, `StatefulSet/${REDIS.namespace}/${REDIS.statefulSet}`]),
    );
  });

  it("a dashboard restart mid-incident keeps the same incident and adds no duplicate", async () => {
    const workloadRows = () => db.workloadTransition.findMany({ orderBy: { id: "asc" } });
    const before = {
      incidents: await db.incident.findMany({ select: { id: true, openedAt: true, confirmedAt: true } }),
      members: await db.incidentNode.findMany({ select: { incidentId: true, node: true, firstSignAt: true, transitionId: true } }),
      events: await db.incidentEvent.findMany({ orderBy: { id: "asc" } }),
      workloadRows: await workloadRows(),
    };
    await app.stop();
    app = await start();
    await waitUntil("reconnected", async () => (await app.getJson<TNodesView>("/api/nodes")).connection.status === "connected", 30_000);
    await new Promise((r) => setTimeout(r, 4_000)); // several evaluations after the restart
    // The same incident, the same members; every row written before is still there, unchanged, and
    // nothing the restart replayed announced the incident again.
    const after = await db.incident.findMany({ select: { id: true, openedAt: true, confirmedAt: true } });
    expect(after.slice(0, before.incidents.length)).toEqual(before.incidents);
    const members = await db.incidentNode.findMany({ select: { incidentId: true, node: true, firstSignAt: true, transitionId: true } });
    expect(members.filter((m) => m.incidentId === incidentId)).toEqual(before.members.filter((m) => m.incidentId === incidentId));
    const events = await db.incidentEvent.findMany({ orderBy: { id: "asc" } });
    expect(events.slice(0, before.events.length)).toEqual(before.events);
    const replayed = events.slice(before.events.length).filter((e) => e.incidentId === incidentId);
    expect(replayed.filter((e) => e.type === "incident.opened" || e.type === "node.dead")).toEqual([]);
    // Workloads were still recovering (Deployments' replacements starting), so rows may be added —
    // but only real changes: per workload, seq runs 1, 2, 3 … and each row starts where the last ended.
    const rows = await workloadRows();
    expect(rows.slice(0, before.workloadRows.length)).toEqual(before.workloadRows);
    const byWorkload = new Map<string, typeof rows>();
    for (const r of rows)
      byWorkload.set(`${r.kind}/${r.namespace}/${r.name}`, [...(byWorkload.get(`${r.kind}/${r.namespace}/${r.name}`) ?? []), r]);
    for (const [key, chain] of byWorkload) {
      expect(
        chain.map((r) => r.seq),
        key,
      ).toEqual(chain.map((_, i) => i + 1));
      chain.forEach((r, i) => {
        expect(r.fromState, `${key} #${r.seq}`).toBe(i === 0 ? null : chain[i - 1]?.toState);
        expect(r.toState, `${key} #${r.seq}`).not.toBe(r.fromState);
      });
    }
  });

  it("delete node (admin) → Redis Running on another worker → the incident closes with every phase", async () => {
    const res = await waitUntil(
      "delete-node accepted",
      async () => {
        const r = await app.fetch(`/api/nodes/${SEED_VICTIM}/actions/delete`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ confirm: SEED_VICTIM, reason: "kubelet dead, node confirmed off" }),
        });
        return r.status === 200 ? r.json() : null;
      },
      60_000,
      1_000,
    );
    expect(res.outcome).toBe("succeeded");
    const pod = await waitUntil(
      "Redis Running elsewhere",
      async () => {
        const p = await core.readNamespacedPod({ namespace: REDIS.namespace, name: REDIS.pod }).catch(() => null);
        return p?.status?.phase === "Running" && p.spec?.nodeName !== SEED_VICTIM ? p : null;
      },
      180_000,
      500,
    );
    expect(pod.spec?.nodeName).toMatch(/^acp-worker0[23]$/);

    const view = await waitUntil(
      "incident closed",
      async () => {
        const v = await incident(incidentId);
        return v.status === "closed" ? v : null;
      },
      60_000,
    );
    const audit = await db.auditEvent.findFirstOrThrow({ where: { actionId: res.actionId, phase: "outcome" } });
    // The orphans were finished by the action itself (uid precondition), not left to pod GC.
    expect(JSON.parse(audit.results ?? "[]")).toContainEqual(
      expect.objectContaining({ pod: `${REDIS.namespace}/${REDIS.pod}`, result: expect.stringMatching(/^(force-deleted|gone)$/) }),
    );
    expect(audit.message).toMatch(/finished at once/);
    const deleted = await db.nodeTransition.findFirstOrThrow({ where: { node: SEED_VICTIM, toState: "Deleted" } });
    const redisRows = await db.workloadTransition.findMany({ where: { incidentId, name: REDIS.statefulSet }, orderBy: { seq: "asc" } });
    const whole = redisRows.at(-1);
    expect(whole?.toState).toBe("whole");
    const phase = (name: string) => view.phases.filter((p) => p.phase === name);
    expect(phase("first-action")[0]).toMatchObject({ at: audit.at.toISOString(), source: { kind: "audit", id: audit.id } });
    expect(phase("remediated")[0]).toMatchObject({ at: audit.at.toISOString(), node: SEED_VICTIM });
    expect(phase("node-back")[0]).toMatchObject({ at: deleted.observedAt.toISOString(), source: { kind: "transition", id: deleted.id } });
    expect(phase("workload-whole").find((p) => p.workload === `StatefulSet/${REDIS.namespace}/${REDIS.statefulSet}`)).toMatchObject({
      at: whole?.observedAt.toISOString(),
      source: { kind: "workload-transition", id: whole?.id },
    });
    const stored = await db.incident.findUniqueOrThrow({ where: { id: incidentId } });
    const wholeTimes = (await db.incidentWorkload.findMany({ where: { incidentId, firstDegradedAt: { not: null } } })).map(
      (w) => w.wholeAt?.getTime() ?? 0,
    );
    expect(stored.recoveredAt?.getTime()).toBe(Math.max(...wholeTimes));
    expect(stored.closedAt?.getTime()).toBeGreaterThanOrEqual(stored.recoveredAt?.getTime() ?? 0);
    expect(phase("closed")[0]?.at).toBe(stored.closedAt?.toISOString());

    // Figures are differences of those facts.
    expect(view.figures.timeToActMs).toBe(audit.at.getTime() - (stored.confirmedAt?.getTime() ?? 0));
    expect(view.figures.timeToRemediateMs).toBe(audit.at.getTime() - stored.openedAt.getTime());
    expect(view.figures.timeToRecoverMs).toBe((stored.recoveredAt?.getTime() ?? 0) - stored.openedAt.getTime());
    const redis = view.workloads.find((w) => w.name === REDIS.statefulSet);
    const firstDown = redisRows.find((r) => r.toState === "down");
    expect(redis?.downMs).toBe((whole?.observedAt.getTime() ?? 0) - (firstDown?.observedAt.getTime() ?? 0));
    expect(view.actions).toEqual([
      expect.objectContaining({
        action: "node.delete",
        outcome: "succeeded",
        actor: expect.objectContaining({ kind: "token", role: "admin" }),
        reason: "kubelet dead, node confirmed off",
      }),
    ]);
    expect(view.pods.find((p) => p.name === REDIS.pod)?.fate).toMatch(/removed with its node/);

    const events = await db.incidentEvent.findMany({ where: { incidentId }, orderBy: { id: "asc" } });
    expect(events[0]?.type).toBe("incident.opened");
    expect(events.at(-1)?.type).toBe("incident.closed");
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(["node.dead", "action.taken", "workload.recovered"]));
  });

  it("kubelet start: the node returns to a closed incident, and no second incident opens", async () => {
    kubeletStart(SEED_VICTIM, { dir: lab.dir });
    const member = await waitUntil(
      "returnedAt",
      async () => {
        const m = await db.incidentNode.findFirst({ where: { incidentId, node: SEED_VICTIM } });
        return m?.returnedAt ? m : null;
      },
      90_000,
    );
    // The first Ready since the deletion (a re-registered node may report NotReady first).
    const deleted = await db.nodeTransition.findFirstOrThrow({ where: { node: SEED_VICTIM, toState: "Deleted" } });
    const ready = await db.nodeTransition.findFirstOrThrow({
      where: { node: SEED_VICTIM, toState: "Ready", id: { gt: deleted.id } },
      orderBy: { id: "asc" },
    });
    expect(member.returnedAt?.toISOString()).toBe(ready.observedAt.toISOString());
    await new Promise((r) => setTimeout(r, 3_000));
    expect((await incidents(`&node=${SEED_VICTIM}`)).items.map((i) => i.id)).toEqual([incidentId]);
  });

  it("exports a Markdown postmortem draft and JSON", async () => {
    const md = await app.fetch(`/api/incidents/${incidentId}/export?format=md`);
    expect(md.headers.get("content-type")).toMatch(/text\/markdown/);
    expect(md.headers.get("content-disposition")).toBe(`attachment; filename="incident-${incidentId}.md"`);
    const text = await md.text();
    for (const heading of [
      "Summary",
      "Impact",
      "Detection",
      "Response and Resolution",
      "Timeline",
      "Root cause",
      "Action items",
      "Lessons learned",
    ])
      expect(text).toContain(`## ${heading}`);
    expect(text).toContain(SEED_VICTIM);
    expect(text).toContain("kubelet dead, node confirmed off");
    expect(text).toContain(`StatefulSet ${REDIS.namespace}/${REDIS.statefulSet}`);
    const json = await (await app.fetch(`/api/incidents/${incidentId}/export?format=json`)).json();
    expect(json.id).toBe(incidentId);
    expect(json.phases.map((p: { phase: string }) => p.phase)).toEqual((await incident(incidentId)).phases.map((p) => p.phase));
    expect((await app.fetch(`/api/incidents/${incidentId}/export?format=pdf`)).status).toBe(400);
    expect((await app.fetch("/api/incidents/999999")).status).toBe(404);
    expect((await app.fetch("/api/incidents/abc")).status).toBe(400);
  });

  it("two workers stopped within the window are one incident with two nodes", async () => {
    await waitUntil(
      "acp-worker01 Ready",
      async () => (await app.getJson<TNodesView>("/api/nodes")).nodes.find((n) => n.name === SEED_VICTIM)?.state === "Ready",
      60_000,
    );
    kubeletStop("acp-worker02", { dir: lab.dir });
    kubeletStop("acp-worker03", { dir: lab.dir });
    const both = await waitUntil(
      "one incident with both workers",
      async () => {
        const [w2] = (await incidents("&status=open&node=acp-worker02")).items;
        const [w3] = (await incidents("&status=open&node=acp-worker03")).items;
        return w2 && w2.id === w3?.id ? w2 : null;
      },
      60_000,
    );
    expect(both.nodes).toEqual(expect.arrayContaining(["acp-worker02", "acp-worker03"]));
    await waitUntil(
      "both confirmed dead",
      async () => (await db.incidentNode.count({ where: { incidentId: both.id, confirmedAt: { not: null } } })) === 2,
      60_000,
    );
    kubeletStart("acp-worker02", { dir: lab.dir });
    kubeletStart("acp-worker03", { dir: lab.dir });
    const closed = await waitUntil(
      "closed after both returned",
      async () => {
        const v = await incident(both.id);
        return v.status === "closed" ? v : null;
      },
      120_000,
    );
    expect(
      closed.nodes
        .filter((n) => n.node.startsWith("acp-worker0") && n.node !== SEED_VICTIM)
        .map((n) => [n.node, n.state, Boolean(n.backAt)])
        // Members are listed by first sign; the two were stopped together, either may be first.
        .sort(([a], [b]) => String(a).localeCompare(String(b))),
    ).toEqual([
      ["acp-worker02", "Ready", true],
      ["acp-worker03", "Ready", true],
    ]);
    expect((await incidents("&node=acp-worker02")).items.map((i) => i.id)).toEqual([both.id]);
    expect((await incidents(`&node=acp-worker03`)).items.map((i) => i.id)).toEqual([both.id]);
    expect((await incidents(`&actions=with`)).items.map((i) => i.id)).toEqual([incidentId]);
    expect((await incidents(`&workload=${REDIS.statefulSet}`)).items.map((i) => i.id)).toContain(incidentId);
  });

  it("Prometheus scraped /metrics all along and holds what the database holds", async () => {
    const anonymous = await fetch(`${app.url}/metrics`, { redirect: "manual" });
    expect(anonymous.status).toBe(401);
    // From the database (a blip on a busy machine may have added a suspicion).
    const closed = await db.incident.findMany({ where: { closedAt: { not: null } } });
    const hit = closed.filter((i) => i.workloadsHit > 0 && i.recoveredAt);
    const firstMembers = await Promise.all(
      closed.map((i) => db.incidentNode.findFirst({ where: { incidentId: i.id }, orderBy: { firstSignAt: "asc" } })),
    );
    const expected: Record<string, number> = {
      node_rescue_incidents_total: await db.incident.count(),
      node_rescue_open_incidents: await db.incident.count({ where: { closedAt: null } }),
      'node_rescue_nodes{state="Ready"}': 6,
      'node_rescue_actions_total{action="node.delete",outcome="succeeded"}': 1,
      node_rescue_incident_time_to_recover_seconds_count: hit.length,
      node_rescue_incident_time_to_detect_seconds_count: firstMembers.filter((m) => m?.lastHeartbeatAt).length,
      node_rescue_cluster_connected: 1,
    };
    for (const [expr, want] of Object.entries(expected)) {
      await waitUntil(`${expr} = ${want} in Prometheus`, async () => (await prometheus.value(expr)) === want, 30_000, 500);
    }
    const sum = hit.reduce((s, i) => s + ((i.recoveredAt?.getTime() ?? 0) - i.openedAt.getTime()) / 1000, 0);
    expect(await prometheus.value("node_rescue_incident_time_to_recover_seconds_sum")).toBeCloseTo(sum, 3);
    expect(await prometheus.value('node_rescue_event_loop_delay_seconds{quantile="0.99"}')).toBeGreaterThanOrEqual(0);
    expect((await prometheus.targetHealth())?.health).toBe("up");
  });
});
