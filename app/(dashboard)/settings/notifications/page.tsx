import { NotificationSettings } from "@/components/notifications/notification-settings";
import { requirePageActor } from "@/lib/auth/guard";
import { can, PERMISSIONS } from "@/lib/auth/permissions";

export const dynamic = "force-dynamic";

/** Notification endpoints (admins only; the API checks again on every request). */
export default async function NotificationsPage() {
  const actor = await requirePageActor();
  if (!can(actor.role, "notifications.manage")) {
    return (
      <p className="text-sm text-zinc-600 dark:text-zinc-400" data-testid="notifications-forbidden">
        Notifications are configured by {PERMISSIONS["notifications.manage"]}s; you are signed in as {actor.role}.
      </p>
    );
  }
  return <NotificationSettings />;
}
