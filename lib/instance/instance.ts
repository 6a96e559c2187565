// This server process as the database knows it: an Instance row whose heartbeat it renews.
// Attempts and node locks carry the instance that owns them, so another process (a second
// replica, or this one restarted) can tell a live owner from a dead one: an instance is gone
// when it said it stopped, when its heartbeat is older than INSTANCE_STALE_MS, or when it ran
// on this host and its process no longer exists (a restart need not wait for staleness).

import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { TDb } from "@/lib/db";
import { remember } from "@/lib/remember";
import { onShutdown } from "@/lib/shutdown";

export const INSTANCE_HEARTBEAT_MS = 5_000;
export const INSTANCE_STALE_MS = 20_000;

export type TInstanceRow = { id: string; host: string; pid: number; heartbeatAt: Date; stoppedAt: Date | null };
export type TSelf = { id: string; host: string; pid: number };

/** Whether the process `pid` exists on this host. */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Pure but for the process check: is `owner` gone, as seen by `self` at `now`? */
export function isInstanceGone(owner: TInstanceRow | null, self: TSelf, now: Date, alive = processAlive): boolean {
  if (!owner) return true;
  if (owner.id === self.id) return false;
  if (owner.stoppedAt) return true;
  if (now.getTime() - owner.heartbeatAt.getTime() > INSTANCE_STALE_MS) return true;
  // Same host: a predecessor with our own pid (a restarted container is pid 1 again), or a pid
  // that no longer runs, is dead now.
  return owner.host === self.host && (owner.pid === self.pid || !alive(owner.pid));
}

/** The instance ids among `ids` (null: written before instances existed) whose owner is gone. */
export async function goneOwners(db: TDb, self: TSelf, ids: ReadonlyArray<string | null>, now = new Date()): Promise<Set<string | null>> {
  const distinct = [...new Set(ids)];
  const rows = await db.instance.findMany({ where: { id: { in: distinct.filter((i): i is string => i !== null) } } });
  const byId = new Map(rows.map((r) => [r.id, r]));
  return new Set(distinct.filter((id) => id === null || isInstanceGone(byId.get(id) ?? null, self, now)));
}

type TInstanceState = { self: TSelf; ready: Promise<void>; timer: NodeJS.Timeout | null };

/**
 * Registers this process once (as `host`: the hostname, or NODE_RESCUE_INSTANCE_NAME) and keeps its
 * heartbeat; `onBeat` runs after registration and after every heartbeat (the leader reconciles
 * what dead instances left there). `ready` resolves
 * after the first `onBeat`: actions wait for it.
 */
const holder = () => remember("instance", () => ({ state: null as TInstanceState | null }));

export function startInstance(db: TDb, onBeat: (self: TSelf) => Promise<void>, host = hostname()): TInstanceState {
  const h = holder();
  h.state ??= (() => {
    const self: TSelf = { id: randomUUID(), host, pid: process.pid };
    const state: TInstanceState = { self, ready: Promise.resolve(), timer: null };
    const beat = async () => {
      await db.instance.update({ where: { id: self.id }, data: { heartbeatAt: new Date() } });
      await onBeat(self);
    };
    state.ready = (async () => {
      await db.instance.create({ data: { ...self, heartbeatAt: new Date() } });
      onShutdown(() => stopInstance(db));
      await onBeat(self);
    })();
    state.ready
      .catch((err: unknown) => console.error("[node-rescue] instance registration failed", err))
      .finally(() => {
        state.timer = setInterval(() => {
          void beat().catch((err: unknown) => console.error("[node-rescue] instance heartbeat failed", err));
        }, INSTANCE_HEARTBEAT_MS);
        state.timer.unref();
      });
    return state;
  })();
  return h.state;
}

/** This process's instance, if started. */
export const currentInstance = (): TInstanceState | null => holder().state;

/** Says this process stopped (on SIGTERM), so others need not wait for its heartbeat to age. */
export async function stopInstance(db: TDb): Promise<void> {
  const state = currentInstance();
  if (!state) return;
  if (state.timer) clearInterval(state.timer);
  await db.instance.update({ where: { id: state.self.id }, data: { stoppedAt: new Date() } }).catch(() => undefined);
}
