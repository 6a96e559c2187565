import { queryOf } from "@/lib/api/params";
import { apiRoute } from "@/lib/api/route";
import { auditCsvHeader, auditEventsToCsv } from "@/lib/audit/csv";
import { ZAuditFilters } from "@/lib/audit/filters";
import { iterateAuditEvents } from "@/lib/audit/list";
import { getDb } from "@/lib/db";
import { env } from "@/lib/env";

export const dynamic = "force-dynamic";

/** 2026-01-31T08-00-00Z: an ISO instant without the colons file systems dislike. */
const fileStamp = (now: Date) => `${now.toISOString().slice(0, 19).replaceAll(":", "-")}Z`;

/**
 * GET /api/audit/export?<the filters of /api/audit>: every matching event as CSV, newest first,
 * streamed 1000 rows at a time. Bad filters and a failing first query answer with JSON errors;
 * a failure later can only cut the download short (logged).
 */
export const GET = apiRoute({ permission: "audit.read" }, async (req) => {
  const filters = ZAuditFilters.parse(queryOf(req));
  const chunks = iterateAuditEvents({ db: getDb(), cluster: env().NODE_RESCUE_CLUSTER_NAME, filters });
  const first = await chunks.next();
  const encoder = new TextEncoder();

  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(auditCsvHeader() + (first.done ? "" : auditEventsToCsv(first.value, { header: false }))));
      if (first.done) controller.close();
    },
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(auditEventsToCsv(next.value, { header: false })));
      } catch (err) {
        console.error("[node-rescue] audit export failed mid-stream", err);
        controller.error(err);
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });

  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="node-rescue-audit-${fileStamp(new Date())}.csv"`,
      "Cache-Control": "no-store",
    },
  });
});
