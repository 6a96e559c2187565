import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ZodError } from "zod";
import type { TAuditFiltersInput } from "@/lib/audit/filters";
import { encodeAuditCursor, iterateAuditEvents, listAuditEvents, type TStoredAuditEvent, ZAuditFilters } from "@/lib/audit/list";
import type { TDb } from "@/lib/db";
import { at, createTestDbs } from "../db/helpers";

const dbs = createTestDbs();
let db: TDb;

type TRow = {
  actionId: string;
  phase: "intent" | "outcome";
  outcome?: string | null;
  cluster?: string;
  action: string;
  target: string;
  actorName: string;
  actorRole?: string;
  actorKind?: string;
  at: Date;
  k8sStatus?: string;
};
const row = (r: TRow) => ({
  cluster: "default",
  targetKind: "Node",
  actorKind: "user",
  actorRole: "operator",
  outcome: null,
  ...r,
});

// Attempts, oldest first (seconds after 2026-01-01T00:00:00Z).
const named = [
  row({ actionId: "a1", phase: "intent", action: "node.cordon", target: "worker-1", actorName: "alice@example.com", at: at(10) }),
  row({
    actionId: "a1",
    phase: "outcome",
    outcome: "succeeded",
    action: "node.cordon",
    target: "worker-1",
    actorName: "alice@example.com",
    at: at(11),
  }),
  row({
    actionId: "a2",
    phase: "intent",
    action: "node.drain",
    target: "worker-2",
    actorName: "Bob@Example.com",
    actorRole: "admin",
    at: at(20),
  }),
  row({
    actionId: "a2",
    phase: "outcome",
    outcome: "failed",
    action: "node.drain",
    target: "worker-2",
    actorName: "Bob@Example.com",
    actorRole: "admin",
    at: at(25),
    k8sStatus: '{"kind":"Status","code":429}',
  }),
  row({
    actionId: "a3",
    phase: "outcome",
    outcome: "refused",
    action: "node.delete",
    target: "worker-1",
    actorName: "carol_x",
    actorRole: "viewer",
    at: at(30),
  }),
  row({
    actionId: "a7",
    phase: "outcome",
    outcome: "refused",
    action: "node.cordon",
    target: "worker-4",
    actorName: "carolyx",
    actorRole: "viewer",
    at: at(35),
  }),
  row({ actionId: "a8", phase: "intent", action: "node.cordon", target: "worker-10", actorName: "Bob@Example.com", at: at(36) }),
  row({
    actionId: "a8",
    phase: "outcome",
    outcome: "succeeded",
    action: "node.cordon",
    target: "worker-10",
    actorName: "Bob@Example.com",
    at: at(37),
  }),
  row({ actionId: "a4", phase: "intent", action: "node.drain", target: "worker-1", actorName: "alice@example.com", at: at(40) }),
  row({
    actionId: "a5",
    phase: "intent",
    action: "node.drain",
    target: "worker-3",
    actorName: "node-rescue",
    actorKind: "system",
    at: at(50),
  }),
  row({
    actionId: "a5",
    phase: "outcome",
    outcome: "interrupted",
    action: "node.drain",
    target: "worker-3",
    actorName: "node-rescue",
    actorKind: "system",
    at: at(60),
  }),
  row({
    actionId: "u1",
    phase: "outcome",
    outcome: "refused",
    action: "node.cordon",
    target: "worker-5",
    actorName: "jürgen@example.org",
    at: at(1),
  }),
  row({
    actionId: "x1",
    phase: "intent",
    cluster: "other",
    action: "node.drain",
    target: "worker-1",
    actorName: "alice@example.com",
    at: at(70),
  }),
];
// 30 attempts whose intent and outcome share a second, four attempts per second: ties everywhere.
const bulk = Array.from({ length: 30 }, (_, k) =>
  (["intent", "outcome"] as const).map((phase) =>
    row({
      actionId: `b${k}`,
      phase,
      outcome: phase === "outcome" ? "succeeded" : null,
      action: "node.uncordon",
      target: `node-${k % 4}`,
      actorName: `bulk${k % 3}@example.com`,
      at: at(100 + Math.floor(k / 4)),
    }),
  ),
).flat();

const TOTAL = named.length - 1 + bulk.length; // without the other cluster's row

beforeAll(async () => {
  db = dbs.open(await dbs.freshUrl());
  // Inserted in a shuffled order: ids must not be what makes the order right.
  const all = [...named, ...bulk];
  const shuffled = all.map((r, i) => ({ r, k: (i * 7919) % all.length })).sort((a, b) => a.k - b.k);
  await db.auditEvent.createMany({ data: shuffled.map(({ r }) => r) });
});
afterAll(() => dbs.cleanup());

const list = (filters: TAuditFiltersInput = {}, limit = 1_000) => listAuditEvents({ db, cluster: "default", filters, limit });

const pageThrough = async (filters: TAuditFiltersInput, limit: number) => {
  const seen: TStoredAuditEvent[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await listAuditEvents({ db, cluster: "default", filters, cursor, limit });
    seen.push(...page.items);
    cursor = page.nextCursor ?? undefined;
    pages += 1;
  } while (cursor && pages < 1_000);
  return { seen, pages };
};

const newestFirst = (a: TStoredAuditEvent, b: TStoredAuditEvent) => b.at.getTime() - a.at.getTime() || b.id - a.id;
const ids = (items: TStoredAuditEvent[]) => items.map((r) => `${r.actionId}:${r.phase}`);

describe("listAuditEvents: order and pages", () => {
  test("pages through every row of the cluster exactly once, newest first", async () => {
    expect(await db.auditEvent.count({ where: { cluster: "default" } })).toBe(TOTAL);
    for (const limit of [1, 7, 50, TOTAL, 1_000]) {
      const { seen, pages } = await pageThrough({}, limit);
      expect(seen).toHaveLength(TOTAL);
      expect(new Set(seen.map((r) => r.id)).size).toBe(TOTAL);
      expect(seen).toEqual([...seen].sort(newestFirst));
      expect(seen.every((r) => r.cluster === "default")).toBe(true);
      expect(pages).toBe(Math.max(1, Math.ceil(TOTAL / limit)));
    }
  });

  test("a filtered listing pages exactly once too", async () => {
    const { seen } = await pageThrough({ action: "node.uncordon" }, 7);
    expect(seen).toHaveLength(60);
    expect(new Set(seen.map((r) => r.id)).size).toBe(60);
    expect(seen).toEqual([...seen].sort(newestFirst));
  });

  test("rows come out typed, with Dates and the actionId that groups an attempt", async () => {
    const { items } = await list({ node: "worker-2" });
    expect(ids(items)).toEqual(["a2:outcome", "a2:intent"]);
    expect(items[0]).toMatchObject({
      phase: "outcome",
      outcome: "failed",
      actorRole: "admin",
      k8sStatus: '{"kind":"Status","code":429}',
      pending: false,
    });
    expect(items[0]?.at).toEqual(at(25));
  });

  test("an empty result is not an error", async () => {
    expect(await list({ node: "nobody" }, 5)).toEqual({ items: [], nextCursor: null });
  });
});

describe("listAuditEvents: filters", () => {
  test("actor: a case-insensitive substring of the name", async () => {
    const alice = await list({ actor: "ALICE" });
    expect(ids(alice.items)).toEqual(["a4:intent", "a1:outcome", "a1:intent"]);
    const bob = await list({ actor: "bob@example" });
    expect(new Set(bob.items.map((r) => r.actionId))).toEqual(new Set(["a2", "a8"]));
    expect((await list({ actor: "example.com" })).items).toHaveLength(3 + 4 + 60);
  });

  test("actor: LIKE wildcards are literal characters", async () => {
    expect(ids((await list({ actor: "carol_" })).items)).toEqual(["a3:outcome"]);
    expect(ids((await list({ actor: "carol" })).items)).toEqual(["a7:outcome", "a3:outcome"]);
    expect((await list({ actor: "%" })).items).toEqual([]);
    expect((await list({ actor: "_" })).items).toHaveLength(1);
  });

  test("actor: case is ignored beyond ASCII too", async () => {
    expect(ids((await list({ actor: "JÜRGEN" })).items)).toEqual(["u1:outcome"]);
    expect(ids((await list({ actor: "ürg" })).items)).toEqual(["u1:outcome"]);
  });

  test("node: the exact target", async () => {
    const w1 = await list({ node: "worker-1" });
    expect(ids(w1.items)).toEqual(["a4:intent", "a3:outcome", "a1:outcome", "a1:intent"]);
    expect(ids((await list({ node: "worker-10" })).items)).toEqual(["a8:outcome", "a8:intent"]);
    expect((await list({ node: "worker" })).items).toEqual([]);
  });

  test("action: exact", async () => {
    const drains = await list({ action: "node.drain" });
    expect(ids(drains.items)).toEqual(["a5:outcome", "a5:intent", "a4:intent", "a2:outcome", "a2:intent"]);
    expect(ids((await list({ action: "node.delete" })).items)).toEqual(["a3:outcome"]);
    expect((await list({ action: "node.restore" })).items).toEqual([]);
  });

  test("outcome: the outcome rows with that outcome", async () => {
    expect(ids((await list({ outcome: "failed" })).items)).toEqual(["a2:outcome"]);
    expect(ids((await list({ outcome: "refused" })).items)).toEqual(["a7:outcome", "a3:outcome", "u1:outcome"]);
    expect(ids((await list({ outcome: "interrupted" })).items)).toEqual(["a5:outcome"]);
    const succeeded = await list({ outcome: "succeeded" });
    expect(succeeded.items).toHaveLength(2 + 30);
    expect(succeeded.items.every((r) => r.phase === "outcome" && r.outcome === "succeeded")).toBe(true);
  });

  test("outcome=pending: intents of this cluster without an outcome row", async () => {
    const pending = await list({ outcome: "pending" });
    expect(ids(pending.items)).toEqual(["a4:intent"]);
    expect(pending.items[0]?.pending).toBe(true);
  });

  test("every intent says whether it is pending, even when its outcome is on another page", async () => {
    const { seen } = await pageThrough({}, 1);
    const intents = seen.filter((r) => r.phase === "intent");
    expect(intents.filter((r) => r.pending).map((r) => r.actionId)).toEqual(["a4"]);
    expect(seen.filter((r) => r.phase === "outcome").every((r) => !r.pending)).toBe(true);
  });

  test("from/to: an inclusive range of `at`", async () => {
    expect(ids((await list({ from: at(30), to: at(36) })).items)).toEqual(["a8:intent", "a7:outcome", "a3:outcome"]);
    expect(ids((await list({ from: at(50), to: at(50) })).items)).toEqual(["a5:intent"]);
    expect((await list({ from: at(100) })).items).toHaveLength(60);
    expect(ids((await list({ to: at(11) })).items)).toEqual(["a1:outcome", "a1:intent", "u1:outcome"]);
  });

  test("filters combine with AND", async () => {
    expect(ids((await list({ actor: "alice", action: "node.drain", outcome: "pending" })).items)).toEqual(["a4:intent"]);
    expect(ids((await list({ actor: "alice", node: "worker-1", from: at(11), to: at(40) })).items)).toEqual(["a4:intent", "a1:outcome"]);
    expect((await list({ actor: "bob", outcome: "succeeded", node: "worker-1" })).items).toEqual([]);
    const all = await list({ actor: "bulk1", action: "node.uncordon", outcome: "succeeded", node: "node-2", from: at(100), to: at(200) });
    // k with k % 3 === 1 and k % 4 === 2: 10 and 22.
    expect(ids(all.items)).toEqual(["b22:outcome", "b10:outcome"]);
  });

  test("query-string values: ISO strings become Dates, blank fields mean no filter", async () => {
    const fromQuery = ZAuditFilters.parse({
      actor: "",
      node: " ",
      action: "",
      outcome: "",
      from: "2026-01-01T00:00:30Z",
      to: "2026-01-01T01:00:36+01:00",
    });
    expect(fromQuery).toEqual({ from: at(30), to: at(36) });
    expect(ids((await list(fromQuery)).items)).toEqual(["a8:intent", "a7:outcome", "a3:outcome"]);
  });
});

describe("listAuditEvents: bad input is a ZodError that says what is wrong", () => {
  const rejects = async (filters: Record<string, unknown>, message: RegExp) => {
    const attempt = listAuditEvents({ db, cluster: "default", filters: filters as TAuditFiltersInput, limit: 5 });
    await expect(attempt).rejects.toBeInstanceOf(ZodError);
    await expect(attempt).rejects.toThrow(message);
  };

  test("from after to", async () => {
    await rejects({ from: at(40), to: at(30) }, /from must not be after to/);
    await rejects({ from: "2026-01-02T00:00:00Z", to: "2026-01-01T00:00:00Z" }, /from must not be after to/);
  });

  test("unknown outcome and action", async () => {
    await rejects({ outcome: "done" }, /outcome must be one of succeeded, failed, refused, interrupted, pending/);
    await rejects({ action: "node.reboot" }, /action must be one of node\.cordon, .*node\.out-of-service\.remove/);
  });

  test("dates that are not ISO date-times with a zone", async () => {
    await rejects({ from: "yesterday" }, /from must be an ISO 8601 date-time/);
    await rejects({ to: "2026-01-01T10:00" }, /to must be an ISO 8601 date-time/);
    await rejects({ from: new Date(Number.NaN) }, /from must be an ISO 8601 date-time/);
    await rejects({ to: 1_767_225_600_000 }, /to must be an ISO 8601 date-time/);
  });

  test("unknown filter names and overlong values", async () => {
    await rejects({ outcom: "failed" }, /Unrecognized key/);
    await rejects({ actor: "x".repeat(201) }, /actor is at most 200 characters/);
  });

  test("bad cursors and limits", async () => {
    for (const cursor of ["not-a-cursor", Buffer.from("{}").toString("base64url")]) {
      const attempt = listAuditEvents({ db, cluster: "default", cursor, limit: 5 });
      await expect(attempt).rejects.toBeInstanceOf(ZodError);
      await expect(attempt).rejects.toThrow(/Invalid cursor/);
    }
    await expect(
      listAuditEvents({ db, cluster: "default", cursor: encodeAuditCursor({ at: at(50), id: 3 }), limit: 5 }),
    ).resolves.toBeDefined();
    await expect(listAuditEvents({ db, cluster: "default", limit: 0 })).rejects.toBeInstanceOf(ZodError);
    await expect(listAuditEvents({ db, cluster: "default", limit: 1_001 })).rejects.toBeInstanceOf(ZodError);
  });
});

describe("iterateAuditEvents", () => {
  test("yields every matching row in chunks, newest first", async () => {
    const chunks: TStoredAuditEvent[][] = [];
    for await (const chunk of iterateAuditEvents({ db, cluster: "default", chunkSize: 10 })) chunks.push(chunk);
    expect(chunks.map((c) => c.length)).toEqual([...Array(Math.floor(TOTAL / 10)).fill(10), ...(TOTAL % 10 ? [TOTAL % 10] : [])]);
    expect(chunks.flat()).toEqual((await list({}, 1_000)).items);
  });

  test("applies the filters and yields nothing for no match", async () => {
    const filtered: TStoredAuditEvent[] = [];
    for await (const chunk of iterateAuditEvents({ db, cluster: "default", filters: { outcome: "refused" }, chunkSize: 1 }))
      filtered.push(...chunk);
    expect(ids(filtered)).toEqual(["a7:outcome", "a3:outcome", "u1:outcome"]);
    const none = [];
    for await (const chunk of iterateAuditEvents({ db, cluster: "default", filters: { node: "nobody" } })) none.push(chunk);
    expect(none).toEqual([]);
  });
});
