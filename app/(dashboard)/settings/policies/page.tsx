// /settings/policies: who may see the page is decided here, on the server; the list loads in the browser.
import { PolicySettings } from "@/components/policies/policy-settings";
import { requirePageActor } from "@/lib/auth/guard";
import { can, PERMISSIONS } from "@/lib/auth/permissions";

export const dynamic = "force-dynamic";

/** Repair policies: operators read them, admins change them (the API checks again on every request). */
export default async function PoliciesPage() {
  const actor = await requirePageActor();
  if (!can(actor.role, "policies.read")) {
    return (
      <p className="text-sm text-zinc-600 dark:text-zinc-400" data-testid="policies-forbidden">
        Repair policies are shown to {PERMISSIONS["policies.read"]}s and configured by {PERMISSIONS["policies.manage"]}s; you are signed in
        as {actor.role}.
      </p>
    );
  }
  return <PolicySettings />;
}
