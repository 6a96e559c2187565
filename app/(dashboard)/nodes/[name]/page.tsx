import { ClusterGate } from "@/components/nodes/cluster-gate";
import { NodeDetail } from "@/components/nodes/node-detail";
import { requirePageActor } from "@/lib/auth/guard";

export const dynamic = "force-dynamic";

export default async function NodePage({ params }: { params: Promise<{ name: string }> }) {
  await requirePageActor();
  const { name } = await params;
  return (
    <ClusterGate>
      <NodeDetail name={decodeURIComponent(name)} />
    </ClusterGate>
  );
}
