import { z } from "zod";
import { ApiError } from "@/lib/api/errors";
import { queryOf } from "@/lib/api/params";
import { apiRoute } from "@/lib/api/route";
import { getDb } from "@/lib/db";
import { env } from "@/lib/env";
import { loadIncident } from "@/lib/incidents/load-incident";
import { ZIncidentId } from "@/lib/incidents/params";
import { renderPostmortem } from "@/lib/incidents/postmortem";

export const dynamic = "force-dynamic";

const ZQuery = z.strictObject({ format: z.enum(["md", "json"], "format is md or json").default("md") });

/** GET /api/incidents/<id>/export?format=md|json: a postmortem draft, or the incident as JSON, as a download. */
export const GET = apiRoute<{ id: string }>({ permission: "cluster.read" }, async (req, { params }) => {
  const id = ZIncidentId.parse(params.id);
  const { format } = ZQuery.parse(queryOf(req));
  const e = env();
  const view = await loadIncident(getDb(), e.NODE_RESCUE_CLUSTER_NAME, id);
  if (!view) throw new ApiError("not_found", `incident ${id} does not exist`);
  const body = format === "md" ? renderPostmortem(view, { baseUrl: e.NODE_RESCUE_BASE_URL ?? null }) : `${JSON.stringify(view, null, 2)}\n`;
  return new Response(body, {
    headers: {
      "Content-Type": format === "md" ? "text/markdown; charset=utf-8" : "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="incident-${id}.${format}"`,
      "Cache-Control": "no-store",
    },
  });
});
