// Secrets as the API and the UI show them: enough to recognise one, never enough to use it. Pure.

const tail = (s: string, n = 4) => (s.length >= 12 ? s.slice(-n) : "");

/** `https://hooks.slack.com/…abcd`: scheme and host (no credentials), then the last 4 characters. */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}/…${tail(u.pathname + u.search)}`;
  } catch {
    return `…${tail(url)}`;
  }
}

/** `…abcd` (only `…` for a short secret). */
export const maskSecret = (secret: string): string => `…${tail(secret)}`;
