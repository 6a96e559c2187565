"use client";

import type { TAction } from "@/lib/remediation/catalog";
import type { TEvidence } from "@/lib/remediation/evidence";
import type { TPodResult } from "@/lib/remediation/execute";
import type { TGateCheck } from "@/lib/remediation/gates";
import type { TPlan } from "@/lib/remediation/plan";
import type { TProgress } from "@/lib/remediation/progress";

export type TPreview = {
  action: TAction;
  node: string;
  plan: TPlan;
  checks: TGateCheck[];
  allowed: boolean;
  overridable: boolean;
  you: { role: string; may: boolean; mayOverride: boolean };
};
export type TActionResult = { actionId: string; outcome: "succeeded" | "failed"; message: string; results: TPodResult[] };
export type { TEvidence, TProgress };

export class ActionError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly details: unknown,
  ) {
    super(message);
  }
}

export async function postAction(
  node: string,
  slug: string,
  body: { confirm: string; reason: string; override?: { reason: string }; timeoutSeconds?: number },
) {
  const res = await fetch(`/api/nodes/${encodeURIComponent(node)}/actions/${slug}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  const json = await res.json().catch(() => null);
  if (!res.ok) throw new ActionError(json?.error?.message ?? `HTTP ${res.status}`, res.status, json?.error?.details);
  return json as TActionResult;
}
