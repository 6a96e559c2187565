// The HTTP server node-rescue runs in: Next.js' request handler behind a plain Node server that
// does what `next start` cannot be told to do —
//   - decides the client's address once (the socket's, or the rightmost untrusted hop behind
//     NODE_RESCUE_TRUSTED_PROXIES) and overwrites every forwarding header a client could forge;
//   - bounds the request head (8 KiB: a 16 kB User-Agent cost 1.4 s of CPU in Next's bot
//     detection, quadratic in its length) and clips the User-Agent to 512 characters before
//     Next sees it; refuses declared bodies over 64 KiB and closes connections whose body was
//     still arriving when the answer was sent (the routes cap what they read themselves);
//   - adds the security headers of lib/http/security-headers.ts (pages get their CSP with a
//     nonce from proxy.ts).
//
// `next build` is followed by an esbuild bundle of this file (scripts/app-server.ts), so the
// server runs as plain JavaScript with no TypeScript loader in the process:
//   node .next/node-rescue-server.mjs --dir . --host 127.0.0.1 --port 3000
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { parseArgs } from "node:util";
import next from "next";
import { MAX_USER_AGENT_CHARS } from "../lib/audit/caps";
import { env } from "../lib/env";
import { CLIENT_ADDRESS_HEADER, parseTrustedProxies, resolveClientAddress, type TTrustedProxies } from "../lib/http/client-address";
import { MAX_BODY_BYTES } from "../lib/http/read-body";
import { baseSecurityHeaders, NON_PAGE_CSP } from "../lib/http/security-headers";
import { runShutdownHooks } from "../lib/shutdown";

/** Request line and headers together; Node answers 431 past it. Cookies and tokens fit easily. */
export const MAX_HEADER_BYTES = 8 * 1024;

const FORWARDING_HEADERS = ["x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-port", "x-real-ip", "forwarded"];

const lastHop = (value: string | string[] | undefined) => {
  const joined = Array.isArray(value) ? value.join(",") : value;
  return joined?.split(",").at(-1)?.trim() || undefined;
};

/** Rewrites what the app will read about the client; returns the client's address. */
export function normalizeRequestHeaders(req: IncomingMessage, trusted: TTrustedProxies | null): string {
  const h = req.headers;
  const { client, viaTrustedProxy } = resolveClientAddress({
    socketAddress: req.socket.remoteAddress,
    forwardedFor: h["x-forwarded-for"],
    trusted,
  });
  // What the nearest trusted proxy says about the scheme and host it received; nothing otherwise.
  const proto = viaTrustedProxy ? lastHop(h["x-forwarded-proto"]) : undefined;
  const host = viaTrustedProxy ? lastHop(h["x-forwarded-host"]) : undefined;
  for (const name of FORWARDING_HEADERS) delete h[name];
  h[CLIENT_ADDRESS_HEADER] = client;
  h["x-forwarded-for"] = client;
  if (proto === "http" || proto === "https") h["x-forwarded-proto"] = proto;
  if (host) h["x-forwarded-host"] = host;
  const ua = h["user-agent"];
  if (ua && ua.length > MAX_USER_AGENT_CHARS) h["user-agent"] = ua.slice(0, MAX_USER_AGENT_CHARS);
  return client;
}

function refuse(res: ServerResponse, status: number, message: string) {
  res.writeHead(status, { "Content-Type": "application/json", Connection: "close" });
  res.end(JSON.stringify({ error: { code: status === 413 ? "payload_too_large" : "bad_request", message } }));
}

async function main() {
  const { values } = parseArgs({
    options: {
      dir: { type: "string", default: "." },
      host: { type: "string", default: "127.0.0.1" },
      port: { type: "string", default: "3000" },
    },
  });
  const e = env();
  const trusted = parseTrustedProxies(e.NODE_RESCUE_TRUSTED_PROXIES);
  const security = baseSecurityHeaders({ https: e.NODE_RESCUE_BASE_URL?.startsWith("https:") ?? false });
  const port = Number(values.port);
  const app = next({ dev: false, dir: values.dir, hostname: values.host, port });
  await app.prepare();
  const handle = app.getRequestHandler();

  const server = createServer({ maxHeaderSize: MAX_HEADER_BYTES, headersTimeout: 20_000, requestTimeout: 60_000 }, (req, res) => {
    normalizeRequestHeaders(req, trusted);
    for (const [name, value] of Object.entries(security)) res.setHeader(name, value);
    const path = req.url ?? "/";
    if (path.startsWith("/api/") || path.startsWith("/_next/") || path.split("?")[0] === "/metrics")
      res.setHeader("Content-Security-Policy", NON_PAGE_CSP);
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > MAX_BODY_BYTES) return refuse(res, 413, `request body larger than ${MAX_BODY_BYTES} bytes`);
    // A body still arriving after the answer (never read, or cut at the cap) is not drained.
    res.on("finish", () => {
      if (!req.complete) req.socket.destroy();
    });
    handle(req, res).catch((err: unknown) => {
      console.error("[node-rescue] request failed", err);
      if (!res.headersSent) refuse(res, 500, "internal error");
    });
  });
  server.listen(port, values.host, () => {
    console.log(`[node-rescue] listening on http://${values.host}:${port}${trusted ? ` (trusted proxies: ${trusted.text})` : ""}`);
  });
  // The hooks say, for one, that this instance stopped, so a peer need not wait for its heartbeat to age.
  const stop = () => {
    server.close();
    void runShutdownHooks()
      .then(() => app.close())
      .finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 3_000).unref();
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
