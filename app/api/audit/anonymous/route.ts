// GET /api/audit/anonymous?from=&to=: refusals of requests without credentials, counted per
// source address (lib/audit/anonymous.ts keeps them per source, action and minute). Default: the
// last 24 hours.
import { z } from "zod";
import { queryOf } from "@/lib/api/params";
import { apiRoute, liveJson } from "@/lib/api/route";
import { summarizeAnonymousRefusals } from "@/lib/audit/anonymous-summary";
import { getDb } from "@/lib/db";
import { env } from "@/lib/env";

export const dynamic = "force-dynamic";

const ZQuery = z
  .strictObject({
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
  })
  .transform((q) => {
    const to = q.to ? new Date(q.to) : new Date();
    return { to, from: q.from ? new Date(q.from) : new Date(to.getTime() - 86_400_000) };
  })
  .refine((q) => q.from <= q.to, { message: "from must not be after to" });

export const GET = apiRoute({ permission: "audit.read" }, async (req) => {
  const { from, to } = ZQuery.parse(queryOf(req));
  return liveJson(await summarizeAnonymousRefusals({ db: getDb(), cluster: env().NODE_RESCUE_CLUSTER_NAME, from, to }));
});
