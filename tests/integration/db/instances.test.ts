// Reconciliation at start-up on a real SQLite file: an attempt whose server is gone gets one
// "interrupted" outcome and its lock goes, a live peer's attempt is left alone, a second
// reconciler writes nothing more, and instance rows silent for a week are deleted.
import { afterAll, describe, expect, it } from "vitest";
import { INSTANCE_RETENTION_MS, reconcileAtStart } from "@/lib/instance/reconcile";
import { createTestDbs } from "./helpers";

describe("start-up reconciliation", () => {
  const dbs = createTestDbs();
  afterAll(() => dbs.cleanup());

  it("settles what gone instances left, never a live peer's attempt, and prunes old instance rows", async () => {
    const db = dbs.open(await dbs.freshUrl());
    const now = Date.now();
    const self = { id: "me", host: "host-a", pid: process.pid };
    await db.instance.createMany({
      data: [
        { id: "me", host: "host-a", pid: process.pid, heartbeatAt: new Date(now) },
        { id: "peer", host: "host-b", pid: 1, heartbeatAt: new Date(now) },
        { id: "crashed", host: "host-b", pid: 1, heartbeatAt: new Date(now - 60_000) },
        { id: "ancient", host: "host-c", pid: 1, heartbeatAt: new Date(now - INSTANCE_RETENTION_MS - 60_000) },
      ],
    });
    const attempt = (actionId: string, instanceId: string, node: string) => ({
      actionId,
      phase: "intent",
      cluster: "c",
      action: "node.drain",
      targetKind: "Node",
      target: node,
      actorKind: "user",
      actorName: "ops@example.com",
      instanceId,
    });
    await db.auditEvent.createMany({ data: [attempt("live", "peer", "n1"), attempt("dead", "crashed", "n2")] });
    await db.nodeActionLock.createMany({
      data: [
        {
          cluster: "c",
          node: "n1",
          actionId: "live",
          action: "node.drain",
          holder: "ops",
          instanceId: "peer",
          expiresAt: new Date(now + 60_000),
        },
        {
          cluster: "c",
          node: "n2",
          actionId: "dead",
          action: "node.drain",
          holder: "ops",
          instanceId: "crashed",
          expiresAt: new Date(now + 60_000),
        },
      ],
    });

    expect(await reconcileAtStart(db, "c", self)).toEqual({ interrupted: 1, released: 1 });
    expect(await reconcileAtStart(db, "c", self)).toEqual({ interrupted: 0, released: 0 });
    const outcomes = await db.auditEvent.findMany({ where: { phase: "outcome" } });
    expect(outcomes.map((o) => [o.actionId, o.outcome])).toEqual([["dead", "interrupted"]]);
    expect((await db.nodeActionLock.findMany()).map((l) => l.node)).toEqual(["n1"]);
    expect((await db.instance.findMany({ orderBy: { id: "asc" } })).map((i) => i.id)).toEqual(["crashed", "me", "peer"]);
  });
});
