// One outbound HTTP request with Node's fetch: a deadline (AbortSignal.timeout), redirects not
// followed blindly (a 307/308 to the same origin is followed up to 3 times; any other redirect is
// a failure that names where it pointed), and at most 2 KiB of the answer read (for the error).
import type { TOutgoing } from "./types";

const MAX_REDIRECTS = 3;
const MAX_BODY_READ = 2_048;

export type TSendResult = { ok: boolean; status: number | null; error: string | null; retryAfter: string | null; ms: number };

/** Reads at most `limit` bytes of the body as text, then drops the rest. */
async function readCapped(res: Response, limit = MAX_BODY_READ): Promise<string> {
  if (!res.body) return "";
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return new TextDecoder().decode(Buffer.concat(chunks).subarray(0, limit));
}

const oneLine = (s: string, max = 300) => {
  const t = s.replace(/\s+/g, " ").trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
};

function describeError(err: unknown, timeoutMs: number): string {
  if (err instanceof Error) {
    if (err.name === "TimeoutError") return `timed out after ${timeoutMs} ms`;
    if (err.name === "AbortError") return "aborted (server stopping)";
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    if (cause?.code) return `${cause.code}${cause.message ? `: ${oneLine(cause.message, 200)}` : ""}`;
    return oneLine(err.message);
  }
  return oneLine(String(err));
}

export async function sendOutgoing(out: TOutgoing, opts: { timeoutMs: number; signal?: AbortSignal }): Promise<TSendResult> {
  const started = performance.now();
  const signal = opts.signal ? AbortSignal.any([opts.signal, AbortSignal.timeout(opts.timeoutMs)]) : AbortSignal.timeout(opts.timeoutMs);
  const done = (r: Omit<TSendResult, "ms">): TSendResult => ({ ...r, ms: Math.round(performance.now() - started) });
  let url = out.url;
  try {
    for (let hop = 0; ; hop++) {
      const res = await fetch(url, {
        method: "POST",
        headers: { "User-Agent": "node-rescue", ...out.headers },
        body: out.body,
        redirect: "manual",
        signal,
      });
      if (res.status >= 200 && res.status < 300) {
        await readCapped(res, 0);
        return done({ ok: true, status: res.status, error: null, retryAfter: null });
      }
      if (res.status >= 300 && res.status < 400) {
        await readCapped(res, 0);
        const location = res.headers.get("location");
        const next = location ? new URL(location, url) : null;
        const sameOrigin = next !== null && next.origin === new URL(url).origin;
        if (sameOrigin && (res.status === 307 || res.status === 308) && hop < MAX_REDIRECTS) {
          url = next.href;
          continue;
        }
        const where = next ? next.origin : "nowhere";
        return done({ ok: false, status: res.status, error: `HTTP ${res.status}: redirect to ${where} not followed`, retryAfter: null });
      }
      const text = oneLine(await readCapped(res));
      return done({
        ok: false,
        status: res.status,
        error: `HTTP ${res.status}${text ? `: ${text}` : ""}`,
        retryAfter: res.headers.get("retry-after"),
      });
    }
  } catch (err) {
    return done({ ok: false, status: null, error: describeError(err, opts.timeoutMs), retryAfter: null });
  }
}
