// List+watch of one resource into an in-memory store: paged list, watch from its resourceVersion
// with bookmarks, re-watch when the server ends the stream, re-list on 410 Gone, and retry with
// capped exponential backoff on errors. Reports its state so the UI can say "reconnecting since…".

import { request as httpRequest } from "node:http";
import { request } from "node:https";
import { type KubeConfig, Watch } from "@kubernetes/client-node";
import { slim } from "./revive";

export type TKubeObject = { metadata?: { name?: string; namespace?: string; resourceVersion?: string; managedFields?: unknown } };
export type TWatchState =
  | { phase: "starting" }
  | { phase: "synced"; since: Date }
  | { phase: "retrying"; since: Date; attempt: number; error: string };

export type TListWatch<T> = {
  readonly path: string;
  store: Map<string, T>;
  state: () => TWatchState;
  /** Retry now instead of waiting out the backoff (the connection probe saw the server return). */
  retryNow: () => void;
  stop: () => void;
};

export const objectKey = (o: TKubeObject) =>
  o.metadata?.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : (o.metadata?.name ?? "");

export class ApiStatusError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** GET a JSON path from the API server with the kubeconfig's credentials. */
export async function getJson<T>(kc: KubeConfig, path: string, timeoutMs = 30_000): Promise<T> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error("the kubeconfig has no current cluster");
  const url = new URL(cluster.server + path);
  const opts: import("node:https").RequestOptions = { method: "GET", headers: { Accept: "application/json" }, timeout: timeoutMs };
  await kc.applyToHTTPSOptions(opts);
  return new Promise<T>((resolve, reject) => {
    const req = (url.protocol === "https:" ? request : httpRequest)(url, opts, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", reject);
      res.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        if (res.statusCode !== 200) {
          let message = body.slice(0, 300);
          try {
            message = JSON.parse(body).message ?? message;
          } catch {}
          reject(new ApiStatusError(res.statusCode ?? 0, `GET ${path}: ${res.statusCode} ${message}`));
          return;
        }
        try {
          resolve(JSON.parse(body) as T);
        } catch (err) {
          reject(err);
        }
      });
    });
    req.on("timeout", () => req.destroy(new Error(`GET ${path}: timed out after ${timeoutMs} ms`)));
    req.on("error", reject);
    req.end();
  });
}

type TList<T> = { items: T[]; metadata: { resourceVersion: string; continue?: string } };

export function startListWatch<T extends TKubeObject>(opts: {
  kc: KubeConfig;
  /** Collection path, e.g. /api/v1/pods or /apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases. */
  path: string;
  /** Called with the path after every change to the store (bursts: the caller coalesces). */
  onChange: (path: string) => void;
  onState?: (state: TWatchState) => void;
  fieldSelector?: string;
  /** Keeps only what the server needs of each object (pods are the bulk of the memory). */
  project?: (obj: T) => T;
  pageSize?: number;
}): TListWatch<T> {
  const keep = (obj: T) => (opts.project ? opts.project(slim(obj)) : slim(obj));
  const store = new Map<string, T>();
  const watch = new Watch(opts.kc);
  let state: TWatchState = { phase: "starting" };
  let resourceVersion = "";
  let stopped = false;
  let attempt = 0;
  let abort: AbortController | undefined;
  let retryTimer: NodeJS.Timeout | undefined;

  const setState = (s: TWatchState) => {
    state = s;
    opts.onState?.(s);
  };

  async function list() {
    const fresh = new Map<string, T>();
    let cont: string | undefined;
    do {
      const q = new URLSearchParams({ limit: String(opts.pageSize ?? 500) });
      if (opts.fieldSelector) q.set("fieldSelector", opts.fieldSelector);
      if (cont) q.set("continue", cont);
      const page = await getJson<TList<T>>(opts.kc, `${opts.path}?${q}`);
      for (const item of page.items) fresh.set(objectKey(item), keep(item));
      resourceVersion = page.metadata.resourceVersion;
      cont = page.metadata.continue || undefined;
    } while (cont);
    store.clear();
    for (const [k, v] of fresh) store.set(k, v);
    opts.onChange(opts.path);
  }

  function retry(err: unknown) {
    if (stopped) return;
    attempt += 1;
    const since = state.phase === "retrying" ? state.since : new Date();
    const message = err instanceof Error ? err.message : String(err);
    // A list's error names its path already; a watch's ("Forbidden") must too, or a missing RBAC verb is a riddle.
    setState({ phase: "retrying", since, attempt, error: message.includes(opts.path) ? message : `WATCH ${opts.path}: ${message}` });
    // 0.5 s, 1 s, 2 s … capped at 15 s, with jitter so informers do not reconnect in lockstep.
    const delay = Math.min(15_000, 500 * 2 ** Math.min(attempt - 1, 5)) * (0.75 + Math.random() * 0.5);
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void run();
    }, delay);
  }

  async function run() {
    if (stopped) return;
    try {
      if (!resourceVersion) await list();
      let ended = false;
      abort = await watch.watch(
        opts.path,
        { resourceVersion, allowWatchBookmarks: true, ...(opts.fieldSelector ? { fieldSelector: opts.fieldSelector } : {}) },
        (type: string, obj: T & { code?: number }) => {
          if (type === "ERROR") {
            if (obj.code === 410) resourceVersion = ""; // too old: the next run re-lists
            return;
          }
          if (obj.metadata?.resourceVersion) resourceVersion = obj.metadata.resourceVersion;
          if (type === "BOOKMARK") return;
          if (type === "DELETED") store.delete(objectKey(obj));
          else store.set(objectKey(obj), keep(obj));
          opts.onChange(opts.path);
        },
        (err: unknown) => {
          ended = true;
          if (stopped) return;
          if (err && (err as { statusCode?: number }).statusCode === 410) resourceVersion = "";
          if (err) return retry(err);
          void run(); // the server closed the stream normally: re-watch from where we are
        },
      );
      // `done` may already have run (connection refused): then a retry is scheduled instead.
      if (ended) return;
      if (state.phase !== "synced") setState({ phase: "synced", since: new Date() });
      attempt = 0;
    } catch (err) {
      if (err instanceof ApiStatusError && err.status === 410) resourceVersion = "";
      retry(err);
    }
  }

  void run();
  return {
    path: opts.path,
    store,
    state: () => state,
    retryNow: () => {
      if (state.phase !== "retrying" || stopped || retryTimer === undefined) return;
      clearTimeout(retryTimer);
      retryTimer = undefined;
      void run();
    },
    stop: () => {
      stopped = true;
      clearTimeout(retryTimer);
      abort?.abort();
    },
  };
}
