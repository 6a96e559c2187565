"use client";

import { useEffect, useState } from "react";

/** The current time, re-rendering every `everyMs`: ages and countdowns tick without refetching. */
export function useNow(everyMs = 1_000) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(t);
  }, [everyMs]);
  return now;
}
