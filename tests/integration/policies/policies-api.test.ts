// Repair policies through the real server on the seed lab (three masters, three workers): viewers
// get nothing, operators may read, only admins change them, and every refused change is audited;
// bodies are validated with messages that name the field; a create → get → put → delete round trip
// stores the whole document and audits each change with its diff, a PUT of what GET returned being
// "no change"; and each policy's selectedNodes is counted on the lab's real nodes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type TDb } from "@/lib/db";
import type { TPolicyList } from "@/lib/policies/list-policies";
import type { TPolicy } from "@/lib/policies/schema";
import type { TNodesView } from "@/lib/views/nodes";
import { createTestToken, startTestApp, type TTestApp, testDatabase } from "../../helpers/app";
import { startTestLab } from "../../helpers/lab";
import { waitUntil } from "../../helpers/wait";

const CLUSTER = "policies-lab";
const STEPS = "a ladder step is one of node.cordon, node.drain, pods.force-delete, node.out-of-service.apply, node.delete";

/** What the server must store for `{ name, selector: worker }`: every default filled in. */
const WORKERS = {
  name: "workers-default",
  description: "",
  mode: "propose",
  enabled: false,
  selector: { matchLabels: { "node-role.kubernetes.io/worker": "" }, matchExpressions: [] },
  includeControlPlane: false,
  criteria: [
    { type: "Ready", status: ["False", "Unknown"], forSeconds: 600 },
    { type: "Heartbeat", status: ["Stale"], forSeconds: 600 },
    { type: "DiskPressure", status: ["True"], forSeconds: 1800 },
  ],
  ladder: [
    { action: "node.cordon", timeoutSeconds: 60 },
    { action: "pods.force-delete", timeoutSeconds: 120 },
    { action: "node.out-of-service.apply", timeoutSeconds: 300 },
  ],
  minHealthyPercent: 51,
  maxRepairsPerHour: 3,
  maxConcurrent: 1,
  maintenanceWindows: [],
  quarantineSeconds: 600,
  flapping: { incidents: 3, withinSeconds: 86400 },
};

describe("repair policies API on the seed lab", () => {
  let lab: Awaited<ReturnType<typeof startTestLab>>;
  let app: TTestApp;
  let db: TDb;
  let database: Awaited<ReturnType<typeof testDatabase>>;

  const call = (method: string, path: string, body?: unknown, token?: string) =>
    app.fetch(path, {
      method,
      headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
  const create = async (body: Record<string, unknown>) => {
    const res = await call("POST", "/api/policies", body);
    expect(res.status, await res.clone().text()).toBe(201);
    const id = Number(/^\/api\/policies\/(\d+)$/.exec(res.headers.get("location") ?? "")?.[1]);
    expect(id).toBeGreaterThan(0);
    return { id, policy: (await res.json()) as TPolicy };
  };
  /** The 400/404/409 message of a refused change. */
  const refusal = async (res: Response, status: number) => {
    const text = await res.text();
    expect(res.status, text).toBe(status);
    return JSON.parse(text).error.message as string;
  };
  const audits = (where: Record<string, unknown> = {}) =>
    db.auditEvent.findMany({ where: { action: { startsWith: "policies." }, ...where }, orderBy: { id: "asc" } });
  const lastAudit = async () => (await audits()).at(-1);

  beforeAll(async () => {
    lab = await startTestLab({ scenario: "seed" });
    database = await testDatabase();
    db = createDb(database.url);
    app = await startTestApp({ kubeconfig: lab.kubeconfig, databaseUrl: database.url, cluster: CLUSTER });
    await waitUntil("six nodes", async () => (await app.getJson<TNodesView>("/api/nodes")).nodes.length === 6, 60_000);
  });
  afterAll(async () => {
    await app?.stop();
    await db?.$disconnect();
    await lab?.down();
  });

  it("viewers may not read or change policies, operators may only read; refused changes are audited", async () => {
    const viewer = await createTestToken(database.url, "viewer");
    const operator = await createTestToken(database.url, "operator");
    const body = { name: "sneaky" };
    for (const [method, path] of [
      ["GET", "/api/policies"],
      ["GET", "/api/policies/1"],
    ] as const) {
      const res = await call(method, path, undefined, viewer);
      expect(`${method} ${path} ${res.status}`).toBe(`${method} ${path} 403`);
      expect((await res.json()).error.message).toBe("viewer may not policies.read; needs operator");
    }
    expect((await call("GET", "/api/policies", undefined, operator)).status).toBe(200);
    // Past the role check: there is no policy 1 yet.
    expect((await call("GET", "/api/policies/1", undefined, operator)).status).toBe(404);
    for (const token of [viewer, operator]) {
      for (const [method, path] of [
        ["POST", "/api/policies"],
        ["PUT", "/api/policies/1"],
        ["DELETE", "/api/policies/1"],
      ] as const) {
        const res = await call(method, path, body, token);
        expect(`${method} ${path} ${res.status}`).toBe(`${method} ${path} 403`);
        expect((await res.json()).error.message).toMatch(/^(viewer|operator) may not policies.manage; needs admin$/);
      }
    }
    expect(await db.repairPolicy.count()).toBe(0);
    const refused = await audits({ outcome: "refused" });
    expect(refused.map((a) => `${a.actorRole} ${a.action}`)).toEqual([
      "viewer policies.create",
      "viewer policies.update",
      "viewer policies.delete",
      "operator policies.create",
      "operator policies.update",
      "operator policies.delete",
    ]);
    expect(refused.every((a) => a.targetKind === "RepairPolicy" && a.actorKind === "token")).toBe(true);
    expect(refused[0]?.message).toBe("viewer may not policies.manage; needs admin");

    const pages = await Promise.all(
      [viewer, operator, app.token].map((t) => app.fetch("/settings/policies", { headers: { Authorization: `Bearer ${t}` } })),
    );
    const [viewerPage, operatorPage, adminPage] = await Promise.all(pages.map((p) => p.text()));
    expect(viewerPage).toContain('data-testid="policies-forbidden"');
    expect(operatorPage).toContain('data-testid="repair-control"');
    expect(operatorPage).not.toContain('data-testid="policy-form"');
    expect(adminPage).toContain('data-testid="policy-form"');
  });

  it("validates the whole document with messages that name the field, and audits the refusals", async () => {
    const before = (await audits({ outcome: "refused" })).length;
    const bad = async (body: unknown) => refusal(await call("POST", "/api/policies", body), 400);
    expect(await bad({})).toBe(
      "name: a name is required: 1–63 lowercase letters, digits and '-', starting and ending with a letter or digit",
    );
    expect(
      await bad({
        name: "x",
        criteria: [
          { type: "Ready", status: ["False"], forSeconds: 600 },
          { type: "KernelDeadlock", status: ["True"], forSeconds: -5 },
        ],
      }),
    ).toBe("criteria.1.forSeconds: an integer from 0 to 604800 (seconds)");
    expect(await bad({ name: "x", ladder: [{ action: "node.uncordon", timeoutSeconds: 60 }] })).toBe(
      `ladder.0.action: node.uncordon does not repair a node; ${STEPS}`,
    );
    expect(await bad({ name: "x", criteria: [{ type: "Heartbeat", status: ["Unknown"], forSeconds: 60 }] })).toBe(
      'criteria.0.status.0: "Unknown" is not a Heartbeat status: only "Stale"',
    );
    expect(await bad({ name: "x", maintenanceWindows: [{ start: "08:00", end: "18:00", timeZone: "Mars/Olympus_Mons" }] })).toBe(
      'maintenanceWindows.0.timeZone: "Mars/Olympus_Mons" is not a time zone (IANA names, e.g. Europe/Berlin or UTC)',
    );
    expect(await bad({ name: "x", minHealthy: 51 })).toMatch(/^unknown field "minHealthy"; a policy has name, /);
    expect(await bad("{ not json")).toMatch(/^expected a policy: a JSON object with name, /);

    expect((await call("PUT", "/api/policies/abc", WORKERS)).status).toBe(400);
    expect(await refusal(await call("PUT", "/api/policies/999", WORKERS), 404)).toBe("repair policy 999 does not exist");
    expect(await refusal(await call("DELETE", "/api/policies/999"), 404)).toBe("repair policy 999 does not exist");
    expect(await refusal(await call("GET", "/api/policies/999"), 404)).toBe("repair policy 999 does not exist");
    expect((await call("GET", "/api/policies/abc")).status).toBe(400);

    expect(await db.repairPolicy.count()).toBe(0);
    // Every refused change (not the GETs) is an audit row, with the message the caller got.
    const refused = (await audits({ outcome: "refused" })).slice(before);
    expect(refused).toHaveLength(10);
    expect(refused.every((a) => a.actorRole === "admin" && a.targetKind === "RepairPolicy")).toBe(true);
    expect(refused[1]?.message).toBe("criteria.1.forSeconds: an integer from 0 to 604800 (seconds)");
    expect(refused.at(-1)).toMatchObject({ action: "policies.delete", target: "policy 999", message: "repair policy 999 does not exist" });
  });

  it("create → get → put → delete: the whole document stored and returned, each change audited with its diff", async () => {
    const { id, policy } = await create({ name: "workers-default", selector: { matchLabels: { "node-role.kubernetes.io/worker": "" } } });
    expect(policy).toEqual(WORKERS);
    const created = await lastAudit();
    expect(created).toMatchObject({
      action: "policies.create",
      outcome: "succeeded",
      targetKind: "RepairPolicy",
      target: "workers-default",
      actorKind: "token",
      actorRole: "admin",
      message:
        'created policy "workers-default": propose, disabled; selects node-role.kubernetes.io/worker=; criteria Ready False/Unknown ≥ 10m or Heartbeat Stale ≥ 10m or DiskPressure True ≥ 30m; ladder cordon 60s → force-delete 120s → out-of-service 300s',
    });
    expect(JSON.parse(created?.results ?? "null")).toEqual({ id, after: WORKERS });
    const row = await db.repairPolicy.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ cluster: CLUSTER, name: "workers-default", enabled: false, mode: "propose" });
    expect(JSON.parse(row.document)).toEqual(WORKERS);

    expect(await refusal(await call("POST", "/api/policies", { name: "workers-default" }), 409)).toBe(
      'name: a policy named "workers-default" exists already',
    );
    expect(await lastAudit()).toMatchObject({ action: "policies.create", outcome: "refused", target: "workers-default" });

    // GET returns exactly what PUT takes back: a round trip changes nothing, and says so.
    const got = await app.getJson<TPolicy>(`/api/policies/${id}`);
    expect(got).toEqual(WORKERS);
    const same = await call("PUT", `/api/policies/${id}`, got);
    expect(same.status).toBe(200);
    expect(await same.json()).toEqual(WORKERS);
    expect(await lastAudit()).toMatchObject({
      action: "policies.update",
      outcome: "succeeded",
      message: 'updated policy "workers-default": no change',
    });
    expect((await db.repairPolicy.findUniqueOrThrow({ where: { id } })).updatedAt).toEqual(row.updatedAt);

    const changed = {
      ...got,
      mode: "act",
      ladder: [
        { action: "node.cordon", timeoutSeconds: 60 },
        { action: "node.delete", timeoutSeconds: 300 },
      ],
    };
    const put = await call("PUT", `/api/policies/${id}`, changed);
    expect(put.status, await put.clone().text()).toBe(200);
    expect(await put.json()).toEqual(changed);
    const update = await lastAudit();
    expect(update?.message).toBe(
      'updated policy "workers-default": mode: "propose" → "act"; ladder: cordon 60s → force-delete 120s → out-of-service 300s ⇒ cordon 60s → delete 300s',
    );
    expect(JSON.parse(update?.results ?? "null")).toEqual({ id, before: WORKERS, after: changed });
    expect(await db.repairPolicy.findUniqueOrThrow({ where: { id } })).toMatchObject({ mode: "act", enabled: false });

    // PUT replaces the whole document: what it leaves out goes back to the default.
    const replaced = await call("PUT", `/api/policies/${id}`, { name: "workers", mode: "act", enabled: true });
    expect(replaced.status).toBe(200);
    expect(await replaced.json()).toEqual({
      ...WORKERS,
      name: "workers",
      mode: "act",
      enabled: true,
      selector: { matchLabels: {}, matchExpressions: [] },
    });
    expect((await lastAudit())?.message).toBe(
      'updated policy "workers": name: "workers-default" → "workers"; enabled: false → true; selector: node-role.kubernetes.io/worker= ⇒ every node; ladder: cordon 60s → delete 300s ⇒ cordon 60s → force-delete 120s → out-of-service 300s',
    );
    expect(await db.repairPolicy.findUniqueOrThrow({ where: { id } })).toMatchObject({ name: "workers", enabled: true, mode: "act" });

    // A rename must keep names unique.
    const other = await create({ name: "other" });
    expect(await refusal(await call("PUT", `/api/policies/${other.id}`, { name: "workers" }), 409)).toBe(
      'name: a policy named "workers" exists already',
    );
    expect(await lastAudit()).toMatchObject({ action: "policies.update", outcome: "refused" });

    const listed = await app.getJson<TPolicyList>("/api/policies");
    expect(listed.policies.map((p) => [p.id, p.policy.name])).toEqual([
      [other.id, "other"],
      [id, "workers"],
    ]);
    expect(listed.policies[1]).toMatchObject({ createdBy: expect.stringMatching(/^test-admin-/), policy: { enabled: true } });

    const del = await call("DELETE", `/api/policies/${id}`);
    expect(del.status).toBe(200);
    expect(await del.json()).toMatchObject({ id, deleted: { name: "workers", mode: "act" } });
    expect((await call("GET", `/api/policies/${id}`)).status).toBe(404);
    const deleted = await lastAudit();
    expect(deleted).toMatchObject({ action: "policies.delete", outcome: "succeeded", target: "workers" });
    expect(deleted?.message).toMatch(/^deleted policy "workers": act, enabled; selects every node; /);
    expect(JSON.parse(deleted?.results ?? "null")).toMatchObject({ id, before: { name: "workers", enabled: true } });
    expect((await call("DELETE", `/api/policies/${other.id}`)).status).toBe(200);

    const succeeded = await audits({ outcome: "succeeded" });
    expect(succeeded.map((a) => a.action)).toEqual([
      "policies.create",
      "policies.update",
      "policies.update",
      "policies.update",
      "policies.create",
      "policies.delete",
      "policies.delete",
    ]);
    expect(await db.repairPolicy.count()).toBe(0);
  });

  it("counts the lab's nodes each policy selects: control plane only when included", async () => {
    const expected: Record<string, [Record<string, unknown>, number]> = {
      "every-node": [{}, 3],
      "with-control-plane": [{ includeControlPlane: true }, 6],
      masters: [{ includeControlPlane: true, selector: { matchLabels: { "node-role.kubernetes.io/master": "" } } }, 3],
      "masters-excluded": [
        { selector: { matchExpressions: [{ key: "kubernetes.io/hostname", operator: "In", values: ["acp-master01", "acp-worker01"] }] } },
        1,
      ],
      "racks-a-b": [
        { selector: { matchExpressions: [{ key: "topology.kubernetes.io/zone", operator: "In", values: ["rack-a", "rack-b"] }] } },
        2,
      ],
      "not-rack-a": [
        { selector: { matchExpressions: [{ key: "topology.kubernetes.io/zone", operator: "NotIn", values: ["rack-a"] }] } },
        2,
      ],
      "nfs-fast": [{ selector: { matchLabels: { "acp.example.com/storage-tier": "nfs-fast" } } }, 1],
      nowhere: [{ selector: { matchLabels: { "topology.kubernetes.io/zone": "rack-z" } } }, 0],
    };
    for (const [name, [doc]] of Object.entries(expected)) await create({ name, ...doc });
    const want = Object.fromEntries(Object.entries(expected).map(([name, [, n]]) => [name, n]));
    const counts = (l: TPolicyList) => Object.fromEntries(l.policies.map((p) => [p.policy.name, p.selectedNodes]));
    let last: TPolicyList | null = null;
    // The seed's hand-set labels reach the monitor through the watch: wait for them rather than race.
    const list = await waitUntil(
      "the expected selected-node counts",
      async () => {
        last = await app.getJson<TPolicyList>("/api/policies");
        const got = counts(last);
        return Object.keys(got).length === Object.keys(want).length && Object.entries(want).every(([k, n]) => got[k] === n) ? last : null;
      },
      30_000,
    ).catch((err) => {
      console.log(`selected nodes at the timeout: ${JSON.stringify(last && counts(last))}`);
      throw err;
    });
    expect(list.clusterNodes).toBe(6);
    expect(counts(list)).toEqual(want);
  });
});
