"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { THealthView, TTransitionsView } from "@/lib/views/api-types";
import type { TNodeView } from "@/lib/views/nodes";
import type { TOverviewView } from "@/lib/views/overview";
import { fetchJson } from "./fetch-json";

// Every live query key starts with "live": LiveUpdates invalidates them all on a server event.
// The slow interval only refreshes ages after long quiet periods.
const SLOW_REFRESH_MS = 15_000;

const OVERVIEW_PAGE_SIZE = 100;

/** One page of nodes (filtered on the server); the previous page stays on screen while the next loads. */
export const useOverview = (opts: { page: number; q: string }) =>
  useQuery({
    queryKey: ["live", "overview", opts.page, opts.q],
    queryFn: () =>
      fetchJson<TOverviewView>(
        `/api/overview?${new URLSearchParams({ page: String(opts.page), pageSize: String(OVERVIEW_PAGE_SIZE), q: opts.q })}`,
      ),
    refetchInterval: SLOW_REFRESH_MS,
    placeholderData: keepPreviousData,
  });

export const useNodeView = (name: string) =>
  useQuery({
    queryKey: ["live", "node", name],
    queryFn: () => fetchJson<TNodeView>(`/api/nodes/${encodeURIComponent(name)}`),
    refetchInterval: SLOW_REFRESH_MS,
  });

export const useTransitions = (opts: { node?: string; cursor?: string; limit?: number }) => {
  const q = new URLSearchParams();
  if (opts.node) q.set("node", opts.node);
  if (opts.cursor) q.set("cursor", opts.cursor);
  q.set("limit", String(opts.limit ?? 50));
  return useQuery({
    queryKey: ["live", "transitions", opts.node ?? "", opts.cursor ?? "", opts.limit ?? 50],
    queryFn: () => fetchJson<TTransitionsView>(`/api/transitions?${q}`),
  });
};

export const useHealth = () =>
  useQuery({ queryKey: ["live", "health"], queryFn: () => fetchJson<THealthView>("/api/health"), refetchInterval: 5_000 });
