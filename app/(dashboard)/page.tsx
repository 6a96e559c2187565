import { ClusterGate } from "@/components/nodes/cluster-gate";
import { Overview } from "@/components/nodes/overview";

export const dynamic = "force-dynamic";

export default function OverviewPage() {
  return (
    <ClusterGate>
      <Overview />
    </ClusterGate>
  );
}
