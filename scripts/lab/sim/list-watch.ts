// List + watch of one collection, the way a client-go reflector does it: a paginated list, then a
// watch from the list's resourceVersion with bookmarks; when a watch ends it resumes from the last
// resourceVersion seen, and only a 410 Gone (history compacted) or an error forces a fresh list.
// Objects are handed over one by one, so a 150,000-pod list never sits in memory at once.
import type { KubeApi } from "./api";
import { expectCode } from "./api";

export interface KObject {
  metadata: { name: string; namespace?: string; uid: string; resourceVersion?: string };
}

export interface ListWatchHandlers<T> {
  /** A fresh list starts: every object will be delivered again through `listed`. */
  listStart(): void;
  listed(obj: T): void;
  /** The list is complete: objects not delivered since `listStart` are gone. */
  listDone(): void;
  event(type: "ADDED" | "MODIFIED" | "DELETED", obj: T): void;
}

const PAGE = 500;
const BACKOFF_MS = 1_000;

class Gone extends Error {}

export class ListWatcher<T extends KObject> {
  lists = 0;
  events = 0;
  private abort = new AbortController();
  private running = false;

  constructor(
    private readonly api: KubeApi,
    /** Collection path, e.g. /api/v1/pods */
    private readonly path: string,
    /** Extra query, e.g. fieldSelector=... (already encoded); "" for none */
    private readonly query: string,
    private readonly handlers: ListWatchHandlers<T>,
    private readonly onError: (what: string, e: unknown) => void,
  ) {}

  start() {
    this.running = true;
    void this.loop();
  }

  stop() {
    this.running = false;
    this.abort.abort();
  }

  private async loop() {
    let rv: string | null = null;
    while (this.running) {
      try {
        rv ??= await this.list();
        rv = await this.watch(rv);
      } catch (e) {
        if (!this.running) return;
        if (!(e instanceof Gone)) {
          this.onError(`watch ${this.path}`, e);
          await new Promise((r) => setTimeout(r, BACKOFF_MS));
        }
        rv = null; // relist
      }
    }
  }

  private async list(): Promise<string> {
    this.lists++;
    this.handlers.listStart();
    let cont = "";
    for (;;) {
      const q = this.withQuery(`limit=${PAGE}${cont ? `&continue=${encodeURIComponent(cont)}` : ""}`);
      const r = expectCode(`list ${this.path}`, await this.api.get(`${this.path}?${q}`, "watch"), 200);
      const page = JSON.parse(r.text) as { metadata: { resourceVersion: string; continue?: string }; items: T[] };
      for (const item of page.items) this.handlers.listed(item);
      if (!page.metadata.continue) {
        this.handlers.listDone();
        return page.metadata.resourceVersion;
      }
      cont = page.metadata.continue;
    }
  }

  /** Watches until the server ends the stream; returns the resourceVersion to resume from. */
  private async watch(fromRv: string): Promise<string> {
    let rv = fromRv;
    // Server-side timeout between 5 and 10 min, as a reflector picks it, so watches end staggered.
    const timeout = 300 + Math.floor(Math.random() * 300);
    const q = this.withQuery(`watch=1&allowWatchBookmarks=true&resourceVersion=${rv}&timeoutSeconds=${timeout}`);
    const res = await this.api.stream(`${this.path}?${q}`, this.abort.signal);
    if (res.statusCode === 410) {
      res.resume();
      throw new Gone();
    }
    if (res.statusCode !== 200) {
      res.resume();
      throw new Error(`watch ${this.path}: HTTP ${res.statusCode}`);
    }
    res.setEncoding("utf8");
    let buf = "";
    for await (const chunk of res as AsyncIterable<string>) {
      const lines = (buf + chunk).split("\n");
      buf = lines.pop() ?? ""; // an event split across chunks waits for its end
      for (const line of lines) if (line.trim()) rv = this.dispatch(line, rv);
    }
    return rv;
  }

  private withQuery(rest: string) {
    return this.query ? `${this.query}&${rest}` : rest;
  }

  private dispatch(line: string, rv: string): string {
    const ev = JSON.parse(line) as { type: string; object: T & { code?: number; message?: string } };
    if (ev.type === "ERROR") {
      if (ev.object.code === 410) throw new Gone();
      throw new Error(`watch ${this.path}: ${ev.object.message ?? line.slice(0, 200)}`);
    }
    const next = ev.object.metadata.resourceVersion ?? rv;
    if (ev.type === "ADDED" || ev.type === "MODIFIED" || ev.type === "DELETED") {
      this.events++;
      this.handlers.event(ev.type, ev.object);
    }
    return next; // BOOKMARK only moves the resourceVersion forward
  }
}
