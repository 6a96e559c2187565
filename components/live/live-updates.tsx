"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";

/**
 * Subscribes to /api/events once per tab and refetches the live queries whenever the server says
 * what the dashboard shows has changed. EventSource reconnects by itself after a drop.
 */
export function LiveUpdates() {
  const queryClient = useQueryClient();
  useEffect(() => {
    const source = new EventSource("/api/events");
    const onChanged = () => void queryClient.invalidateQueries({ queryKey: ["live"] });
    source.addEventListener("changed", onChanged);
    return () => {
      source.removeEventListener("changed", onChanged);
      source.close();
    };
  }, [queryClient]);
  return null;
}
