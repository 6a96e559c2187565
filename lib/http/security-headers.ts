// The security headers of every response. Pages get a Content-Security-Policy with a fresh
// nonce per request (proxy.ts: Next puts the nonce on its own inline scripts); everything else
// (JSON, the event stream, static files) gets a policy that allows nothing, since none of it is
// meant to render. Style attributes stay allowed ('unsafe-inline' in style-src): React and the
// dialog primitive set them, and they cannot run code.

/** Headers for every response; HSTS only when the public URL is https. */
export function baseSecurityHeaders(opts: { https: boolean }): Record<string, string> {
  return {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    ...(opts.https ? { "Strict-Transport-Security": "max-age=31536000; includeSubDomains" } : {}),
  };
}

/** For responses that are not pages. */
export const NON_PAGE_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** For pages: scripts only with this response's nonce (and what they load), data from ourselves. */
export function pageCsp(opts: { nonce: string; dev?: boolean }): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${opts.nonce}' 'strict-dynamic'${opts.dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}
