// The durable, idempotent transition recorder. The recorder, not the caller, decides what is a
// transition: a row is written only when `to` differs from the last stored state of the node.
// After a restart `load()` reads the stored states back, so nothing is written twice.
//
// Several writers (two processes during a rollout, say) are safe:
// - seq comes from the in-memory map; the unique (cluster, node, seq) key rejects a stale plan,
//   and the recorder then reloads and re-plans once;
// - before planning, the table's highest id is compared with the highest the recorder knows
//   (its own writes, its last load). If someone else wrote, it reloads first, so a stale map
//   never makes it skip a state that is in fact new.
// Whatever must commit with the rows (the incidents they open or move, lib/incidents) runs in the
// same transaction through `inTransaction`; if it fails, the rows roll back with it.
// One PrismaClient per process (lib/db.ts getDb()): better-sqlite3 is synchronous, so two
// connections in one process would wait for each other's lock with the event loop blocked.
import { z } from "zod";
import { Prisma } from "@/generated/prisma/client";
import type { TDb } from "@/lib/db";
import { insertTransitions, type TNewTransitionRow } from "./insert";
import { loadLastStates } from "./load-last-states";
import { type TLastState, type TStoredTransition, type TTransitionInput, ZTransitionInput } from "./types";

const ZTransitionBatch = z.array(ZTransitionInput);

/** Runs inside the insert's transaction with the stored rows and the caller's context. */
export type TInTransaction<C> = (tx: Prisma.TransactionClient, stored: TStoredTransition[], context: C) => Promise<void>;

export type TTransitionRecorder<C = undefined> = {
  /** (Re)reads the last stored state of every node of the cluster. */
  load: () => Promise<ReadonlyMap<string, TLastState>>;
  /** Writes the real transitions of `transitions` in one transaction; returns the new rows. */
  record: (transitions: TTransitionInput[], context?: C) => Promise<TStoredTransition[]>;
  /** Node name -> last stored state (seq and nodeUid included). Live: read it synchronously. */
  lastStates: () => ReadonlyMap<string, TLastState>;
};

/**
 * Unique violation: another writer already stored this (cluster, node, seq). From a raw query
 * (lib/transitions/insert.ts) Prisma reports it as P2010 with the driver adapter's error kind.
 */
export const isUniqueViolation = (error: unknown): boolean => {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return false;
  if (error.code === "P2002") return true;
  const cause = (error.meta?.driverAdapterError as { cause?: { kind?: string } } | undefined)?.cause;
  return error.code === "P2010" && cause?.kind === "UniqueConstraintViolation";
};

/**
 * The rows `inputs` produce against `last`, in input order: consecutive repeats of a node's
 * state are dropped, seq continues from the stored one, fromState is the stored state (the
 * caller's `from` is used only for a node without history).
 */
const planRows = (options: {
  cluster: string;
  last: ReadonlyMap<string, TLastState>;
  inputs: z.infer<typeof ZTransitionBatch>;
}): { rows: TNewTransitionRow[]; next: Map<string, TLastState> } => {
  const { cluster, last, inputs } = options;
  const next = new Map<string, TLastState>();
  const rows: TNewTransitionRow[] = [];
  for (const input of inputs) {
    const previous = next.get(input.node) ?? last.get(input.node);
    if (previous?.state === input.to) continue;
    const seq = (previous?.seq ?? 0) + 1;
    rows.push({
      cluster,
      node: input.node,
      nodeUid: input.nodeUid,
      seq,
      fromState: previous ? previous.state : (input.from ?? null),
      toState: input.to,
      reason: input.reason,
      observedAt: input.observedAt,
      apiTransitionTime: input.apiTransitionTime ?? null,
    });
    next.set(input.node, {
      state: input.to,
      seq,
      observedAt: input.observedAt,
      nodeUid: input.nodeUid,
    });
  }
  return { rows, next };
};

export const createTransitionRecorder = <C = undefined>(options: {
  db: TDb;
  cluster: string;
  inTransaction?: TInTransaction<C>;
}): TTransitionRecorder<C> => {
  const { db, cluster, inTransaction } = options;
  let last = new Map<string, TLastState>();
  let loaded = false;
  /** Highest NodeTransition id this recorder has seen (loaded or written). */
  let knownHead = 0;
  // record() calls run one after another: each plans against the state the previous committed.
  let queue: Promise<unknown> = Promise.resolve();

  // Highest id in the table (any cluster): O(1) on the primary key. AUTOINCREMENT ids only
  // grow, so a larger head than knownHead means another writer committed something.
  const readHead = async () => (await db.nodeTransition.aggregate({ _max: { id: true } }))._max.id ?? 0;

  const load = async () => {
    // Head first: a write landing between the two reads only causes one extra reload later.
    const head = await readHead();
    last = await loadLastStates({ db, cluster });
    knownHead = head;
    loaded = true;
    return new Map(last);
  };

  const write = (rows: TNewTransitionRow[], context: C | undefined) =>
    db.$transaction(
      async (tx) => {
        const stored = await insertTransitions(tx, rows);
        await inTransaction?.(tx, stored, context as C);
        return stored;
      },
      // A storm batch is thousands of rows; the default 5 s is tight on a slow disk.
      { maxWait: 10_000, timeout: 60_000 },
    );

  const recordNow = async (transitions: TTransitionInput[], context: C | undefined): Promise<TStoredTransition[]> => {
    const inputs = ZTransitionBatch.parse(transitions);
    if (!loaded || (await readHead()) > knownHead) await load();
    for (let attempt = 1; ; attempt++) {
      const { rows, next } = planRows({ cluster, last, inputs });
      if (rows.length === 0) return [];
      try {
        const stored = await write(rows, context);
        // Only after the commit: a failed batch leaves the map at the stored truth.
        for (const [node, state] of next) last.set(node, state);
        // Our batch holds the write lock, so its ids are contiguous. If they directly follow
        // knownHead nobody else wrote in between and the head advances; otherwise it stays, and
        // the next readHead() triggers a reload.
        const first = stored[0];
        const lastRow = stored.at(-1);
        if (first && lastRow && first.id === knownHead + 1) knownHead = lastRow.id;
        return stored;
      } catch (error) {
        if (attempt > 1 || !isUniqueViolation(error)) throw error;
        // Another writer got there first: re-plan against what it stored, once.
        await load();
      }
    }
  };

  const record = (transitions: TTransitionInput[], context?: C) => {
    const result = queue.then(() => recordNow(transitions, context));
    queue = result.catch(() => undefined);
    return result;
  };

  return { load, record, lastStates: () => last };
};
