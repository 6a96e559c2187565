import { LiveUpdates } from "@/components/live/live-updates";
import { requirePageActor } from "@/lib/auth/guard";

export const dynamic = "force-dynamic";

/**
 * Every dashboard page needs a signed-in user (any role may read). Enforced here, on the
 * server (proxy.ts only saves a render and passes the path to come back to); pages that render
 * data on the server call requirePageActor() themselves as well. Every dashboard page is live:
 * one server-sent event stream per tab refreshes what the page shows.
 */
export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  await requirePageActor();
  return (
    <>
      <LiveUpdates />
      {children}
    </>
  );
}
