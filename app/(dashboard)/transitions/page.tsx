import { Card } from "@/components/ui/card";
import { TransitionsTable } from "@/components/nodes/transitions-table";

export const dynamic = "force-dynamic";

export default function TransitionsPage() {
  return (
    <Card title="Node health transitions (newest first)">
      <TransitionsTable limit={50} />
    </Card>
  );
}
