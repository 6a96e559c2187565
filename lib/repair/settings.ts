// The safety rules' cluster-wide settings, from the environment (lib/env.ts): one place for the
// engine and the dry run.
import type { env } from "@/lib/env";
import type { TSafetySettings } from "./safety";

export const safetySettings = (e: ReturnType<typeof env>): TSafetySettings => ({
  breakerShare: e.NODE_RESCUE_REPAIR_BREAKER_SHARE,
  breakerWindowMs: e.NODE_RESCUE_REPAIR_BREAKER_WINDOW_SECONDS * 1000,
  failureDomainLabel: e.NODE_RESCUE_FAILURE_DOMAIN_LABEL,
});
