import { NodeHistory } from "@/components/incidents/node-history";
import { ClusterGate } from "@/components/nodes/cluster-gate";
import { NodeDetail } from "@/components/nodes/node-detail";
import { requirePageActor } from "@/lib/auth/guard";

export const dynamic = "force-dynamic";

export default async function NodePage({ params }: { params: Promise<{ name: string }> }) {
  await requirePageActor();
  const node = decodeURIComponent((await params).name);
  return (
    <div className="space-y-6">
      <ClusterGate>
        <NodeDetail name={node} />
      </ClusterGate>
      {/* From the database: also shown for a node that is gone from the cluster. */}
      <NodeHistory node={node} />
    </div>
  );
}
