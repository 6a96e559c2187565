// A view is a pure function of a snapshot: serialize it once per snapshot, however many clients
// ask (every browser refetches /api/nodes on the same server event).
import type { TSnapshot } from "@/lib/monitor/snapshot";

const bodies = new WeakMap<TSnapshot, Map<string, string>>();

/** The JSON body of `view` for this snapshot, made by `serialize` on the first request only. */
export function cachedJsonBody(snapshot: TSnapshot, view: string, serialize: () => string): string {
  const perView = bodies.get(snapshot) ?? new Map<string, string>();
  bodies.set(snapshot, perView);
  let body = perView.get(view);
  if (body === undefined) {
    body = serialize();
    perView.set(view, body);
  }
  return body;
}
