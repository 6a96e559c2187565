// What GET /api/incidents and the incident routes accept (zod at the boundary).
import { z } from "zod";
import { ZNodeName } from "@/lib/api/params";

export const ZIncidentId = z.coerce
  .number()
  .int("an incident id is a whole number")
  .positive("an incident id is positive")
  .max(2_147_483_647);

const ZTime = z
  .string()
  .max(40)
  .transform((s, ctx) => {
    const d = new Date(s);
    if (Number.isNaN(d.getTime())) {
      ctx.addIssue({ code: "custom", message: `"${s}" is not a time (ISO 8601, e.g. 2026-12-01T10:00:00Z)`, input: s });
      return z.NEVER;
    }
    return d;
  });

export const ZIncidentQuery = z.strictObject({
  node: ZNodeName.optional(),
  workload: z.string().min(1).max(253).optional(),
  namespace: z.string().min(1).max(63).optional(),
  status: z.enum(["open", "closed"], "status is open or closed").optional(),
  from: ZTime.optional(),
  to: ZTime.optional(),
  actions: z.enum(["with", "without"], "actions is with or without").optional(),
  suspicions: z.enum(["include", "exclude", "only"], "suspicions is include, exclude or only").optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1, "limit is 1 to 200").max(200, "limit is 1 to 200").default(50),
});
export type TIncidentQuery = z.infer<typeof ZIncidentQuery>;
