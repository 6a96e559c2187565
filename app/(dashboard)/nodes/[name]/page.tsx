import { ClusterGate } from "@/components/nodes/cluster-gate";
import { NodeDetail } from "@/components/nodes/node-detail";

export const dynamic = "force-dynamic";

export default async function NodePage({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  return (
    <ClusterGate>
      <NodeDetail name={decodeURIComponent(name)} />
    </ClusterGate>
  );
}
