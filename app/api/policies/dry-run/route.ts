// POST { policy, days? }: what the policy (stored or not) would have done over the last `days`
// (default 7, at most 30), per node, from the recorded history. Reads only: not audited.
import { z } from "zod";
import { ApiError } from "@/lib/api/errors";
import { issuesMessage } from "@/lib/api/issues";
import { apiRoute, liveJson } from "@/lib/api/route";
import { getDb } from "@/lib/db";
import { env } from "@/lib/env";
import { readJsonBody } from "@/lib/http/read-body";
import { latestSnapshot } from "@/lib/monitor/instance";
import { ZPolicy } from "@/lib/policies/schema";
import { dryRunPolicy } from "@/lib/repair/dry-run";
import { safetySettings } from "@/lib/repair/settings";

export const dynamic = "force-dynamic";

const ZBody = z.strictObject({
  policy: ZPolicy,
  days: z.int("days: 1 to 30").min(1, "days: 1 to 30").max(30, "days: 1 to 30").default(7),
});

export const POST = apiRoute({ permission: "policies.read" }, async (req) => {
  const body = ZBody.safeParse(await readJsonBody(req));
  if (!body.success) throw new ApiError("bad_request", issuesMessage(body.error.issues));
  const e = env();
  return liveJson(
    await dryRunPolicy({
      db: getDb(),
      cluster: e.NODE_RESCUE_CLUSTER_NAME,
      policy: body.data.policy,
      days: body.data.days,
      snapshot: latestSnapshot(),
      settings: safetySettings(e),
    }),
  );
});
