import { describe, expect, it } from "vitest";
import { parseTrustedProxies, resolveClientAddress } from "@/lib/http/client-address";

const trusted = parseTrustedProxies("127.0.0.1, 10.0.0.0/8 fd00::/8");

describe("resolveClientAddress", () => {
  it("without trusted proxies: the socket address, whatever X-Forwarded-For claims", () => {
    expect(resolveClientAddress({ socketAddress: "192.0.2.9", forwardedFor: "6.6.6.6", trusted: null })).toEqual({
      client: "192.0.2.9",
      viaTrustedProxy: false,
    });
    expect(resolveClientAddress({ socketAddress: "::ffff:192.0.2.9", forwardedFor: undefined, trusted: null }).client).toBe("192.0.2.9");
  });
  it("from an untrusted peer: the peer, even with trusted proxies configured", () => {
    expect(resolveClientAddress({ socketAddress: "192.0.2.9", forwardedFor: "6.6.6.6", trusted })).toEqual({
      client: "192.0.2.9",
      viaTrustedProxy: false,
    });
  });
  it("behind trusted proxies: the rightmost hop that is not one of them", () => {
    const r = resolveClientAddress({ socketAddress: "127.0.0.1", forwardedFor: "6.6.6.6, 198.51.100.7, 10.1.2.3", trusted });
    expect(r).toEqual({ client: "198.51.100.7", viaTrustedProxy: true });
    expect(resolveClientAddress({ socketAddress: "10.0.0.5", forwardedFor: ["203.0.113.1", "10.9.9.9"], trusted }).client).toBe(
      "203.0.113.1",
    );
    expect(resolveClientAddress({ socketAddress: "fd00::1", forwardedFor: "2001:db8::7", trusted }).client).toBe("2001:db8::7");
  });
  it("every hop trusted: the leftmost; no header: the proxy itself", () => {
    expect(resolveClientAddress({ socketAddress: "127.0.0.1", forwardedFor: "10.0.0.1, 10.0.0.2", trusted }).client).toBe("10.0.0.1");
    expect(resolveClientAddress({ socketAddress: "127.0.0.1", forwardedFor: undefined, trusted }).client).toBe("127.0.0.1");
  });
  it("stops at garbage: a trusted proxy never writes it, so nothing left of it is believed", () => {
    expect(resolveClientAddress({ socketAddress: "127.0.0.1", forwardedFor: "6.6.6.6, not-an-ip, 10.0.0.1", trusted }).client).toBe(
      "10.0.0.1",
    );
  });
});

describe("parseTrustedProxies", () => {
  it("is null when unset or empty", () => {
    expect(parseTrustedProxies(undefined)).toBeNull();
    expect(parseTrustedProxies(" , ")).toBeNull();
  });
  it("names the entry it cannot read", () => {
    expect(() => parseTrustedProxies("10.0.0.0/8, proxy.lan")).toThrow(/"proxy\.lan"/);
    expect(() => parseTrustedProxies("10.0.0.0/33")).toThrow(/prefix/);
  });
});
