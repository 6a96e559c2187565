// Cross-site request forgery defence for requests that a browser authenticates by cookie. A
// cookie rides along with any request the browser sends to us, whoever's page asked for it;
// SameSite=Lax stops other *sites* only, and another port on the same host or a sibling
// subdomain is the same site. So a state-changing request is accepted only when the browser
// itself says it came from our own origin: an Origin header equal to ours, a Sec-Fetch-Site that
// is same-origin (or none: typed by the user), and a JSON body, which an HTML form cannot send
// and a cross-origin fetch cannot send without a CORS preflight that we never grant.
// Pure: the caller supplies the headers and the expected origin.

export type TOriginVerdict = { ok: true } | { ok: false; message: string };

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
export const isStateChanging = (method: string) => !SAFE_METHODS.has(method.toUpperCase());

/** The media type of a Content-Type header, lowercased, without parameters. */
const mediaType = (contentType: string | null) => contentType?.split(";")[0]?.trim().toLowerCase() ?? "";

/**
 * The dashboard's own origin: the configured public URL's, or else the one the request was
 * addressed to (X-Forwarded-Host or Host, and the scheme the server that node-rescue starts
 * vouches for in X-Forwarded-Proto). A cross-site page cannot change a victim's Host header.
 */
export function expectedOrigin(opts: { baseUrl?: string; headers: Headers; requestUrl: string }): string | null {
  if (opts.baseUrl) return new URL(opts.baseUrl).origin;
  // X-Forwarded-Host reaches the app only from a trusted proxy (scripts/server.ts), else Next
  // fills it from Host: behind a proxy it is the public name the browser used.
  const host = opts.headers.get("x-forwarded-host")?.split(",")[0]?.trim() || opts.headers.get("host");
  if (!host) return null;
  const proto = opts.headers.get("x-forwarded-proto")?.split(",")[0]?.trim() || new URL(opts.requestUrl).protocol.replace(/:$/, "");
  if (proto !== "http" && proto !== "https") return null;
  try {
    return new URL(`${proto}://${host}`).origin;
  } catch {
    return null; // a Host header that is not a host: nothing can match it
  }
}

/** Whether a cookie-authenticated, state-changing request may proceed. */
export function checkSameOrigin(opts: { headers: Headers; expected: string | null; requireJson?: boolean }): TOriginVerdict {
  const { headers, expected } = opts;
  const origin = headers.get("origin");
  if (origin === null) return { ok: false, message: "cross-site request refused: no Origin header" };
  if (origin === "null") return { ok: false, message: "cross-site request refused: Origin null (a sandboxed or file page)" };
  if (!expected) return { ok: false, message: "cross-site request refused: the dashboard's own origin is unknown (no Host header)" };
  if (origin !== expected) return { ok: false, message: `cross-site request refused: Origin ${origin} is not ${expected}` };
  const site = headers.get("sec-fetch-site");
  if (site !== null && site !== "same-origin" && site !== "none") {
    return { ok: false, message: `cross-site request refused: Sec-Fetch-Site ${site}` };
  }
  if ((opts.requireJson ?? true) && mediaType(headers.get("content-type")) !== "application/json") {
    return { ok: false, message: "request refused: Content-Type must be application/json" };
  }
  return { ok: true };
}
