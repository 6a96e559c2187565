import { TransitionsTable } from "@/components/nodes/transitions-table";
import { Card } from "@/components/ui/card";
import { requirePageActor } from "@/lib/auth/guard";

export const dynamic = "force-dynamic";

export default async function TransitionsPage() {
  await requirePageActor();
  return (
    <Card title="Node health transitions (newest first)">
      <TransitionsTable limit={50} />
    </Card>
  );
}
