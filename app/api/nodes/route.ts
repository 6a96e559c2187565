import { apiRoute } from "@/lib/api/route";
import { requireSnapshot } from "@/lib/monitor/instance";
import { cachedJsonBody } from "@/lib/views/cache";
import { serializeNodesView } from "@/lib/views/nodes";

export const dynamic = "force-dynamic";

export const GET = apiRoute({ permission: "cluster.read" }, () => {
  const snapshot = requireSnapshot();
  return new Response(
    cachedJsonBody(snapshot, "nodes", () => serializeNodesView(snapshot)),
    { headers: { "Content-Type": "application/json", "Cache-Control": "no-store" } },
  );
});
