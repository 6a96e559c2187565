// PURE: whether a moment falls in one of a policy's maintenance windows, each in its own time
// zone. No windows means always open. A window whose end is before its start crosses midnight
// and belongs to the day it starts on ("Fri 22:00–06:00" covers Saturday 03:00).

import { WEEKDAYS } from "@/lib/policies/defaults";
import type { TMaintenanceWindow } from "@/lib/policies/schema";

type TWeekday = (typeof WEEKDAYS)[number];

/** Weekday and minute of the day of `at` in `timeZone`. */
export function localTime(at: Date, timeZone: string): { day: TWeekday; minute: number } {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    weekday: "short",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return { day: part("weekday") as TWeekday, minute: Number(part("hour")) * 60 + Number(part("minute")) };
}

const minuteOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const previousDay = (day: TWeekday) => WEEKDAYS[(WEEKDAYS.indexOf(day) + 6) % 7] as TWeekday;

export function inWindow(window: TMaintenanceWindow, at: Date): boolean {
  const { day, minute } = localTime(at, window.timeZone);
  const start = minuteOf(window.start);
  const end = minuteOf(window.end);
  if (start < end) return window.days.includes(day) && minute >= start && minute < end;
  // Crosses midnight: the evening part on its own day, the morning part on the next.
  return (window.days.includes(day) && minute >= start) || (window.days.includes(previousDay(day)) && minute < end);
}

/** The window `at` is in (or true when the policy has none), else null. */
export function openWindow(windows: readonly TMaintenanceWindow[], at: Date): TMaintenanceWindow | true | null {
  if (windows.length === 0) return true;
  return windows.find((w) => inWindow(w, at)) ?? null;
}

export const describeWindow = (w: TMaintenanceWindow) => `${w.days.join(",")} ${w.start}–${w.end} ${w.timeZone}`;
