// The two audit routes against a real SQLite file; the guard is stubbed (its own tests cover it).
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { getDb } from "@/lib/db";
import { forget } from "@/lib/remember";
import { createTestDbs } from "../db/helpers";

vi.mock("@/lib/auth/guard", () => ({
  requirePermission: async () => ({ kind: "user", id: "u1", name: "viewer@example.com", role: "viewer", ip: null, userAgent: null }),
}));

const ROWS = 2_345; // more than two export chunks of 1000
const dbs = createTestDbs();
const savedUrl = process.env.DATABASE_URL;
const ctx = { params: Promise.resolve({}) } as never;

beforeAll(async () => {
  const url = await dbs.freshUrl();
  process.env.DATABASE_URL = url;
  forget("env");
  const data = Array.from({ length: ROWS }, (_, i) => ({
    actionId: `a${i}`,
    phase: "outcome",
    outcome: i % 2 ? "failed" : "succeeded",
    cluster: "default",
    action: "node.cordon",
    targetKind: "Node",
    target: `n${i % 5}`,
    actorKind: "user",
    actorName: i === 0 ? '=evil,"x"' : "ops@example.com",
    at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)),
  }));
  await dbs.open(url).auditEvent.createMany({ data });
});
afterAll(async () => {
  await getDb().$disconnect();
  forget("db");
  process.env.DATABASE_URL = savedUrl;
  forget("env");
  await dbs.cleanup();
});

const records = (csv: string) => csv.split("\r\n").slice(0, -1);

describe("GET /api/audit", () => {
  test("a page of JSON with a cursor, filtered", async () => {
    const { GET } = await import("@/app/api/audit/route");
    const res = await GET(new Request("http://localhost/api/audit?node=n1&outcome=failed&limit=3"), ctx);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = await res.json();
    expect(body.items).toHaveLength(3);
    expect(body.items[0]).toMatchObject({ target: "n1", outcome: "failed", pending: false, at: "2026-01-01T00:39:01.000Z" });
    expect(typeof body.nextCursor).toBe("string");
    const next = await (
      await GET(new Request(`http://localhost/api/audit?node=n1&outcome=failed&limit=3&cursor=${body.nextCursor}`), ctx)
    ).json();
    expect(next.items[0].id).toBeLessThan(body.items[2].id);
  });

  test("bad filters are 400 with a readable message", async () => {
    const { GET } = await import("@/app/api/audit/route");
    const cases: [string, RegExp][] = [
      ["outcome=done", /outcome must be one of succeeded, failed, refused, interrupted, pending/],
      ["from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", /from must not be after to/],
      ["from=today", /from must be an ISO 8601 date-time/],
      ["action=node.reboot", /action must be one of/],
      ["limit=501", /limit is 1 to 500/],
      ["cursor=nope", /Invalid cursor/],
      ["colour=red", /Unrecognized key/],
      ["node=a&node=b", /"node" given more than once/],
    ];
    for (const [query, message] of cases) {
      const res = await GET(new Request(`http://localhost/api/audit?${query}`), ctx);
      expect(res.status, query).toBe(400);
      expect((await res.json()).error.message, query).toMatch(message);
    }
  });
});

describe("GET /api/audit/export", () => {
  test("every matching row as a CSV attachment, newest first, formulas neutralised", async () => {
    const { GET } = await import("@/app/api/audit/export/route");
    const res = await GET(new Request("http://localhost/api/audit/export"), ctx);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(
      /^attachment; filename="node-rescue-audit-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ\.csv"$/,
    );
    const lines = records(await res.text());
    expect(lines[0]).toMatch(/^id,at,actionId,phase,outcome,/);
    expect(lines).toHaveLength(ROWS + 1);
    expect(lines[1]).toMatch(/^2345,2026-01-01T00:39:04.000Z,a2344,/);
    expect(lines.at(-1)).toBe('1,2026-01-01T00:00:00.000Z,a0,outcome,succeeded,default,node.cordon,Node,n0,user,,"\'=evil,""x""",,,,,,,,,');
  });

  test("the same filters as the list", async () => {
    const { GET } = await import("@/app/api/audit/export/route");
    const lines = records(await (await GET(new Request("http://localhost/api/audit/export?outcome=failed&node=n2"), ctx)).text());
    expect(lines).toHaveLength(1 + 234);
    expect(lines.slice(1).every((l) => l.includes(",failed,default,node.cordon,Node,n2,"))).toBe(true);
    const none = records(await (await GET(new Request("http://localhost/api/audit/export?node=nobody"), ctx)).text());
    expect(none).toHaveLength(1);
    const bad = await GET(new Request("http://localhost/api/audit/export?outcome=done"), ctx);
    expect(bad.status).toBe(400);
  });
});
