// Transition history, newest first, with opaque cursor pagination.
import { z } from "zod";
import type { Prisma } from "@/generated/prisma/client";
import { encodeCursor, ZCursor } from "@/lib/api/cursor";
import type { TDb } from "@/lib/db";
import { type TStoredTransition, ZStoredTransition } from "./types";

export const encodeTransitionCursor = (item: Pick<TStoredTransition, "observedAt" | "id">): string =>
  encodeCursor(item.observedAt, item.id);

/** The opaque cursor a client sends back (lib/api/cursor.ts). */
export const ZTransitionCursor = ZCursor;

export const ZListTransitionsOptions = z.object({
  cluster: z.string().min(1),
  node: z.string().min(1).optional(),
  cursor: ZTransitionCursor.optional(),
  limit: z.number().int().min(1).max(500).default(50),
});
export type TListTransitionsOptions = z.input<typeof ZListTransitionsOptions>;

export type TTransitionPage = { items: TStoredTransition[]; nextCursor: string | null };

/**
 * Transitions of `cluster` (optionally one `node`), ordered by observedAt desc, id desc.
 * Throws a ZodError ("Invalid cursor") for a malformed cursor.
 */
export const listTransitions = async (options: TListTransitionsOptions & { db: TDb }): Promise<TTransitionPage> => {
  const { db, ...rest } = options;
  const { cluster, node, cursor, limit } = ZListTransitionsOptions.parse(rest);

  const where: Prisma.NodeTransitionWhereInput = { cluster, ...(node ? { node } : {}) };
  if (cursor) {
    const at = new Date(cursor.t);
    where.OR = [{ observedAt: { lt: at } }, { observedAt: at, id: { lt: cursor.i } }];
  }

  const rows = await db.nodeTransition.findMany({
    where,
    orderBy: [{ observedAt: "desc" }, { id: "desc" }],
    take: limit + 1,
  });
  const items = rows.slice(0, limit).map((row) => ZStoredTransition.parse(row));
  const lastItem = items.at(-1);
  const nextCursor = rows.length > limit && lastItem ? encodeTransitionCursor(lastItem) : null;
  return { items, nextCursor };
};
