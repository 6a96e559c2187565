// better-auth's endpoints (/api/auth/sign-in/email, /sign-out, /get-session, OIDC callback, …).
// Sign-up is disabled in lib/auth/auth.ts: accounts come from `npm run users` and the demo.
// POSTs come only from our own pages (the same Origin rule as every cookie-borne action: no
// sign-in or sign-out forced from another page) and with a capped body.
import { ApiError, handleApiError } from "@/lib/api/errors";
import { getAuth } from "@/lib/auth/auth";
import { sameOriginRefusal } from "@/lib/auth/guard";
import { withCappedBody } from "@/lib/http/read-body";

export const dynamic = "force-dynamic";

// Not `toNextJsHandler(getAuth())` at module level: `next build` imports this module, and the
// instance (secret, database) is created on the first request instead.
export const GET = (req: Request) => getAuth().handler(req);

export async function POST(req: Request) {
  try {
    const refusal = sameOriginRefusal(req);
    if (refusal) throw new ApiError("forbidden", refusal);
    return await getAuth().handler(await withCappedBody(req));
  } catch (err) {
    return handleApiError(err);
  }
}
