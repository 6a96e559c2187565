// The lab stops a node's kubelet by creating a file named after the node in a directory; this
// polls that directory and reports each change.
import { readdirSync } from "node:fs";
import { readdir } from "node:fs/promises";

const listSync = (dir: string) => {
  try {
    return new Set(readdirSync(dir).filter((n) => !n.startsWith(".")));
  } catch {
    return new Set<string>(); // no directory yet: nothing is stopped
  }
};

export class StoppedKubeletsPoller {
  private current: Set<string>;
  private timer: NodeJS.Timeout | undefined;
  private busy = false;

  constructor(
    private readonly dir: string,
    private readonly onChange: (name: string, stopped: boolean) => void,
    private readonly intervalMs = 250,
  ) {
    this.current = listSync(dir);
  }

  /** Names stopped right now (read when the poller was made, then on every poll). */
  get stopped(): ReadonlySet<string> {
    return this.current;
  }

  start() {
    this.timer = setInterval(() => void this.poll(), this.intervalMs);
  }

  stop() {
    clearInterval(this.timer);
  }

  private async poll() {
    if (this.busy) return;
    this.busy = true;
    try {
      const next = await readdir(this.dir).then(
        (names) => new Set(names.filter((n) => !n.startsWith("."))),
        () => new Set<string>(),
      );
      const prev = this.current;
      this.current = next;
      for (const n of next) if (!prev.has(n)) this.onChange(n, true);
      for (const n of prev) if (!next.has(n)) this.onChange(n, false);
    } finally {
      this.busy = false;
    }
  }
}
