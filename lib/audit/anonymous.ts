// Refusals of requests without valid credentials. A flood of them must neither bury the audit
// log nor fill the disk nor cost a database write each, so they are counted, not logged: per
// source address, action and minute, in memory, and added to the AnonymousRefusal bucket of
// that minute every few seconds (one upsert per bucket, whatever the flood). Past
// ANONYMOUS_LIMIT_PER_MINUTE refusals from one address in a minute, callers answer 429 at once.
// Buckets older than the retention are deleted; authenticated audit rows stay forever.
// A crash loses at most one flush interval of counts: noise, not decisions.
import { Prisma } from "@/generated/prisma/client";
import type { TDb } from "@/lib/db";
import { remember } from "@/lib/remember";
import { capAddress, capUserAgent } from "./caps";

/** Refusals one address may collect in a minute before it is answered 429 without a lookup. */
export const ANONYMOUS_LIMIT_PER_MINUTE = 30;
const FLUSH_EVERY_MS = 5_000;
/** Distinct buckets kept in memory between flushes; past it, new sources share one "*" bucket. */
const MAX_PENDING_BUCKETS = 10_000;
const RETENTION_DAYS = 30;
const PRUNE_EVERY_MS = 60 * 60_000;

type TPending = {
  cluster: string;
  sourceIp: string;
  action: string;
  minute: Date;
  count: number;
  target: string;
  userAgent: string | null;
  firstAt: Date;
  lastAt: Date;
};

type TCounter = {
  pending: Map<string, TPending>;
  /** Refusals per source in the current minute, for the limiter. */
  perSource: Map<string, number>;
  minute: number;
  timer: NodeJS.Timeout | null;
  lastPruneMs: number;
  flushing: Promise<void> | null;
};

const counter = () =>
  remember<TCounter>("audit:anonymous-refusals", () => ({
    pending: new Map(),
    perSource: new Map(),
    minute: 0,
    timer: null,
    lastPruneMs: 0,
    flushing: null,
  }));

const minuteOf = (at: Date) => Math.floor(at.getTime() / 60_000) * 60_000;

export type TAnonymousRefusal = { cluster: string; sourceIp: string | null; action: string; target: string; userAgent: string | null };

/** Counts one refusal; `limited` says the source is past its limit for this minute. */
export function countAnonymousRefusal(db: TDb, r: TAnonymousRefusal, at = new Date()): { limited: boolean; retryAfterSeconds: number } {
  const c = counter();
  const minute = minuteOf(at);
  if (minute !== c.minute) {
    c.minute = minute;
    c.perSource.clear();
  }
  let sourceIp = capAddress(r.sourceIp) ?? "unknown";
  const seen = (c.perSource.get(sourceIp) ?? 0) + 1;
  if (c.perSource.has(sourceIp) || c.perSource.size < MAX_PENDING_BUCKETS) c.perSource.set(sourceIp, seen);
  const key = (ip: string) => `${r.cluster}\u0000${ip}\u0000${r.action}\u0000${minute}`;
  if (!c.pending.has(key(sourceIp)) && c.pending.size >= MAX_PENDING_BUCKETS) sourceIp = "*";
  const k = key(sourceIp);
  const bucket = c.pending.get(k);
  if (bucket) {
    bucket.count++;
    bucket.lastAt = at;
  } else {
    c.pending.set(k, {
      cluster: r.cluster,
      sourceIp,
      action: r.action.slice(0, 100),
      minute: new Date(minute),
      count: 1,
      target: r.target.slice(0, 253),
      userAgent: capUserAgent(r.userAgent),
      firstAt: at,
      lastAt: at,
    });
  }
  scheduleFlush(db);
  return { limited: seen > ANONYMOUS_LIMIT_PER_MINUTE, retryAfterSeconds: Math.max(1, Math.ceil((minute + 60_000 - at.getTime()) / 1000)) };
}

function scheduleFlush(db: TDb) {
  const c = counter();
  if (c.timer) return;
  c.timer = setTimeout(() => {
    c.timer = null;
    void flushAnonymousRefusals(db).catch((err: unknown) => console.error("[node-rescue] could not store anonymous refusals", err));
  }, FLUSH_EVERY_MS);
  c.timer.unref();
}

/** Adds the counted refusals to their buckets (and prunes old buckets once an hour). */
export async function flushAnonymousRefusals(db: TDb): Promise<void> {
  const c = counter();
  if (c.flushing) await c.flushing;
  const batch = [...c.pending.values()];
  c.pending.clear();
  const run = async () => {
    for (const b of batch) {
      await db.$executeRaw(Prisma.sql`
        INSERT INTO "AnonymousRefusal" ("cluster", "sourceIp", "action", "minute", "count", "target", "userAgent", "firstAt", "lastAt")
        VALUES (${b.cluster}, ${b.sourceIp}, ${b.action}, ${b.minute}, ${b.count}, ${b.target}, ${b.userAgent}, ${b.firstAt}, ${b.lastAt})
        ON CONFLICT ("cluster", "sourceIp", "action", "minute")
        DO UPDATE SET "count" = "AnonymousRefusal"."count" + excluded."count", "lastAt" = excluded."lastAt"
      `);
    }
    if (Date.now() - c.lastPruneMs >= PRUNE_EVERY_MS) {
      c.lastPruneMs = Date.now();
      await pruneAnonymousRefusals(db);
    }
  };
  c.flushing = run().finally(() => {
    c.flushing = null;
  });
  await c.flushing;
}

/** Deletes buckets older than the retention; returns how many went. */
export async function pruneAnonymousRefusals(db: TDb, now = new Date(), days = RETENTION_DAYS): Promise<number> {
  const { count } = await db.anonymousRefusal.deleteMany({ where: { minute: { lt: new Date(now.getTime() - days * 86_400_000) } } });
  return count;
}
