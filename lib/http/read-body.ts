// Request bodies are read through here, with a cap: nothing node-rescue accepts is larger than a
// few kilobytes, and an unbounded body (or an endless chunked upload) is a cheap way to take the
// server's memory. The declared Content-Length is refused up front; a chunked body is counted
// as it arrives and the read stops at the cap.
import { ApiError } from "@/lib/api/errors";

/** 64 KiB: an action request is under 2 KB, a sign-in under 1 KB. */
export const MAX_BODY_BYTES = 64 * 1024;

const tooLarge = (limit: number) => new ApiError("payload_too_large", `request body larger than ${limit} bytes`);

/** The body's bytes, or ApiError 413 past `limit`. */
export async function readBodyBytes(req: Request, limit = MAX_BODY_BYTES): Promise<Uint8Array<ArrayBuffer>> {
  const declared = req.headers.get("content-length");
  if (declared !== null && Number(declared) > limit) throw tooLarge(limit);
  if (!req.body) return new Uint8Array();
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

/** The body parsed as JSON (undefined when it is not JSON), or ApiError 413 past `limit`. */
export async function readJsonBody(req: Request, limit = MAX_BODY_BYTES): Promise<unknown> {
  const bytes = await readBodyBytes(req, limit);
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
}

/** The same request with its body read under the cap, for handlers that read it themselves. */
export async function withCappedBody(req: Request, limit = MAX_BODY_BYTES): Promise<Request> {
  if (req.method === "GET" || req.method === "HEAD") return req;
  const bytes = await readBodyBytes(req, limit);
  const headers = new Headers(req.headers);
  headers.delete("transfer-encoding");
  headers.set("content-length", String(bytes.byteLength));
  return new Request(req.url, { method: req.method, headers, body: bytes, signal: req.signal });
}
