// The opaque keyset cursor of every "newest first" history (transitions, audit): the time and
// id of the last row served, as base64url JSON. A client sends it back untouched.
import { z } from "zod";

const ZCursorPayload = z.object({
  /** The last row's time, epoch ms, within what a Date can hold. */
  t: z.number().int().min(-8.64e15).max(8.64e15),
  /** The last row's id (the tie-breaker among rows of the same time), a 32-bit key as on PostgreSQL. */
  i: z.number().int().positive().max(2_147_483_647),
});
export type TCursor = z.infer<typeof ZCursorPayload>;

export const encodeCursor = (at: Date, id: number): string => Buffer.from(JSON.stringify({ t: at.getTime(), i: id })).toString("base64url");

/** Parses a cursor from a client; anything else is rejected with "Invalid cursor". */
export const ZCursor = z
  .string()
  .max(200)
  .transform((cursor, ctx): TCursor => {
    const payload = ((): unknown => {
      try {
        return JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
      } catch {
        return undefined; // not JSON: reported below as an invalid cursor
      }
    })();
    const parsed = ZCursorPayload.safeParse(payload);
    if (!parsed.success) {
      ctx.addIssue({ code: "custom", message: "Invalid cursor", input: cursor });
      return z.NEVER;
    }
    return parsed.data;
  });
