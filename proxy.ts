// Next 16's middleware, for pages only (API routes and static files are not matched).
// - Every page gets a Content-Security-Policy with a fresh nonce (lib/http/security-headers.ts);
//   Next reads it from the request headers and puts the nonce on its own inline scripts.
// - A convenience, not the enforcement (app/(dashboard)/layout.tsx and every route handler check
//   the session themselves): pages without any session cookie go straight to /login, and the
//   requested path travels to the layout in a header for its own redirect.
import { getSessionCookie } from "better-auth/cookies";
import { type NextRequest, NextResponse } from "next/server";
import { loginPath } from "@/lib/auth/next-path";
import { PATH_HEADER } from "@/lib/auth/path-header";
import { pageCsp } from "@/lib/http/security-headers";

export function proxy(req: NextRequest) {
  const path = `${req.nextUrl.pathname}${req.nextUrl.search}`;
  const isLogin = req.nextUrl.pathname === "/login";
  if (!isLogin && !getSessionCookie(req) && !req.headers.has("authorization")) {
    return NextResponse.redirect(new URL(loginPath(path), req.url));
  }
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const csp = pageCsp({ nonce, dev: process.env.NODE_ENV === "development" });
  const headers = new Headers(req.headers);
  headers.set(PATH_HEADER, path);
  headers.set("x-nonce", nonce);
  headers.set("Content-Security-Policy", csp);
  const res = NextResponse.next({ request: { headers } });
  res.headers.set("Content-Security-Policy", csp);
  return res;
}

export const config = {
  // Pages only: API routes and /metrics answer 401 themselves and carry their own headers
  // (scripts/server.ts).
  matcher: ["/((?!api/|_next/|metrics$|favicon\\.ico).*)"],
};
