// Batches transitions coming from watch events into recorder calls: a flush every
// `maxDelayMs` after the first queued item, or at once when `maxItems` are queued. A node
// storm thus becomes a few large transactions instead of thousands of small ones.
import type { TTransitionRecorder } from "./record";
import { type TStoredTransition, type TTransitionInput, ZTransitionInput } from "./types";

export type TTransitionQueue = {
  /** Queues one transition; throws at once (a ZodError) if it is malformed. */
  enqueue: (transition: TTransitionInput) => void;
  /** Writes everything queued now; resolves with the rows written. */
  flush: () => Promise<TStoredTransition[]>;
  /** Stops the timer and writes what is left. Further enqueue() calls throw. */
  close: () => Promise<TStoredTransition[]>;
  size: () => number;
};

export const createTransitionQueue = (options: {
  recorder: TTransitionRecorder;
  maxItems?: number;
  maxDelayMs?: number;
  /** Called with the rows of every flush that wrote something (e.g. to publish events). */
  onWritten?: (rows: TStoredTransition[]) => void;
  /** Called when a timed flush fails; the batch stays queued and is retried. */
  onError?: (error: unknown) => void;
}): TTransitionQueue => {
  const { recorder, maxItems = 500, maxDelayMs = 250, onWritten, onError } = options;
  let buffer: TTransitionInput[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  let flushing: Promise<unknown> = Promise.resolve();

  const schedule = () => {
    if (timer || closed) return;
    timer = setTimeout(() => {
      timer = undefined;
      flush().catch((error: unknown) => onError?.(error));
    }, maxDelayMs);
  };

  const flushNow = async (): Promise<TStoredTransition[]> => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const batch = buffer;
    buffer = [];
    if (batch.length === 0) return [];
    try {
      const rows = await recorder.record(batch);
      if (rows.length > 0) onWritten?.(rows);
      return rows;
    } catch (error) {
      // Keep the order: the failed batch goes back in front of anything queued meanwhile.
      buffer = [...batch, ...buffer];
      schedule();
      throw error;
    }
  };

  // Flushes run one after another so batches commit in the order they were queued.
  const flush = () => {
    const result = flushing.then(flushNow);
    flushing = result.catch(() => undefined);
    return result;
  };

  const enqueue = (transition: TTransitionInput) => {
    if (closed) throw new Error("transition queue is closed");
    buffer.push(ZTransitionInput.parse(transition));
    if (buffer.length >= maxItems) {
      flush().catch((error: unknown) => onError?.(error));
    } else {
      schedule();
    }
  };

  const close = async () => {
    closed = true;
    return flush();
  };

  return { enqueue, flush, close, size: () => buffer.length };
};
