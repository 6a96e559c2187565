// zod schemas for what the API accepts in paths and query strings.
import { z } from "zod";

/** A Kubernetes object name (RFC 1123 subdomain), as Node names are. */
export const ZNodeName = z
  .string()
  .max(253, "a node name has at most 253 characters")
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, "not a valid node name (lowercase RFC 1123 subdomain)");

/** Reads a URL's query string into an object for a zod schema; rejects repeated keys. */
export function queryOf(req: Request) {
  const params = new URL(req.url).searchParams;
  const out: Record<string, string> = {};
  for (const [k, v] of params) {
    if (k in out) throw new z.ZodError([{ code: "custom", path: [k], message: `"${k}" given more than once`, input: v }]);
    out[k] = v;
  }
  return out;
}
