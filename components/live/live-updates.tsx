"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";

/** Query keys the event stream's narrower events refresh (every live key starts with "live"). */
export const progressKey = (node: string) => ["progress", node] as const;

/**
 * Subscribes to /api/events once per tab, on every dashboard page (app/(dashboard)/layout.tsx):
 * `changed` refetches every live query; `transitions` and `audit` refetch those lists (their rows
 * are committed after the snapshot that caused them, or without any snapshot change: a refused
 * action); `incidents` refetches the incident list, pages and trends (the recorder committed a
change); `repair` refetches auto-repair's state (a decision was recorded); `progress` refetches
 * one node's running action. EventSource reconnects by itself.
 */
export function LiveUpdates() {
  const queryClient = useQueryClient();
  useEffect(() => {
    const source = new EventSource("/api/events");
    const refetch = (queryKey: readonly unknown[]) => () => void queryClient.invalidateQueries({ queryKey });
    const onProgress = (e: MessageEvent<string>) => {
      const node = (JSON.parse(e.data) as { node?: unknown }).node;
      if (typeof node === "string") void queryClient.invalidateQueries({ queryKey: progressKey(node) });
    };
    const handlers = {
      changed: refetch(["live"]),
      transitions: refetch(["live", "transitions"]),
      audit: refetch(["live", "audit"]),
      incidents: refetch(["live", "incidents"]),
      repair: refetch(["live", "repair"]),
      progress: onProgress as (e: Event) => void,
    };
    for (const [event, handler] of Object.entries(handlers)) source.addEventListener(event, handler);
    return () => {
      for (const [event, handler] of Object.entries(handlers)) source.removeEventListener(event, handler);
      source.close();
    };
  }, [queryClient]);
  return null;
}
