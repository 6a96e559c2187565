"use client";

import { useState } from "react";
import { safeNextPath } from "@/lib/auth/next-path";

type TDemoCredential = { email: string; role: string; password: string };

const input =
  "mt-1 block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm shadow-sm outline-none focus:border-emerald-500 focus:ring-2 focus:ring-emerald-500/30 dark:border-zinc-700 dark:bg-zinc-950";
const primary =
  "w-full rounded-md bg-emerald-600 px-3 py-2 text-sm font-semibold text-white shadow-sm hover:bg-emerald-500 disabled:opacity-50 dark:bg-emerald-500 dark:hover:bg-emerald-400";
const secondary =
  "w-full rounded-md px-3 py-2 text-sm font-medium ring-1 ring-inset ring-zinc-300 hover:bg-zinc-100 disabled:opacity-50 dark:ring-zinc-700 dark:hover:bg-zinc-800";

/** Why better-auth said no, in words an operator can act on. */
async function failureMessage(res: Response): Promise<string> {
  if (res.status === 401) return "Wrong email or password.";
  if (res.status === 429) return `Too many attempts. Try again in ${res.headers.get("x-retry-after") ?? "a few"} seconds.`;
  const body = (await res.json().catch(() => null)) as { message?: string } | null;
  return body?.message ?? `Sign-in failed (HTTP ${res.status}).`;
}

export function LoginForm({ next, oidc, demo }: { next: string; oidc: boolean; demo: TDemoCredential[] }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const target = safeNextPath(next);

  const submit = async (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const res = await fetch("/api/auth/sign-in/email", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ email, password, rememberMe: true }),
      });
      if (!res.ok) {
        setError(await failureMessage(res));
        setPassword("");
        return;
      }
      // A full navigation: the server layout renders again with the new session cookie.
      window.location.assign(target);
    } catch {
      setError("The dashboard server did not answer.");
    } finally {
      setBusy(false);
    }
  };

  const signInWithOidc = async () => {
    setBusy(true);
    setError(null);
    const res = await fetch("/api/auth/sign-in/social", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ provider: "oidc", callbackURL: target, errorCallbackURL: "/login?error=oidc" }),
    }).catch(() => null);
    const body = (await res?.json().catch(() => null)) as { url?: string } | null;
    if (res?.ok && body?.url) {
      window.location.assign(body.url);
      return;
    }
    setBusy(false);
    setError("Single sign-on is not available right now.");
  };

  return (
    <div className="space-y-6">
      <form onSubmit={submit} className="space-y-4" data-testid="login-form">
        <label className="block text-sm font-medium">
          Email
          <input
            className={input}
            type="email"
            name="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            data-testid="login-email"
          />
        </label>
        <label className="block text-sm font-medium">
          Password
          <input
            className={input}
            type="password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            data-testid="login-password"
          />
        </label>
        {error ? (
          <p
            role="alert"
            className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-inset ring-red-600/20 dark:bg-red-500/10 dark:text-red-300"
            data-testid="login-error"
          >
            {error}
          </p>
        ) : null}
        <button type="submit" className={primary} disabled={busy} data-testid="login-submit">
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
      {oidc ? (
        <button type="button" className={secondary} onClick={signInWithOidc} disabled={busy} data-testid="login-oidc">
          Sign in with single sign-on
        </button>
      ) : null}
      {demo.length ? (
        <div
          className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-500/40 dark:bg-amber-500/10 dark:text-amber-200"
          data-testid="demo-credentials"
        >
          <p className="font-semibold">Demo mode — built-in users</p>
          <ul className="mt-2 space-y-1.5">
            {demo.map((c) => (
              <li key={c.email} className="flex items-center justify-between gap-2">
                <span className="min-w-0">
                  <span className="font-medium">{c.role}</span>: <code className="text-xs">{c.email}</code> /{" "}
                  <code className="text-xs" data-testid={`demo-password-${c.role}`}>
                    {c.password}
                  </code>
                </span>
                <button
                  type="button"
                  className="shrink-0 rounded px-2 py-0.5 text-xs font-medium ring-1 ring-inset ring-amber-400 hover:bg-amber-100 dark:ring-amber-500/50 dark:hover:bg-amber-500/20"
                  onClick={() => {
                    setEmail(c.email);
                    setPassword(c.password);
                  }}
                >
                  use
                </button>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
