// The outbox's delivery worker: sends pending NotificationDelivery rows, per endpoint in event
// order, each at most once at a time across processes (a claim with an expiry), and records every
// attempt. A failing endpoint holds back its later deliveries (receivers see events in order)
// until it answers 2xx or the head delivery is given up ("failed"); other endpoints go on.
//
// Nothing waits for it: the monitor only calls `wake()`. State is all in the database, so a
// restart resumes where the last process stopped; a delivery claimed by a process that died is
// sent again once its claim expires (at least once; the CloudEvents id / PagerDuty dedup_key stay
// the same). Only a leader sends: `isLeader` (always true while there is one replica).
import type { TDb } from "@/lib/db";
import { backoffDelayMs, givenUp, retryAfterMs, type TBackoff } from "./backoff";
import { formatNotification } from "./format";
import { loadNotification } from "./notification-of";
import { sendOutgoing } from "./send";
import { ZNotificationFormat } from "./types";

export type TNotifierOptions = {
  db: TDb;
  cluster: string;
  /** Who claims deliveries (the Instance id). */
  owner: string;
  baseUrl?: string | null;
  backoff: TBackoff;
  maxAttempts: number;
  maxAgeMs: number;
  timeoutMs: number;
  pollMs?: number;
  isLeader?: () => boolean;
  log?: (msg: string) => void;
  /** Called after every recorded attempt (metrics, tests). */
  onAttempt?: (a: { deliveryId: number; endpointId: number; ok: boolean; status: number | null; ms: number }) => void;
};

export type TNotifier = ReturnType<typeof startNotifier>;

/** A claim outlives the request's deadline by this much before another process may take it. */
const CLAIM_MARGIN_MS = 5_000;

export function startNotifier(opts: TNotifierOptions) {
  const { db, cluster, owner } = opts;
  const log = opts.log ?? ((m: string) => console.log(`[node-rescue] ${m}`));
  const isLeader = opts.isLeader ?? (() => true);
  const stopping = new AbortController();
  const busy = new Map<number, Promise<void>>();
  let scanning: Promise<void> | null = null;
  let again = false;
  let dueTimer: NodeJS.Timeout | undefined;
  let dueAt = Number.POSITIVE_INFINITY;

  const scheduleAt = (at: number) => {
    if (stopping.signal.aborted || at >= dueAt) return;
    clearTimeout(dueTimer);
    dueAt = at;
    dueTimer = setTimeout(
      () => {
        dueAt = Number.POSITIVE_INFINITY;
        wake();
      },
      Math.max(20, at - Date.now()),
    );
    dueTimer.unref();
  };

  /** Endpoints with pending deliveries: start a drain for each that has none running here. */
  const scan = async () => {
    if (!isLeader()) return;
    const endpoints = await db.notificationEndpoint.findMany({ where: { cluster, enabled: true }, select: { id: true } });
    if (endpoints.length === 0) return;
    const pending = await db.notificationDelivery.groupBy({
      by: ["endpointId"],
      where: { status: "pending", eventId: { not: null }, endpointId: { in: endpoints.map((e) => e.id) } },
    });
    for (const { endpointId } of pending) {
      if (busy.has(endpointId) || stopping.signal.aborted) continue;
      const run = drain(endpointId)
        .catch((err: unknown) => log(`notifications: endpoint ${endpointId}: ${err instanceof Error ? err.message : err}`))
        .finally(() => busy.delete(endpointId));
      busy.set(endpointId, run);
    }
  };

  function wake() {
    if (stopping.signal.aborted) return;
    if (scanning) {
      again = true;
      return;
    }
    scanning = scan()
      .catch((err: unknown) => log(`notifications: scan failed: ${err instanceof Error ? err.message : err}`))
      .finally(() => {
        scanning = null;
        if (again) {
          again = false;
          wake();
        }
      });
  }

  /** Sends one endpoint's deliveries in event order until one fails or is not due yet. */
  async function drain(endpointId: number) {
    while (!stopping.signal.aborted && isLeader()) {
      const endpoint = await db.notificationEndpoint.findUnique({ where: { id: endpointId } });
      if (!endpoint?.enabled) return;
      const head = await db.notificationDelivery.findFirst({
        where: { endpointId, status: "pending", eventId: { not: null } },
        orderBy: { eventId: "asc" },
      });
      if (!head || head.eventId === null) return;
      const now = new Date();
      if (head.nextAttemptAt > now) return scheduleAt(head.nextAttemptAt.getTime());
      if (head.claimedUntil && head.claimedUntil > now && head.claimedBy !== owner) return scheduleAt(head.claimedUntil.getTime());
      const claimed = await db.notificationDelivery.updateMany({
        where: { id: head.id, status: "pending", OR: [{ claimedUntil: null }, { claimedUntil: { lte: now } }, { claimedBy: owner }] },
        data: { claimedBy: owner, claimedUntil: new Date(now.getTime() + opts.timeoutMs + CLAIM_MARGIN_MS) },
      });
      if (claimed.count !== 1) return;
      const release = { claimedBy: null, claimedUntil: null };
      const mine = { id: head.id, claimedBy: owner };

      const notification = await loadNotification(db, head.eventId, opts.baseUrl);
      const outgoing = notification
        ? formatNotification(
            notification,
            { format: ZNotificationFormat.parse(endpoint.format), url: endpoint.url, secret: endpoint.secret },
            now,
          )
        : null;
      if (!outgoing) {
        await db.notificationDelivery.updateMany({
          where: mine,
          data: { ...release, status: "skipped", lastError: notification ? null : "the incident event no longer exists" },
        });
        continue;
      }
      const result = await sendOutgoing(outgoing, { timeoutMs: opts.timeoutMs, signal: stopping.signal });
      const at = new Date();
      if (stopping.signal.aborted && !result.ok) {
        // Stopping mid-request: not the receiver's failure. Left pending (and unclaimed) for the next process.
        await db.notificationDelivery.updateMany({ where: mine, data: release }).catch(() => undefined);
        return;
      }
      const attempts = head.attempts + 1;
      opts.onAttempt?.({ deliveryId: head.id, endpointId, ok: result.ok, status: result.status, ms: result.ms });
      if (result.ok) {
        await db.notificationDelivery.updateMany({
          where: mine,
          data: {
            ...release,
            status: "delivered",
            attempts,
            lastAttemptAt: at,
            lastStatusCode: result.status,
            lastError: null,
            deliveredAt: at,
          },
        });
        continue;
      }
      const gaveUp = givenUp({
        attempts,
        createdAt: head.retriedAt ?? head.createdAt,
        now: at,
        maxAttempts: opts.maxAttempts,
        maxAgeMs: opts.maxAgeMs,
      });
      const delay = Math.max(backoffDelayMs(attempts, opts.backoff), retryAfterMs(result.retryAfter, at, opts.backoff.capMs) ?? 0);
      await db.notificationDelivery.updateMany({
        where: mine,
        data: {
          ...release,
          status: gaveUp ? "failed" : "pending",
          attempts,
          lastAttemptAt: at,
          lastStatusCode: result.status,
          lastError: result.error,
          nextAttemptAt: new Date(at.getTime() + delay),
        },
      });
      if (gaveUp) {
        log(`notifications: gave up delivery ${head.id} to "${endpoint.name}" after ${attempts} attempt(s): ${result.error}`);
        continue;
      }
      if (attempts === 1 || attempts % 5 === 0)
        log(`notifications: "${endpoint.name}" failed (attempt ${attempts}, next in ${Math.round(delay / 100) / 10} s): ${result.error}`);
      return scheduleAt(at.getTime() + delay);
    }
  }

  const poll = setInterval(wake, opts.pollMs ?? 2_000);
  poll.unref();
  wake();

  return {
    /** Something may be due (new incident events): look now instead of at the next poll. */
    wake,
    /** Resolves when nothing is being sent by this process (tests). */
    idle: async () => {
      while (scanning || busy.size) await Promise.all([scanning, ...busy.values()]);
    },
    /** Stops polling, aborts requests in flight (their deliveries stay pending, unclaimed). */
    stop: async () => {
      stopping.abort();
      clearInterval(poll);
      clearTimeout(dueTimer);
      await Promise.all([scanning, ...busy.values()]);
    },
  };
}
