import { z } from "zod";
import { Prisma } from "@/generated/prisma/client";
import type { TDb } from "@/lib/db";
import { type TLastState, ZNodeState } from "./types";

// Raw rows: SQLite hands back integers as bigint and dates as the driver stores them.
const ZLastStateRow = z.object({
  node: z.string(),
  nodeUid: z.string().nullable(),
  seq: z.coerce.number().int().positive(),
  toState: ZNodeState,
  observedAt: z.coerce.date(),
});

/**
 * The latest row (highest seq) of every node of `cluster`, in one query served by the unique
 * (cluster, node, seq) index. Plain SQL with quoted identifiers: the same text runs on
 * PostgreSQL.
 */
export const loadLastStates = async (options: { db: TDb; cluster: string }): Promise<Map<string, TLastState>> => {
  const { db, cluster } = options;
  const rows = await db.$queryRaw<unknown[]>(Prisma.sql`
    SELECT t."node", t."nodeUid", t."seq", t."toState", t."observedAt"
    FROM "NodeTransition" t
    JOIN (
      SELECT "node", MAX("seq") AS "maxSeq"
      FROM "NodeTransition"
      WHERE "cluster" = ${cluster}
      GROUP BY "node"
    ) m ON t."node" = m."node" AND t."seq" = m."maxSeq"
    WHERE t."cluster" = ${cluster}
  `);
  const states = new Map<string, TLastState>();
  for (const raw of rows) {
    const row = ZLastStateRow.parse(raw);
    states.set(row.node, {
      state: row.toState,
      seq: row.seq,
      observedAt: row.observedAt,
      nodeUid: row.nodeUid,
    });
  }
  return states;
};
