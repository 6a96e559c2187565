// A keyed work queue with bounded concurrency, like client-go's workqueue: a key queued twice runs
// once (the worker reads the latest state when it runs), and a key re-added while it is being
// processed runs again after it finishes, never twice at the same time.

export class KeyedWorkQueue {
  private readonly queue: string[] = [];
  private head = 0;
  private readonly queued = new Set<string>();
  private readonly running = new Set<string>();
  private readonly dirty = new Set<string>();
  private idleWaiters: (() => void)[] = [];
  private stopped = false;

  constructor(
    private readonly concurrency: number,
    private readonly worker: (key: string) => Promise<void>,
    private readonly onError: (key: string, e: unknown) => void = () => {},
  ) {}

  get pending() {
    return this.queued.size;
  }

  get inFlight() {
    return this.running.size;
  }

  add(key: string) {
    if (this.stopped) return;
    if (this.running.has(key)) {
      this.dirty.add(key);
      return;
    }
    if (this.queued.has(key)) return;
    this.queued.add(key);
    this.queue.push(key);
    this.pump();
  }

  /** Resolves when nothing is queued or running. */
  idle(): Promise<void> {
    if (this.queued.size === 0 && this.running.size === 0) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  stop() {
    this.stopped = true;
    this.queue.length = 0;
    this.head = 0;
    this.queued.clear();
    this.dirty.clear();
    this.checkIdle();
  }

  private take(): string | undefined {
    while (this.head < this.queue.length) {
      const key = this.queue[this.head++];
      // Compact now and then so a long run does not keep every key ever queued.
      if (this.head > 4096 && this.head * 2 > this.queue.length) {
        this.queue.splice(0, this.head);
        this.head = 0;
      }
      if (key !== undefined && this.queued.delete(key)) return key;
    }
    return undefined;
  }

  private pump() {
    while (this.running.size < this.concurrency) {
      const key = this.take();
      if (key === undefined) break;
      this.running.add(key);
      this.worker(key)
        .catch((e: unknown) => this.onError(key, e))
        .finally(() => {
          this.running.delete(key);
          if (this.dirty.delete(key)) this.add(key);
          this.pump();
          this.checkIdle();
        });
    }
  }

  private checkIdle() {
    if (this.queued.size > 0 || this.running.size > 0) return;
    const w = this.idleWaiters;
    this.idleWaiters = [];
    for (const r of w) r();
  }
}
