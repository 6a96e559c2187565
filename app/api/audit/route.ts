import { z } from "zod";
import { queryOf } from "@/lib/api/params";
import { apiRoute, liveJson } from "@/lib/api/route";
import { AUDIT_FILTER_SHAPE, withOrderedRange } from "@/lib/audit/filters";
import { listAuditEvents } from "@/lib/audit/list";
import { getDb } from "@/lib/db";
import { env } from "@/lib/env";

export const dynamic = "force-dynamic";

const ZQuery = withOrderedRange(
  z.strictObject({
    ...AUDIT_FILTER_SHAPE,
    cursor: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1, "limit is 1 to 500").max(500, "limit is 1 to 500").default(50),
  }),
);

/**
 * GET /api/audit?actor=&node=&action=&outcome=&from=&to=&limit=<1-500>&cursor=: audit events,
 * newest first. `from`/`to` are ISO date-times with a zone; `outcome` may be "pending".
 */
export const GET = apiRoute({ permission: "audit.read" }, async (req) => {
  const { cursor, limit, ...filters } = ZQuery.parse(queryOf(req));
  const page = await listAuditEvents({ db: getDb(), cluster: env().NODE_RESCUE_CLUSTER_NAME, filters, cursor, limit });
  return liveJson(page);
});
