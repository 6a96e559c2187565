import { redirect } from "next/navigation";
import { LoginForm } from "@/components/auth/login-form";
import { readDemoCredentials } from "@/lib/auth/demo-users";
import { ACCOUNT_DISABLED_CODE, ACCOUNT_DISABLED_MESSAGE } from "@/lib/auth/disabled";
import { currentActor } from "@/lib/auth/guard";
import { safeNextPath } from "@/lib/auth/next-path";
import { oidcConfig } from "@/lib/auth/oidc";
import { env } from "@/lib/env";

export const dynamic = "force-dynamic";

export const metadata = { title: "Sign in · node-rescue" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const next = safeNextPath(typeof params.next === "string" ? params.next : null);
  // better-auth appends its code to the form's errorCallbackURL (/login?error=oidc): the last one is the reason.
  const error = [params.error].flat().at(-1);
  if (await currentActor()) redirect(next);
  const e = env();
  // Demo credentials exist only in demo mode; no other mode has a default password.
  const demo = e.NODE_RESCUE_DEMO ? readDemoCredentials(e.DATABASE_URL) : [];
  return (
    <div className="mx-auto mt-12 max-w-sm">
      <div className="rounded-lg border border-zinc-200 bg-white p-6 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
        <h1 className="text-lg font-semibold">Sign in to node-rescue</h1>
        <p className="mt-1 mb-5 text-sm text-zinc-500 dark:text-zinc-400">
          Accounts are created by an administrator (<code className="text-xs">npm run users</code>).
        </p>
        {error ? (
          <p role="alert" className="mb-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-500/10 dark:text-red-300">
            {/* Only known codes get words: the query string is anyone's to write. */}
            {error === ACCOUNT_DISABLED_CODE ? ACCOUNT_DISABLED_MESSAGE : `Single sign-on failed (${error}).`}
          </p>
        ) : null}
        <LoginForm next={next} oidc={oidcConfig(e) !== null} demo={demo} />
      </div>
    </div>
  );
}
