// Zod issues as one sentence that names each wrong field, for the 400s of JSON APIs.

/**
 * "url: must be an http:// or https:// URL; criteria.1.forSeconds: …". A message that names its
 * field itself ("url: …") is kept as it is; any other gets its path in front.
 */
export const issuesMessage = (issues: readonly { path: PropertyKey[]; message: string }[]) =>
  issues.map((i) => (/^\w+: /.test(i.message) || i.path.length === 0 ? i.message : `${i.path.join(".")}: ${i.message}`)).join("; ");
