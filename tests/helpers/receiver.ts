// A real HTTP receiver on 127.0.0.1 for notification tests: records every request (headers, body,
// arrival time) and answers with the status the test sets.
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export type TReceived = { path: string; headers: IncomingHttpHeaders; body: string; json: unknown; at: number; status: number };

export async function startReceiver(opts: { status?: number } = {}) {
  let status = opts.status ?? 200;
  const received: TReceived[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      let json: unknown = null;
      try {
        json = JSON.parse(body);
      } catch {}
      const answer = status;
      received.push({ path: req.url ?? "", headers: req.headers, body, json, at: Date.now(), status: answer });
      res.writeHead(answer, { "Content-Type": "text/plain" });
      res.end(answer < 300 ? "ok" : `receiver says no (${answer})`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    /** Requests it answered 2xx. */
    accepted: () => received.filter((r) => r.status < 300),
    setStatus: (s: number) => {
      status = s;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
