import { ClusterGate } from "@/components/nodes/cluster-gate";
import { Overview } from "@/components/nodes/overview";
import { requirePageActor } from "@/lib/auth/guard";

export const dynamic = "force-dynamic";

export default async function OverviewPage() {
  await requirePageActor();
  return (
    <ClusterGate>
      <Overview />
    </ClusterGate>
  );
}
