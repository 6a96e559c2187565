"use client";

import { useState } from "react";

/**
 * A list row's one-at-a-time action: `act(fn)` runs fn, shows its sentence (or its error's) as the
 * row's note, and calls `onDone` either way so the list refetches.
 */
export function useRowAction(onDone: () => void) {
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const act = async (fn: () => Promise<string>) => {
    setBusy(true);
    try {
      setNote(await fn());
    } catch (err) {
      setNote(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
      onDone();
    }
  };
  return { note, setNote, busy, act };
}
