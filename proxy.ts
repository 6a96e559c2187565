// Next 16's middleware. A convenience, not the enforcement (app/(dashboard)/layout.tsx and every
// route handler check the session themselves): pages without any session cookie go straight to
// /login, and the requested path travels to the layout in a header for its own redirect.
import { getSessionCookie } from "better-auth/cookies";
import { type NextRequest, NextResponse } from "next/server";
import { loginPath } from "@/lib/auth/next-path";
import { PATH_HEADER } from "@/lib/auth/path-header";

export function proxy(req: NextRequest) {
  const path = `${req.nextUrl.pathname}${req.nextUrl.search}`;
  if (!getSessionCookie(req) && !req.headers.has("authorization")) {
    return NextResponse.redirect(new URL(loginPath(path), req.url));
  }
  const headers = new Headers(req.headers);
  headers.set(PATH_HEADER, path);
  return NextResponse.next({ request: { headers } });
}

export const config = {
  // Pages only: API routes answer 401 themselves; /login and static files need no session.
  matcher: ["/((?!api/|login|_next/|favicon\\.ico).*)"],
};
