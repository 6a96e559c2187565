// The client's address, decided once by the server node-rescue starts (scripts/server.ts) and
// handed to the app in one header that clients cannot set: the server overwrites any incoming
// copy. Everything that needs a client address (the audit log, the sign-in limiter, the
// anonymous refusal buckets) reads this header and nothing else.
//
// Without trusted proxies the address is the socket's: X-Forwarded-For is whatever the client
// claims. With NODE_RESCUE_TRUSTED_PROXIES, each trusted hop appends the address it saw, so the
// client is the rightmost entry that is not itself a trusted proxy.
import { BlockList, isIP } from "node:net";

/** Set by scripts/server.ts on every request; a client-sent value never reaches the app. */
export const CLIENT_ADDRESS_HEADER = "x-node-rescue-client-address";

/** The client address of a request that came through scripts/server.ts, else null. */
export const clientAddressOf = (headers: Headers): string | null => headers.get(CLIENT_ADDRESS_HEADER)?.trim() || null;

/** "::ffff:10.0.0.1" (an IPv4 peer on a dual-stack socket) is 10.0.0.1. */
const unmapped = (ip: string) => (ip.startsWith("::ffff:") && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip);

export type TTrustedProxies = { list: BlockList; text: string };

/**
 * Parses NODE_RESCUE_TRUSTED_PROXIES: addresses and CIDR ranges, comma- or space-separated
 * ("10.0.0.0/8, 192.168.1.7, fd00::/8"). Throws with the offending entry.
 */
export function parseTrustedProxies(text: string | undefined): TTrustedProxies | null {
  const entries = (text ?? "").split(/[\s,]+/).filter(Boolean);
  if (entries.length === 0) return null;
  const list = new BlockList();
  for (const entry of entries) {
    const [address = "", bits] = entry.split("/");
    const family = isIP(address);
    if (family === 0) throw new Error(`NODE_RESCUE_TRUSTED_PROXIES: "${entry}" is not an IP address or CIDR range`);
    const type = family === 4 ? "ipv4" : "ipv6";
    if (bits === undefined) {
      list.addAddress(address, type);
      continue;
    }
    const prefix = Number(bits);
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > (family === 4 ? 32 : 128)) {
      throw new Error(`NODE_RESCUE_TRUSTED_PROXIES: "${entry}" has an invalid prefix length`);
    }
    list.addSubnet(address, prefix, type);
  }
  return { list, text: entries.join(",") };
}

const isTrusted = (proxies: TTrustedProxies, ip: string) => {
  const family = isIP(ip);
  return family !== 0 && proxies.list.check(ip, family === 4 ? "ipv4" : "ipv6");
};

/**
 * The client's address: the socket peer unless it is a trusted proxy; then, walking
 * X-Forwarded-For from the right, the first hop that is not trusted (or the leftmost, when every
 * hop is). An entry that is not an address ends the walk: a trusted proxy never writes one.
 */
export function resolveClientAddress(opts: {
  socketAddress: string | undefined;
  forwardedFor: string | string[] | undefined;
  trusted: TTrustedProxies | null;
}): { client: string; viaTrustedProxy: boolean } {
  const peer = unmapped(opts.socketAddress ?? "");
  if (!opts.trusted || !isTrusted(opts.trusted, peer)) return { client: peer || "unknown", viaTrustedProxy: false };
  const raw = Array.isArray(opts.forwardedFor) ? opts.forwardedFor.join(",") : (opts.forwardedFor ?? "");
  const hops = raw
    .split(",")
    .map((h) => unmapped(h.trim()))
    .filter(Boolean);
  let client = peer;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i] ?? "";
    if (isIP(hop) === 0) break;
    client = hop;
    if (!isTrusted(opts.trusted, hop)) break;
  }
  return { client, viaTrustedProxy: true };
}
