import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import type { TDb } from "@/lib/db";
import { createTransitionRecorder } from "@/lib/transitions/record";
import type { TTransitionInput } from "@/lib/transitions/types";
import { at, createTestDbs } from "./helpers";

const dbs = createTestDbs();
afterAll(() => dbs.cleanup());

const t = (node: string, to: TTransitionInput["to"], seconds: number): TTransitionInput => ({
  node,
  nodeUid: `${node}-uid`,
  to,
  reason: `${node} -> ${to}`,
  observedAt: at(seconds),
});

const rowsOf = (db: TDb, node: string) => db.nodeTransition.findMany({ where: { cluster: "default", node }, orderBy: { seq: "asc" } });

/** seq 1..n without gaps, each row starting from the previous row's state, no self-loops. */
const expectConsistentChain = (rows: Array<{ seq: number; fromState: string | null; toState: string }>) => {
  rows.forEach((row, index) => {
    expect(row.seq).toBe(index + 1);
    if (index > 0) expect(row.fromState).toBe(rows[index - 1]?.toState);
    expect(row.toState).not.toBe(row.fromState);
  });
};

describe("transition recorder", () => {
  test("recording the same state twice writes one row; seq increments on change", async () => {
    const db = dbs.open(await dbs.freshUrl());
    const recorder = createTransitionRecorder({ db, cluster: "default" });
    await recorder.load();

    expect(await recorder.record([t("a", "Ready", 1)])).toHaveLength(1);
    expect(await recorder.record([t("a", "Ready", 2)])).toHaveLength(0);
    // Repeats inside one batch collapse too.
    const written = await recorder.record([t("a", "NotReady", 3), t("a", "NotReady", 4), t("a", "Ready", 5)]);
    expect(written.map((row) => [row.seq, row.fromState, row.toState])).toEqual([
      [2, "Ready", "NotReady"],
      [3, "NotReady", "Ready"],
    ]);

    const rows = await rowsOf(db, "a");
    expect(rows.map((row) => row.toState)).toEqual(["Ready", "NotReady", "Ready"]);
    expectConsistentChain(rows);
    expect(recorder.lastStates().get("a")).toEqual({ state: "Ready", seq: 3, observedAt: at(5), nodeUid: "a-uid" });
  });

  test("the first row of a node takes the caller's `from`; later rows the stored state", async () => {
    const db = dbs.open(await dbs.freshUrl());
    const recorder = createTransitionRecorder({ db, cluster: "default" });
    const [first] = await recorder.record([{ ...t("b", "NotReady", 1), from: "Ready" }]);
    expect(first).toMatchObject({ seq: 1, fromState: "Ready", toState: "NotReady" });
    const [second] = await recorder.record([{ ...t("b", "Unknown", 2), from: "Ready" }]);
    expect(second).toMatchObject({ seq: 2, fromState: "NotReady", toState: "Unknown" });
  });

  test("a new recorder on the same file (a restart) does not duplicate", async () => {
    const url = await dbs.freshUrl();
    const before = createTransitionRecorder({ db: dbs.open(url), cluster: "default" });
    await before.record([t("a", "Ready", 1), t("b", "Ready", 1), t("a", "NotReady", 2)]);

    const db = dbs.open(url);
    const after = createTransitionRecorder({ db, cluster: "default" });
    const loaded = await after.load();
    expect(loaded.get("a")).toEqual({ state: "NotReady", seq: 2, observedAt: at(2), nodeUid: "a-uid" });
    expect(loaded.get("b")).toEqual({ state: "Ready", seq: 1, observedAt: at(1), nodeUid: "b-uid" });

    // The watcher re-lists after a restart and reports every node's current state again.
    expect(await after.record([t("a", "NotReady", 10), t("b", "Ready", 10)])).toEqual([]);
    const [next] = await after.record([t("a", "Ready", 11)]);
    expect(next).toMatchObject({ seq: 3, fromState: "NotReady", toState: "Ready" });
    expect(await db.nodeTransition.count()).toBe(4);
  });

  test("clusters are separate sequences", async () => {
    const db = dbs.open(await dbs.freshUrl());
    const one = createTransitionRecorder({ db, cluster: "one" });
    const two = createTransitionRecorder({ db, cluster: "two" });
    await one.record([t("a", "Ready", 1)]);
    const [row] = await two.record([t("a", "Ready", 1)]);
    expect(row).toMatchObject({ cluster: "two", seq: 1 });
  });

  test("a stale recorder reloads on a unique violation and never duplicates or skips", async () => {
    const url = await dbs.freshUrl();
    const db = dbs.open(url);
    const first = createTransitionRecorder({ db, cluster: "default" });
    const second = createTransitionRecorder({ db: dbs.open(url), cluster: "default" });
    await first.record([t("a", "Ready", 1)]);
    await second.load(); // both now believe a = Ready, seq 1

    await first.record([t("a", "NotReady", 2)]);
    // Same state as the other writer stored: nothing to write.
    expect(await second.record([t("a", "NotReady", 3)])).toEqual([]);
    // A state `second` already believes stored (Ready) but which is not the latest: written.
    const [back] = await second.record([t("a", "Ready", 4)]);
    expect(back).toMatchObject({ seq: 3, fromState: "NotReady", toState: "Ready" });
    // `first` is now stale (believes NotReady, seq 2): its plan for seq 3 collides, it reloads.
    const [unknown] = await first.record([t("a", "Unknown", 5)]);
    expect(unknown).toMatchObject({ seq: 4, fromState: "Ready", toState: "Unknown" });

    const rows = await rowsOf(db, "a");
    expect(rows.map((row) => row.toState)).toEqual(["Ready", "NotReady", "Ready", "Unknown"]);
  });

  test("two processes racing on one node: no duplicate seq, no lost transition", async () => {
    const url = await dbs.freshUrl();
    const iterations = 150;
    const startAt = Date.now() + 2_500; // after both have loaded tsx and connected
    const racer = (states: string) =>
      new Promise<{ written: number; retriedCalls: number }>((resolve, reject) => {
        const child = spawn(
          path.resolve("node_modules/.bin/tsx"),
          ["tests/integration/db/fixtures/racer.ts", url, "contested", states, String(iterations), String(startAt)],
          { stdio: ["ignore", "pipe", "pipe"] },
        );
        let out = "";
        let err = "";
        child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
        child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
        child.on("close", (code) => (code === 0 ? resolve(JSON.parse(out.trim().split("\n").at(-1) ?? "")) : reject(new Error(err))));
      });

    // Disjoint state cycles: each call differs from the racer's own previous state and from
    // anything the other racer stores, so every single call must write exactly one row.
    const [a, b] = await Promise.all([racer("Ready,NotReady"), racer("Unknown,HeartbeatLate")]);
    expect(a.written).toBe(iterations);
    expect(b.written).toBe(iterations);

    const db = dbs.open(url);
    const rows = await rowsOf(db, "contested");
    expect(rows).toHaveLength(2 * iterations);
    expectConsistentChain(rows);
    console.log(`race: ${rows.length} rows; calls that collided twice and were re-tried: a=${a.retriedCalls} b=${b.retriedCalls}`);
  });

  test("a storm of 5,000 transitions across 5,000 nodes commits in one batch", async () => {
    const url = await dbs.freshUrl();
    const db = dbs.open(url);
    const recorder = createTransitionRecorder({ db, cluster: "default" });
    await recorder.load();
    const storm = Array.from({ length: 5_000 }, (_, i) => ({ ...t(`node-${i}`, "Unknown", 1), from: "Ready" as const }));

    const started = performance.now();
    const written = await recorder.record(storm);
    const ms = performance.now() - started;
    console.log(`storm: ${written.length} transitions committed in ${ms.toFixed(0)} ms`);

    expect(written).toHaveLength(5_000);
    expect(await db.nodeTransition.count()).toBe(5_000);
    expect(recorder.lastStates().size).toBe(5_000);

    // A restart then loads 5,000 last states and the same storm again writes nothing.
    const restarted = createTransitionRecorder({ db: dbs.open(url), cluster: "default" });
    const loadStarted = performance.now();
    expect((await restarted.load()).size).toBe(5_000);
    console.log(`storm: load() of 5,000 last states took ${(performance.now() - loadStarted).toFixed(0)} ms`);
    expect(await restarted.record(storm)).toEqual([]);
  });

  test("malformed input is rejected before anything is written", async () => {
    const db = dbs.open(await dbs.freshUrl());
    const recorder = createTransitionRecorder({ db, cluster: "default" });
    await expect(recorder.record([{ ...t("a", "Ready", 1), to: "Sleeping" as never }])).rejects.toThrow(/Invalid option/);
    expect(await db.nodeTransition.count()).toBe(0);
  });
});
