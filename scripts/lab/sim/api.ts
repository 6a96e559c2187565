// Minimal HTTPS client for the lab's kube-apiserver: raw node:https with keep-alive agents and the
// admin client certificate. Raw requests (no client library) keep per-request cost low enough for
// thousands of heartbeats per interval.

import type { IncomingMessage } from "node:http";
import { Agent, request as httpsRequest } from "node:https";

export interface ApiResponse {
  code: number;
  text: string;
}

export type Pool = "heartbeat" | "register" | "pods" | "watch";

export interface ApiOptions {
  server: string;
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
}

export const MERGE_PATCH = "application/merge-patch+json";
export const STRATEGIC_PATCH = "application/strategic-merge-patch+json";

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/;
const REQUEST_TIMEOUT_MS = 30_000;
// A keep-alive socket the server closed while idle fails the next request with one of these;
// sending again on a fresh socket is safe for everything this client does.
const RETRYABLE = new Set(["ECONNRESET", "EPIPE", "ECONNREFUSED"]);

export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

/** Throws unless the response code is one of `ok`; returns the response otherwise. */
export function expectCode(what: string, r: ApiResponse, ...ok: number[]): ApiResponse {
  if (!ok.includes(r.code)) throw new ApiError(`${what}: HTTP ${r.code} ${r.text.slice(0, 200)}`, r.code);
  return r;
}

export class KubeApi {
  readonly url: URL;
  // Separate socket pools so a flood of pod writes never queues lease renewals behind it.
  private readonly agents: Record<Pool, Agent>;

  constructor(opts: ApiOptions) {
    this.url = new URL(opts.server);
    // The simulator only ever talks to a local lab.
    if (!LOOPBACK.test(this.url.hostname)) throw new Error(`refusing non-loopback apiserver ${opts.server}`);
    const tls = { ca: opts.ca, cert: opts.cert, key: opts.key };
    const agent = (maxSockets: number) =>
      new Agent({ ...tls, keepAlive: true, maxSockets, maxFreeSockets: maxSockets, scheduling: "lifo" });
    this.agents = { heartbeat: agent(128), register: agent(32), pods: agent(48), watch: agent(2) };
  }

  request(method: string, path: string, body?: unknown, opts: { contentType?: string; pool?: Pool } = {}) {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const once = () => this.send(method, path, data, opts.contentType, opts.pool ?? "pods");
    return once().catch((e: NodeJS.ErrnoException) => {
      if (e.code && RETRYABLE.has(e.code)) return once();
      throw e;
    });
  }

  get(path: string, pool: Pool = "pods") {
    return this.request("GET", path, undefined, { pool });
  }

  /** Opens a streaming GET (a watch); resolves with the response, whose body the caller reads. */
  stream(path: string, signal: AbortSignal): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const req = httpsRequest(
        { ...this.base(path, "GET"), agent: this.agents.watch, signal, headers: { Accept: "application/json" } },
        resolve,
      );
      req.on("error", reject);
      req.end();
    });
  }

  destroy() {
    for (const a of Object.values(this.agents)) a.destroy();
  }

  private base(path: string, method: string) {
    return { host: this.url.hostname, port: this.url.port || 443, path, method };
  }

  private send(method: string, path: string, data: string | undefined, contentType: string | undefined, pool: Pool) {
    return new Promise<ApiResponse>((resolve, reject) => {
      const headers: Record<string, string | number> = { Accept: "application/json", "User-Agent": "node-rescue-kubelet-sim" };
      if (data !== undefined) {
        headers["Content-Type"] = contentType ?? "application/json";
        headers["Content-Length"] = Buffer.byteLength(data);
      }
      const req = httpsRequest({ ...this.base(path, method), headers, agent: this.agents[pool] }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ code: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      });
      req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error(`${method} ${path}: timeout`)));
      req.on("error", reject);
      req.end(data);
    });
  }
}
