// A minimal HTTPS client for the lab's own readiness checks, using the admin client certificate.
import { readFileSync } from "node:fs";
import { Agent, request } from "node:https";
import { join } from "node:path";

export type TLabHttp = ReturnType<typeof createLabHttp>;

export function createLabHttp(opts: { pkiDir: string }) {
  const agent = new Agent({
    keepAlive: true,
    ca: readFileSync(join(opts.pkiDir, "ca.crt")),
    cert: readFileSync(join(opts.pkiDir, "admin.crt")),
    key: readFileSync(join(opts.pkiDir, "admin.key")),
  });
  /** GET `url`; resolves with the status and body text, never throws on HTTP errors. */
  const get = (url: string, insecure = false) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      // The controllers serve self-signed certificates: skip verification for their /healthz only.
      const req = request(url, { agent: insecure ? undefined : agent, rejectUnauthorized: !insecure, timeout: 5_000 }, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (body += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on("timeout", () => req.destroy(new Error(`timeout: GET ${url}`)));
      req.on("error", reject);
      req.end();
    });
  return { get, close: () => agent.destroy() };
}
