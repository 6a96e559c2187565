// Time helpers shared by the health modules.
//
// DTO convention for everything under lib/health: instants are ISO-8601 UTC strings (or null when
// unknown) and durations are integer milliseconds. The API and the UI serialize these objects as
// they are, so nothing here returns a Date.

/** A timestamp as the client gives it: a Date after deserialization, a string in raw JSON. */
export type TTimeInput = Date | string | null | undefined;

/** Milliseconds since the epoch, or null when the value is missing or unparseable. */
export function toMs(value: TTimeInput): number | null {
  if (value === null || value === undefined) return null;
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

export function toIso(value: TTimeInput): string | null {
  const ms = toMs(value);
  return ms === null ? null : new Date(ms).toISOString();
}

/** "4m 12s", "1h 3m", "-35s" — for reasons an operator reads, not for parsing. */
export function formatDuration(ms: number): string {
  const sign = ms < 0 ? "-" : "";
  const total = Math.round(Math.abs(ms) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${sign}${h}h ${m}m`;
  if (m > 0) return `${sign}${m}m ${s}s`;
  return `${sign}${s}s`;
}
