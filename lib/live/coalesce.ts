// At most one call per key per time window (no I/O; tested with fake timers). A drain reports pod after pod and a refusal flood writes row after row; each open
// event stream forwards the first at once and folds the rest into one call at the window's end,
// so the last state always goes out.

export function coalesceByKey(fn: (key: string) => void, windowMs: number) {
  /** Keys inside a window, and whether a call came in during it. */
  const open = new Map<string, { pending: boolean; timer: ReturnType<typeof setTimeout> }>();
  const startWindow = (key: string) => {
    const timer = setTimeout(() => {
      const w = open.get(key);
      open.delete(key);
      if (w?.pending) {
        fn(key);
        startWindow(key);
      }
    }, windowMs);
    open.set(key, { pending: false, timer });
  };
  return {
    call(key: string) {
      const w = open.get(key);
      if (w) {
        w.pending = true;
        return;
      }
      fn(key);
      startWindow(key);
    },
    /** Drops pending calls and their timers (the stream closed). */
    cancel() {
      for (const w of open.values()) clearTimeout(w.timer);
      open.clear();
    },
  };
}
