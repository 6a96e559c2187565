import { Suspense } from "react";
import { IncidentList } from "@/components/incidents/incident-list";
import { requirePageActor } from "@/lib/auth/guard";

export const dynamic = "force-dynamic";

export default async function IncidentsPage() {
  await requirePageActor();
  return (
    <Suspense fallback={<p className="text-sm text-zinc-500">Loading…</p>}>
      <IncidentList />
    </Suspense>
  );
}
