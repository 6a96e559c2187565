// Open event streams per actor (user or token). Each stream holds a socket and a listener for
// as long as it lives; one stolen token or a buggy script must not open thousands. A person
// with many tabs stays far below the limit (each tab holds one stream).
import { remember } from "@/lib/remember";

export const MAX_STREAMS_PER_ACTOR = 10;

const openStreams = () => remember("http:open-streams", () => new Map<string, number>());

/** A slot for one more stream of `actor`, with its release, or null when all are taken. */
export function takeStreamSlot(actor: string, max = MAX_STREAMS_PER_ACTOR): (() => void) | null {
  const open = openStreams();
  const count = open.get(actor) ?? 0;
  if (count >= max) return null;
  open.set(actor, count + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const left = (open.get(actor) ?? 1) - 1;
    if (left <= 0) open.delete(actor);
    else open.set(actor, left);
  };
}
