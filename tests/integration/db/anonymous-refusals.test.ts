// The anonymous refusal buckets on a real SQLite file: counts from many refusals land in one
// row per source, action and minute (added up across flushes, as from two processes), and
// buckets past the retention are deleted while the audit log keeps every row.
import { afterAll, describe, expect, it } from "vitest";
import { countAnonymousRefusal, flushAnonymousRefusals, pruneAnonymousRefusals } from "@/lib/audit/anonymous";
import { createTestDbs } from "./helpers";

describe("anonymous refusal buckets", () => {
  const dbs = createTestDbs();
  afterAll(() => dbs.cleanup());
  const refusal = { cluster: "c", action: "node.delete", target: "n1", userAgent: "curl/8" };

  it("adds up refusals per source, action and minute, across flushes", async () => {
    const db = dbs.open(await dbs.freshUrl());
    const at = new Date("2026-12-01T10:00:05Z");
    for (let i = 0; i < 5; i++) countAnonymousRefusal(db, { ...refusal, sourceIp: "192.0.2.1" }, at);
    countAnonymousRefusal(db, { ...refusal, sourceIp: "192.0.2.2" }, at);
    await flushAnonymousRefusals(db);
    for (let i = 0; i < 3; i++) countAnonymousRefusal(db, { ...refusal, sourceIp: "192.0.2.1" }, new Date("2026-12-01T10:00:40Z"));
    countAnonymousRefusal(db, { ...refusal, sourceIp: "192.0.2.1" }, new Date("2026-12-01T10:01:01Z"));
    await flushAnonymousRefusals(db);
    const rows = await db.anonymousRefusal.findMany({ orderBy: [{ sourceIp: "asc" }, { minute: "asc" }] });
    expect(rows.map((r) => [r.sourceIp, r.minute.toISOString(), r.count])).toEqual([
      ["192.0.2.1", "2026-12-01T10:00:00.000Z", 8],
      ["192.0.2.1", "2026-12-01T10:01:00.000Z", 1],
      ["192.0.2.2", "2026-12-01T10:00:00.000Z", 1],
    ]);
    expect(rows[0]?.lastAt.toISOString()).toBe("2026-12-01T10:00:40.000Z");
  });

  it("says when a source passed its limit for the minute", async () => {
    const db = dbs.open(await dbs.freshUrl());
    const at = new Date("2026-12-01T11:00:00Z");
    const verdicts = Array.from({ length: 32 }, () => countAnonymousRefusal(db, { ...refusal, sourceIp: "198.51.100.9" }, at));
    expect(verdicts.filter((v) => v.limited)).toHaveLength(2);
    expect(verdicts.at(-1)?.retryAfterSeconds).toBe(60);
    expect(countAnonymousRefusal(db, { ...refusal, sourceIp: "198.51.100.10" }, at).limited).toBe(false);
  });

  it("deletes buckets past the retention, and nothing of the audit log", async () => {
    const db = dbs.open(await dbs.freshUrl());
    const now = new Date("2026-12-31T00:00:00Z");
    for (const minute of [new Date("2026-11-01T00:00:00Z"), new Date("2026-12-30T00:00:00Z")]) {
      await db.anonymousRefusal.create({
        data: {
          cluster: "c",
          sourceIp: "192.0.2.1",
          action: "node.delete",
          minute,
          count: 3,
          target: "n1",
          firstAt: minute,
          lastAt: minute,
        },
      });
    }
    await db.auditEvent.create({
      data: {
        actionId: "old",
        phase: "outcome",
        outcome: "refused",
        cluster: "c",
        action: "node.delete",
        targetKind: "Node",
        target: "n1",
        actorKind: "token",
        actorName: "t",
        at: new Date("2025-01-01T00:00:00Z"),
      },
    });
    expect(await pruneAnonymousRefusals(db, now, 30)).toBe(1);
    expect((await db.anonymousRefusal.findMany()).map((r) => r.minute.toISOString())).toEqual(["2026-12-30T00:00:00.000Z"]);
    expect(await db.auditEvent.count()).toBe(1);
  });
});
