"use client";

// Auto-repair's one query (answers go through components/live/send-json.ts). "live": the event
// stream's `repair` event refetches it whenever a decision is recorded.

import { useQuery } from "@tanstack/react-query";
import { fetchJson } from "@/components/live/fetch-json";
import type { TRepairView } from "@/lib/repair/load-state";

export const REPAIR_KEY = ["live", "repair"] as const;

/** The cluster's auto-repair state, or one node's (its runs, holds and decisions). */
export const useRepair = (node?: string) =>
  useQuery({
    queryKey: [...REPAIR_KEY, node ?? ""],
    queryFn: () => fetchJson<TRepairView>(`/api/repair?${new URLSearchParams(node ? { node, limit: "30" } : { limit: "30" })}`),
    refetchInterval: 15_000,
  });
