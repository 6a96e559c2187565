"use client";

import { useQuery } from "@tanstack/react-query";
import type { THealthView, TTransitionsView } from "@/lib/views/api-types";
import type { TNodesView, TNodeView } from "@/lib/views/nodes";
import { fetchJson } from "./fetch-json";

// Every live query key starts with "live": LiveUpdates invalidates them all on a server event.
// The slow interval only refreshes ages after long quiet periods.
const SLOW_REFRESH_MS = 15_000;

export const useNodesView = () =>
  useQuery({ queryKey: ["live", "nodes"], queryFn: () => fetchJson<TNodesView>("/api/nodes"), refetchInterval: SLOW_REFRESH_MS });

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
