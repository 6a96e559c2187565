/** GET a JSON API route; a non-2xx answer throws with the server's own error message. */
export async function fetchJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { headers: { Accept: "application/json" }, cache: "no-store" });
  if (res.status === 401 && typeof window !== "undefined") {
    // The session ended (expired, signed out in another tab): back to the login page, then here.
    const here = `${window.location.pathname}${window.location.search}`;
    window.location.assign(`/login?next=${encodeURIComponent(here)}`);
  }
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new Error(body?.error?.message ?? `${url}: HTTP ${res.status}`);
  return body as T;
}
