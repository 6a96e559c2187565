import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ZodError } from "zod";
import type { TDb } from "@/lib/db";
import { encodeTransitionCursor, listTransitions } from "@/lib/transitions/list";
import { createTransitionRecorder } from "@/lib/transitions/record";
import type { TStoredTransition } from "@/lib/transitions/types";
import { at, createTestDbs } from "./helpers";

const dbs = createTestDbs();
let db: TDb;

beforeAll(async () => {
  db = dbs.open(await dbs.freshUrl());
  const recorder = createTransitionRecorder({ db, cluster: "default" });
  // 4 nodes x 25 flips; several rows share an observedAt, so the id tie-break matters.
  for (let round = 0; round < 25; round++) {
    await recorder.record(
      ["a", "b", "c", "d"].map((node) => ({
        node,
        nodeUid: null,
        to: round % 2 === 0 ? ("NotReady" as const) : ("Ready" as const),
        reason: `round ${round}`,
        observedAt: at(Math.floor(round / 2)),
      })),
    );
  }
  await createTransitionRecorder({ db, cluster: "other" }).record([
    { node: "a", nodeUid: null, to: "Ready", reason: "other cluster", observedAt: at(99) },
  ]);
});
afterAll(() => dbs.cleanup());

const pageThrough = async (options: { node?: string; limit: number }) => {
  const seen: TStoredTransition[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await listTransitions({ db, cluster: "default", ...options, cursor });
    seen.push(...page.items);
    cursor = page.nextCursor ?? undefined;
    pages += 1;
  } while (cursor && pages < 1_000);
  return { seen, pages };
};

const newestFirst = (a: TStoredTransition, b: TStoredTransition) => b.observedAt.getTime() - a.observedAt.getTime() || b.id - a.id;

describe("listTransitions", () => {
  test("pages through every row exactly once, newest first", async () => {
    const all = await db.nodeTransition.count({ where: { cluster: "default" } });
    expect(all).toBe(100);
    for (const limit of [1, 7, 50, 100, 500]) {
      const { seen, pages } = await pageThrough({ limit });
      expect(seen).toHaveLength(all);
      expect(new Set(seen.map((row) => row.id)).size).toBe(all);
      expect(seen).toEqual([...seen].sort(newestFirst));
      expect(pages).toBe(Math.max(1, Math.ceil(all / limit)));
    }
  });

  test("filters by node and by cluster", async () => {
    const { seen } = await pageThrough({ node: "b", limit: 10 });
    expect(seen).toHaveLength(25);
    expect(seen.every((row) => row.node === "b" && row.cluster === "default")).toBe(true);
    expect(seen.map((row) => row.seq)).toEqual(Array.from({ length: 25 }, (_, i) => 25 - i));

    const other = await listTransitions({ db, cluster: "other", limit: 10 });
    expect(other).toMatchObject({ nextCursor: null, items: [{ cluster: "other", reason: "other cluster" }] });
  });

  test("the last page has no cursor; an empty result is not an error", async () => {
    const page = await listTransitions({ db, cluster: "default", node: "nobody", limit: 5 });
    expect(page).toEqual({ items: [], nextCursor: null });
  });

  test("a bad cursor is a ZodError saying so", async () => {
    const bad = [
      "not-a-cursor",
      Buffer.from("{}").toString("base64url"),
      Buffer.from(JSON.stringify({ t: "x", i: 1 })).toString("base64url"),
    ];
    for (const cursor of bad) {
      const attempt = listTransitions({ db, cluster: "default", cursor, limit: 5 });
      await expect(attempt).rejects.toBeInstanceOf(ZodError);
      await expect(attempt).rejects.toThrow(/Invalid cursor/);
    }
    const valid = encodeTransitionCursor({ observedAt: at(5), id: 3 });
    await expect(listTransitions({ db, cluster: "default", cursor: valid, limit: 5 })).resolves.toBeDefined();
  });

  test("limit is bounded", async () => {
    await expect(listTransitions({ db, cluster: "default", limit: 0 })).rejects.toBeInstanceOf(ZodError);
    await expect(listTransitions({ db, cluster: "default", limit: 501 })).rejects.toBeInstanceOf(ZodError);
  });
});
