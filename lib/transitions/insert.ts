// A batch of new transition rows, inserted in plain SQL. Prisma's createManyAndReturn compiled a
// 5,000-row storm for ~450 ms and interpreted the plan for ~300 ms more, all of it holding the
// event loop: the dashboard froze for 1–3 s as a storm began. Here the rows go as multi-row
// INSERT … RETURNING statements with bound parameters; the same text runs on PostgreSQL (quoted
// identifiers, no SQLite-only syntax).
import { z } from "zod";
import { Prisma } from "@/generated/prisma/client";
import { type TStoredTransition, ZStoredTransition } from "./types";

export type TNewTransitionRow = Omit<TStoredTransition, "id" | "createdAt">;

/** 11 parameters a row: 500 rows stay far below SQLite's 32,766 (and PostgreSQL's 65,535). */
const ROWS_PER_STATEMENT = 500;

// Raw rows: SQLite hands back integers as bigint or number and dates as stored text.
const ZInsertedRow = ZStoredTransition.extend({
  id: z.coerce.number().int(),
  seq: z.coerce.number().int().positive(),
  observedAt: z.coerce.date(),
  apiTransitionTime: z.coerce.date().nullable(),
  createdAt: z.coerce.date(),
});

/** Inserts `rows` (inside the caller's transaction) and returns them as stored, by id. */
export async function insertTransitions(tx: Prisma.TransactionClient, rows: readonly TNewTransitionRow[]): Promise<TStoredTransition[]> {
  const stored: TStoredTransition[] = [];
  // One clock for the batch, as createMany's @default(now()) would give.
  const createdAt = new Date();
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    const values = rows
      .slice(start, start + ROWS_PER_STATEMENT)
      .map(
        (r) =>
          Prisma.sql`(${r.cluster}, ${r.node}, ${r.nodeUid}, ${r.seq}, ${r.fromState}, ${r.toState}, ${r.reason}, ${r.observedAt}, ${r.apiTransitionTime}, ${createdAt})`,
      );
    const inserted = await tx.$queryRaw<unknown[]>(Prisma.sql`
      INSERT INTO "NodeTransition"
        ("cluster", "node", "nodeUid", "seq", "fromState", "toState", "reason", "observedAt", "apiTransitionTime", "createdAt")
      VALUES ${Prisma.join(values)}
      RETURNING "id", "cluster", "node", "nodeUid", "seq", "fromState", "toState", "reason", "observedAt", "apiTransitionTime", "createdAt"
    `);
    for (const row of inserted) stored.push(ZInsertedRow.parse(row));
  }
  return stored.sort((a, b) => a.id - b.id);
}
