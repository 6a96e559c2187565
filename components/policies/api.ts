"use client";

// The policies page's one query (changes go through components/live/send-json.ts).

import { useQuery } from "@tanstack/react-query";
import { fetchJson } from "@/components/live/fetch-json";
import type { TPolicyList } from "@/lib/policies/list-policies";

export const POLICIES_KEY = ["live", "policies"] as const;

/** The policies with their selected-node counts; "live": server events refresh the counts. */
export const usePolicies = () =>
  useQuery({ queryKey: POLICIES_KEY, queryFn: () => fetchJson<TPolicyList>("/api/policies"), refetchInterval: 10_000 });
