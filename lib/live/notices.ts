// Process-wide notices for the event stream (app/api/events): an action's progress on a node
// changed, an audit row was written, auto-repair recorded a decision. None moves the snapshot's visible version, so the
// stream forwards them as their own events and browsers refetch just that query.
import { EventEmitter } from "node:events";
import { remember } from "@/lib/remember";

type TNotices = { progress: [node: string]; audit: []; repair: [] };

const bus = () =>
  remember("live-notices", () => {
    const e = new EventEmitter<TNotices>();
    e.setMaxListeners(0); // one listener pair per open event stream
    return e;
  });

/** A listener that throws must not fail the action or the audit write that announced it. */
function safely(what: string, emit: () => void) {
  try {
    emit();
  } catch (err) {
    console.error(`[node-rescue] a ${what} notice listener failed`, err);
  }
}

export const notifyProgress = (node: string) => safely("progress", () => bus().emit("progress", node));

/** Passes a written audit row through, announcing it (chain it after the insert: `.then(announceAudit)`). */
export function announceAudit<T>(row: T): T {
  safely("audit", () => bus().emit("audit"));
  return row;
}

/** Auto-repair recorded a decision (or a person answered one). */
export const notifyRepair = () => safely("repair", () => bus().emit("repair"));

type THandlers = { [K in keyof TNotices]: (...args: TNotices[K]) => void };

/** Subscribes to the notices given; returns the unsubscribe. */
export function onNotices(handlers: Partial<THandlers>) {
  const b = bus();
  const entries = Object.entries(handlers) as [keyof TNotices, (...args: unknown[]) => void][];
  for (const [name, handler] of entries) b.on(name, handler);
  return () => {
    for (const [name, handler] of entries) b.off(name, handler);
  };
}
