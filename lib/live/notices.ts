// Process-wide notices for the event stream (app/api/events): an action's progress on a node
// changed, an audit row was written. Neither moves the snapshot's visible version, so the
// stream forwards them as their own events and browsers refetch just that query.
import { EventEmitter } from "node:events";
import { remember } from "@/lib/remember";

type TNotices = { progress: [node: string]; audit: [] };

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

/** Subscribes to every notice; returns the unsubscribe. */
export function onNotices(handlers: { progress: (node: string) => void; audit: () => void }) {
  const b = bus();
  b.on("progress", handlers.progress);
  b.on("audit", handlers.audit);
  return () => {
    b.off("progress", handlers.progress);
    b.off("audit", handlers.audit);
  };
}
