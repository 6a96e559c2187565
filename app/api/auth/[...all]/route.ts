// better-auth's endpoints (/api/auth/sign-in/email, /sign-out, /get-session, OIDC callback, …).
// Sign-up is disabled in lib/auth/auth.ts: accounts come from `npm run users` and the demo.
import { getAuth } from "@/lib/auth/auth";

export const dynamic = "force-dynamic";

// Not `toNextJsHandler(getAuth())` at module level: `next build` imports this module, and the
// instance (secret, database) is created on the first request instead.
export const GET = (req: Request) => getAuth().handler(req);
export const POST = (req: Request) => getAuth().handler(req);
