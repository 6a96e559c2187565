"use client";

import { useSyncExternalStore } from "react";

const pad = (n: number) => String(n).padStart(2, "0");

/** An ISO instant as a datetime-local value in the browser's zone ("" when unparseable). */
export const toLocalInput = (iso: string | null): string => {
  const d = iso ? new Date(iso) : null;
  if (!d || Number.isNaN(d.getTime())) return "";
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
};

/** A datetime-local value (the browser's zone) as an ISO instant: the URL stays zone-independent. */
export const fromLocalInput = (value: string): string => {
  const d = value ? new Date(value) : null;
  return d && !Number.isNaN(d.getTime()) ? d.toISOString() : "";
};

const noSubscription = () => () => {};
/** False while rendering on the server and hydrating: local times are only known in the browser. */
export const useIsClient = () =>
  useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );

/** Shared classes of the filter bars (audit, incidents). */
export const filterInput =
  "rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900 focus:outline-none focus:ring-2 focus:ring-sky-500/40";
export const filterLabel = "flex flex-col gap-1 text-xs font-medium uppercase tracking-wide text-zinc-500 dark:text-zinc-400";
