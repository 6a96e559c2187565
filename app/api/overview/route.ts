import { z } from "zod";
import { queryOf } from "@/lib/api/params";
import { apiRoute, liveJson } from "@/lib/api/route";
import { requireSnapshot } from "@/lib/monitor/instance";
import { viewOverview } from "@/lib/views/overview";

export const dynamic = "force-dynamic";

const PAGE = "page is a whole number from 0";
const PAGE_SIZE = "pageSize is a whole number from 1 to 500";

const ZQuery = z.strictObject({
  page: z.coerce.number({ error: PAGE }).int(PAGE).min(0, PAGE).default(0),
  pageSize: z.coerce.number({ error: PAGE_SIZE }).int(PAGE_SIZE).min(1, PAGE_SIZE).max(500, PAGE_SIZE).default(100),
  q: z.string().max(100, "q has at most 100 characters").default(""),
});

/**
 * GET /api/overview?page=<from 0>&pageSize=<1-500>&q=<name, state or role>: the overview page's
 * compact view, one page of nodes (a page past the end answers the last one). /api/nodes stays complete.
 */
export const GET = apiRoute({ permission: "cluster.read" }, (req) => {
  const query = ZQuery.parse(queryOf(req));
  return liveJson(viewOverview(requireSnapshot(), query));
});
