"use client";

import { useState } from "react";
import { useActor } from "./actor-context";

const ROLE_TONES = {
  viewer: "bg-zinc-100 text-zinc-700 ring-zinc-500/20 dark:bg-zinc-800 dark:text-zinc-300",
  operator: "bg-sky-50 text-sky-800 ring-sky-600/20 dark:bg-sky-500/10 dark:text-sky-300",
  admin: "bg-violet-50 text-violet-800 ring-violet-600/20 dark:bg-violet-500/10 dark:text-violet-300",
} as const;

/** The signed-in user, their role and a sign-out button (header). */
export function UserMenu() {
  const actor = useActor();
  const [busy, setBusy] = useState(false);
  if (!actor) return null;
  const signOut = async () => {
    setBusy(true);
    await fetch("/api/auth/sign-out", { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" }).catch(() => null);
    window.location.assign("/login");
  };
  return (
    <div className="flex items-center gap-2 text-sm" data-testid="user-menu" data-role={actor.role}>
      <span className="max-w-48 truncate text-zinc-600 dark:text-zinc-400" title={actor.name} data-testid="user-name">
        {actor.name}
      </span>
      <span className={`rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${ROLE_TONES[actor.role]}`} data-testid="user-role">
        {actor.role}
      </span>
      {actor.kind === "user" ? (
        <button
          type="button"
          onClick={signOut}
          disabled={busy}
          className="rounded-md px-2 py-1 text-xs font-medium text-zinc-600 ring-1 ring-inset ring-zinc-300 hover:bg-zinc-100 disabled:opacity-50 dark:text-zinc-300 dark:ring-zinc-700 dark:hover:bg-zinc-800"
          data-testid="sign-out"
        >
          Sign out
        </button>
      ) : null}
    </div>
  );
}
