"use client";

import { useQuery } from "@tanstack/react-query";
import { fetchJson } from "@/components/live/fetch-json";
import type { TDeliveryView } from "@/lib/notifications/deliveries";
import type { TEndpointStats, TEndpointView } from "@/lib/notifications/endpoints";

export type TEndpointRow = TEndpointView & { stats: TEndpointStats };

const REFRESH_MS = 3_000;

export const useEndpoints = () =>
  useQuery({
    queryKey: ["live", "notifications"],
    queryFn: () => fetchJson<{ endpoints: TEndpointRow[] }>("/api/notifications"),
    refetchInterval: REFRESH_MS,
  });

export const useDeliveries = (id: number) =>
  useQuery({
    queryKey: ["live", "notifications", id, "deliveries"],
    queryFn: () => fetchJson<{ items: TDeliveryView[]; nextBefore: number | null }>(`/api/notifications/${id}/deliveries?limit=20`),
    refetchInterval: REFRESH_MS,
  });
