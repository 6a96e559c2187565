// The client's address, decided once by the server node-rescue starts (scripts/server.ts) and
// handed to the app in one header that clients cannot set: the server strips any incoming copy.
// Everything that needs a client address (the audit log, the sign-in limiter, the anonymous
// refusal buckets) reads this header and nothing else.

/** Set by scripts/server.ts on every request; a client-sent value never reaches the app. */
export const CLIENT_ADDRESS_HEADER = "x-node-rescue-client-address";

/** The client address of a request that came through scripts/server.ts, else null. */
export const clientAddressOf = (headers: Headers): string | null => headers.get(CLIENT_ADDRESS_HEADER)?.trim() || null;
