import { IncidentTrends } from "@/components/incidents/trends";
import { requirePageActor } from "@/lib/auth/guard";

export const dynamic = "force-dynamic";

export default async function IncidentTrendsPage() {
  await requirePageActor();
  return <IncidentTrends />;
}
