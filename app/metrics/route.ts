import { handleApiError } from "@/lib/api/errors";
import { requirePermission } from "@/lib/auth/guard";
import { getDb } from "@/lib/db";
import { env } from "@/lib/env";
import { processMetrics } from "@/lib/metrics/registry";
import { ensureMonitorStarted } from "@/lib/monitor/instance";

export const dynamic = "force-dynamic";

/**
 * GET /metrics: Prometheus text format. Needs a session or token with `metrics.read` (a bearer
 * token in the scrape config), unless NODE_RESCUE_METRICS_PUBLIC is set for in-cluster scrapers.
 * (A plain handler: apiRoute always requires a permission.)
 */
export async function GET(req: Request) {
  try {
    const e = env();
    if (!e.NODE_RESCUE_METRICS_PUBLIC) await requirePermission(req, "metrics.read");
    const metrics = processMetrics({ db: getDb(), cluster: e.NODE_RESCUE_CLUSTER_NAME, monitor: () => ensureMonitorStarted().monitor });
    return new Response(await metrics.render(), { headers: { "Content-Type": metrics.contentType, "Cache-Control": "no-store" } });
  } catch (err) {
    return handleApiError(err);
  }
}
