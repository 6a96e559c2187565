// Transition history, newest first, with opaque cursor pagination.
import { z } from "zod";
import type { Prisma } from "@/generated/prisma/client";
import type { TDb } from "@/lib/db";
import { type TStoredTransition, ZStoredTransition } from "./types";

const ZCursorPayload = z.object({
  /** observedAt of the last item served, epoch ms. */
  t: z.number().int(),
  /** id of the last item served. */
  i: z.number().int().positive(),
});
type TCursorPayload = z.infer<typeof ZCursorPayload>;

export const encodeTransitionCursor = (item: Pick<TStoredTransition, "observedAt" | "id">): string =>
  Buffer.from(JSON.stringify({ t: item.observedAt.getTime(), i: item.id })).toString("base64url");

/** The opaque cursor a client sends back: base64url JSON, rejected with "Invalid cursor". */
export const ZTransitionCursor = z
  .string()
  .max(200)
  .transform((cursor, ctx): TCursorPayload => {
    const payload = ((): unknown => {
      try {
        return JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
      } catch {
        return undefined; // not JSON: reported below as an invalid cursor
      }
    })();
    const parsed = ZCursorPayload.safeParse(payload);
    if (!parsed.success) {
      ctx.addIssue({ code: "custom", message: "Invalid cursor", input: cursor });
      return z.NEVER;
    }
    return parsed.data;
  });

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
