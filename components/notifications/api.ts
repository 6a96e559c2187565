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

/** A change through the API; throws the server's own sentence on a non-2xx answer. */
export async function send<T>(method: "POST" | "PUT" | "DELETE", path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body ?? {}),
  });
  const json = await res.json().catch(() => null);
  if (!res.ok) throw new Error(json?.error?.message ?? `HTTP ${res.status}`);
  return json as T;
}
