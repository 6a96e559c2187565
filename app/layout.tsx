import type { Metadata } from "next";
import Link from "next/link";
import { ActorProvider } from "@/components/auth/actor-context";
import { UserMenu } from "@/components/auth/user-menu";
import { ConnectionBadge } from "@/components/nodes/connection-badge";
import { currentActor } from "@/lib/auth/guard";
import { can } from "@/lib/auth/permissions";
import { Providers } from "./providers";
import "./globals.css";

export const metadata: Metadata = {
  title: "node-rescue",
  description: "Rescue the workloads of dead Kubernetes nodes",
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // null on the login page; app/(dashboard)/layout.tsx makes sure it is not null elsewhere.
  const actor = await currentActor();
  return (
    <html lang="en">
      <body className="min-h-screen">
        <Providers>
          <ActorProvider actor={actor ? { kind: actor.kind, name: actor.name, role: actor.role } : null}>
            <header className="border-b border-zinc-200 bg-white/80 backdrop-blur dark:border-zinc-800 dark:bg-zinc-900/80">
              <div className="mx-auto flex max-w-7xl items-center gap-6 px-4 py-3">
                <Link href="/" className="flex items-center gap-2 font-semibold tracking-tight">
                  <span aria-hidden className="inline-block h-3 w-3 rounded-sm bg-emerald-500 ring-2 ring-emerald-500/30" />
                  node-rescue
                </Link>
                {actor ? (
                  <nav className="flex gap-4 text-sm text-zinc-600 dark:text-zinc-400">
                    <Link href="/" className="hover:text-zinc-900 dark:hover:text-zinc-100">
                      Nodes
                    </Link>
                    <Link href="/incidents" className="hover:text-zinc-900 dark:hover:text-zinc-100">
                      Incidents
                    </Link>
                    <Link href="/transitions" className="hover:text-zinc-900 dark:hover:text-zinc-100">
                      Transitions
                    </Link>
                    <Link href="/audit" className="hover:text-zinc-900 dark:hover:text-zinc-100">
                      Audit
                    </Link>
                    {can(actor.role, "notifications.manage") ? (
                      <Link href="/settings/notifications" className="hover:text-zinc-900 dark:hover:text-zinc-100">
                        Notifications
                      </Link>
                    ) : null}
                    {can(actor.role, "policies.read") ? (
                      <Link href="/settings/policies" className="hover:text-zinc-900 dark:hover:text-zinc-100">
                        Policies
                      </Link>
                    ) : null}
                  </nav>
                ) : null}
                {actor ? (
                  <div className="ml-auto flex items-center gap-4">
                    <ConnectionBadge />
                    <UserMenu />
                  </div>
                ) : null}
              </div>
            </header>
            <main className="mx-auto max-w-7xl px-4 py-6">{children}</main>
          </ActorProvider>
        </Providers>
      </body>
    </html>
  );
}
