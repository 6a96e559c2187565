// Audit history, newest first, filtered, with opaque cursor pagination (as lib/transitions/list.ts).
//
// Filters apply to rows, not to attempts: actor, node and action match both rows of an attempt
// (they carry the same values), while `outcome` and the time range can match only one of them
// (`outcome=failed` lists the failed outcome rows, not their intents). Rows carry their actionId
// so the UI can show an intent and its outcome together.
import { z } from "zod";
import type { Prisma } from "@/generated/prisma/client";
import { encodeCursor, ZCursor } from "@/lib/api/cursor";
import type { TDb } from "@/lib/db";
import { AUDIT_OUTCOMES, AUDIT_PHASES, ZAuditFilters } from "./filters";

export { type TAuditFilters, type TAuditFiltersInput, ZAuditFilters } from "./filters";

export const encodeAuditCursor = (item: { at: Date; id: number }): string => encodeCursor(item.at, item.id);

/** The opaque cursor a client sends back (lib/api/cursor.ts). */
export const ZAuditCursor = ZCursor;

/** The largest page: the CSV export reads in chunks of this size. */
export const AUDIT_MAX_PAGE = 1_000;

export const ZListAuditEventsOptions = z.object({
  cluster: z.string().min(1),
  filters: ZAuditFilters.default({}),
  cursor: ZAuditCursor.optional(),
  limit: z.number().int().min(1).max(AUDIT_MAX_PAGE).default(50),
});
export type TListAuditEventsOptions = z.input<typeof ZListAuditEventsOptions>;

/** A stored AuditEvent row, validated on the way out, plus whether an intent is still pending. */
export const ZStoredAuditEvent = z.object({
  id: z.number().int(),
  actionId: z.string(),
  phase: z.enum(AUDIT_PHASES),
  outcome: z.enum(AUDIT_OUTCOMES).nullable(),
  cluster: z.string(),
  action: z.string(),
  targetKind: z.string(),
  target: z.string(),
  actorKind: z.string(),
  actorId: z.string().nullable(),
  actorName: z.string(),
  actorRole: z.string().nullable(),
  sourceIp: z.string().nullable(),
  userAgent: z.string().nullable(),
  reason: z.string().nullable(),
  gateOverride: z.string().nullable(),
  plan: z.string().nullable(),
  results: z.string().nullable(),
  k8sStatus: z.string().nullable(),
  message: z.string().nullable(),
  at: z.date(),
});
export type TStoredAuditEvent = z.infer<typeof ZStoredAuditEvent> & { pending: boolean };

export type TAuditEventPage = { items: TStoredAuditEvent[]; nextCursor: string | null };

/**
 * Ids of the intents of `cluster` that have no outcome row. Prisma has no relation between the
 * two rows of an attempt, so this is one NOT EXISTS in plain SQL (same text on SQLite and
 * PostgreSQL; served by the actionId index). Small by design: start-up reconciliation writes an
 * "interrupted" outcome for every intent a crash left behind.
 */
const pendingIntentIds = async (db: TDb, cluster: string): Promise<number[]> => {
  const rows = await db.$queryRaw<{ id: number | bigint }[]>`
    SELECT i."id" AS "id" FROM "AuditEvent" i
    WHERE i."cluster" = ${cluster} AND i."phase" = 'intent'
      AND NOT EXISTS (SELECT 1 FROM "AuditEvent" o WHERE o."actionId" = i."actionId" AND o."phase" = 'outcome')`;
  return rows.map((row) => Number(row.id));
};

/**
 * The distinct actor names of `cluster` that contain `needle`, ignoring case. Not Prisma's
 * `contains`: on SQLite it becomes LIKE, which treats `_` and `%` in the needle as wildcards and
 * folds ASCII case only, and PostgreSQL would need `mode: "insensitive"`, which the SQLite client
 * rejects. Actors are few (users and tokens), so their names are grouped in SQL and matched here.
 */
const actorNamesContaining = async (db: TDb, cluster: string, needle: string): Promise<string[]> => {
  const groups = await db.auditEvent.groupBy({ by: ["actorName"], where: { cluster } });
  const lower = needle.toLocaleLowerCase("en");
  return groups.map((g) => g.actorName).filter((name) => name.toLocaleLowerCase("en").includes(lower));
};

/**
 * Audit events of `cluster` matching `filters`, ordered by at desc, id desc.
 * Throws a ZodError for bad filters ("from must not be after to", "outcome must be one of …")
 * or a malformed cursor ("Invalid cursor").
 */
export const listAuditEvents = async (options: TListAuditEventsOptions & { db: TDb }): Promise<TAuditEventPage> => {
  const { db, ...rest } = options;
  const { cluster, filters, cursor, limit } = ZListAuditEventsOptions.parse(rest);

  // Only intents and outcomes: a second outcome from before the unique key was kept by the
  // hardening migration under a phase of its own, and is not part of the history shown.
  const and: Prisma.AuditEventWhereInput[] = [{ cluster, phase: { in: [...AUDIT_PHASES] } }];
  if (filters.actor) and.push({ actorName: { in: await actorNamesContaining(db, cluster, filters.actor) } });
  if (filters.node) and.push({ target: filters.node });
  if (filters.action) and.push({ action: filters.action });
  if (filters.actionId) and.push({ actionId: filters.actionId });
  if (filters.outcome === "pending") and.push({ id: { in: await pendingIntentIds(db, cluster) } });
  else if (filters.outcome) and.push({ phase: "outcome", outcome: filters.outcome });
  if (filters.from) and.push({ at: { gte: filters.from } });
  if (filters.to) and.push({ at: { lte: filters.to } });
  if (cursor) {
    const at = new Date(cursor.t);
    and.push({ OR: [{ at: { lt: at } }, { at, id: { lt: cursor.i } }] });
  }

  const rows = await db.auditEvent.findMany({ where: { AND: and }, orderBy: [{ at: "desc" }, { id: "desc" }], take: limit + 1 });
  const page = rows.slice(0, limit).map((row) => ZStoredAuditEvent.parse(row));

  // Which intents on this page already have their outcome (possibly on another page).
  const intentActionIds = [...new Set(page.filter((row) => row.phase === "intent").map((row) => row.actionId))];
  const finished = intentActionIds.length
    ? await db.auditEvent.findMany({
        where: { cluster, phase: "outcome", actionId: { in: intentActionIds } },
        select: { actionId: true },
      })
    : [];
  const finishedIds = new Set(finished.map((row) => row.actionId));
  const items = page.map((row) => ({ ...row, pending: row.phase === "intent" && !finishedIds.has(row.actionId) }));

  const lastItem = items.at(-1);
  const nextCursor = rows.length > limit && lastItem ? encodeAuditCursor(lastItem) : null;
  return { items, nextCursor };
};

/**
 * Every matching event, newest first, a chunk at a time (for the CSV export): never more than
 * `chunkSize` rows in memory. Filters are validated before the first query.
 */
export async function* iterateAuditEvents(options: {
  db: TDb;
  cluster: string;
  filters?: TListAuditEventsOptions["filters"];
  chunkSize?: number;
}): AsyncGenerator<TStoredAuditEvent[], void, undefined> {
  const { db, cluster, filters, chunkSize = AUDIT_MAX_PAGE } = options;
  let cursor: string | undefined;
  do {
    const page = await listAuditEvents({ db, cluster, filters, cursor, limit: chunkSize });
    if (page.items.length) yield page.items;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}
