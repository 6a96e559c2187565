"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { fetchJson } from "@/components/live/fetch-json";
import type { TIncidentPage } from "@/lib/incidents/list";
import type { TIncidentTrends } from "@/lib/incidents/trends";
import type { TIncidentView } from "@/lib/incidents/view";
import type { THistoryWindow } from "@/lib/transitions/health-spans";
import type { TNodeHistory } from "@/lib/transitions/load-history";

// Keys start with ["live", "incidents"]: the event stream's `incidents` event (the recorder
// committed a change) refetches them, and `changed` refetches every live query. The trends are
// the exception (a minute old at most).

/** One page of incidents for a filter query string (as in the page's URL). */
export const useIncidents = (opts: { filters: string; cursor?: string; limit?: number }) => {
  const q = new URLSearchParams(opts.filters);
  if (opts.cursor) q.set("cursor", opts.cursor);
  q.set("limit", String(opts.limit ?? 50));
  return useQuery({
    queryKey: ["live", "incidents", "list", opts.filters, opts.cursor ?? "", opts.limit ?? 50],
    queryFn: () => fetchJson<TIncidentPage>(`/api/incidents?${q}`),
    placeholderData: keepPreviousData,
  });
};

export const useIncident = (id: number) =>
  useQuery({
    queryKey: ["live", "incidents", "one", id],
    queryFn: () => fetchJson<TIncidentView>(`/api/incidents/${id}`),
    // An open incident's duration and its spans grow: refresh them now and then in a quiet spell.
    refetchInterval: (q) => (q.state.data?.status === "open" ? 10_000 : false),
  });

export const useIncidentTrends = (weeks: number) =>
  useQuery({
    queryKey: ["incident-trends", weeks],
    queryFn: () => fetchJson<TIncidentTrends>(`/api/incidents/trends?weeks=${weeks}`),
    placeholderData: keepPreviousData,
    // Not a "live" key: weeks of aggregates need not be recomputed on every snapshot change.
    refetchInterval: 60_000,
  });

export const useNodeHistory = (node: string, window: THistoryWindow) =>
  useQuery({
    queryKey: ["live", "incidents", "node-history", node, window],
    queryFn: () => fetchJson<TNodeHistory>(`/api/nodes/${encodeURIComponent(node)}/history?window=${window}`),
    refetchInterval: 60_000,
  });
