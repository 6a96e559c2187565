"use client";

import { useQuery } from "@tanstack/react-query";
import { fetchJson } from "@/components/live/fetch-json";
import type { TAuditPageView } from "@/lib/audit/filters";

/**
 * One page of audit events for a filter query string (as in the page's URL). The key starts with
 * "live" so a server event (a remediation finished) refreshes it.
 */
export const useAuditEvents = (opts: { filters: string; cursor?: string; limit?: number }) => {
  const q = new URLSearchParams(opts.filters);
  if (opts.cursor) q.set("cursor", opts.cursor);
  q.set("limit", String(opts.limit ?? 50));
  return useQuery({
    queryKey: ["live", "audit", opts.filters, opts.cursor ?? "", opts.limit ?? 50],
    queryFn: () => fetchJson<TAuditPageView>(`/api/audit?${q}`),
  });
};

export type TAnonymousSummary = {
  total: number;
  sourceCount: number;
  sources: Array<{ sourceIp: string; count: number; actions: string[]; lastAt: string }>;
};

/** Refusals of requests without credentials in the last 24 h (counted, not logged: see the README). */
export const useAnonymousRefusals = () =>
  useQuery({
    queryKey: ["live", "audit-anonymous"],
    queryFn: () => fetchJson<TAnonymousSummary>("/api/audit/anonymous"),
    // Anonymous refusals move no other view; a flood should still show up soon.
    refetchInterval: 30_000,
  });
