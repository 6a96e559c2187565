// What an action request must carry: the typed node name, a reason, and (admins only) an override.
import { z } from "zod";

export const ZActionRequest = z.strictObject({
  /** The node name typed again by the operator: a guard against acting on the wrong row. */
  confirm: z.string({ error: "confirm: type the node name to confirm" }).max(253),
  reason: z
    .string({ error: "reason: a reason is required" })
    .trim()
    .min(5, "reason: say why, in at least 5 characters")
    .max(500, "reason: at most 500 characters"),
  /** Act although the storm/partition guard says no (admin only), with its own reason. */
  override: z
    .strictObject({
      reason: z.string().trim().min(5, "override.reason: at least 5 characters").max(500, "override.reason: at most 500 characters"),
    })
    .optional(),
  /** Drain only: how long to keep retrying evictions a PodDisruptionBudget refuses. */
  timeoutSeconds: z
    .number()
    .int("timeoutSeconds: whole seconds")
    .min(0, "timeoutSeconds: 0 to 600")
    .max(600, "timeoutSeconds: 0 to 600")
    .optional(),
});
export type TActionRequest = z.infer<typeof ZActionRequest>;
