import { describe, expect, it } from "vitest";
import { baseSecurityHeaders, NON_PAGE_CSP, pageCsp } from "@/lib/http/security-headers";

describe("security headers", () => {
  it("deny framing and sniffing everywhere; HSTS only for https", () => {
    const plain = baseSecurityHeaders({ https: false });
    expect(plain).toMatchObject({ "X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin" });
    expect(plain["Strict-Transport-Security"]).toBeUndefined();
    expect(baseSecurityHeaders({ https: true })["Strict-Transport-Security"]).toMatch(/^max-age=\d+/);
  });
  it("pages: scripts only with the nonce, no eval outside development, no framing", () => {
    const csp = pageCsp({ nonce: "abc" });
    expect(csp).toContain("script-src 'self' 'nonce-abc' 'strict-dynamic'");
    expect(csp).not.toContain("unsafe-eval");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(pageCsp({ nonce: "abc", dev: true })).toContain("'unsafe-eval'");
  });
  it("everything else allows nothing", () => {
    expect(NON_PAGE_CSP).toMatch(/^default-src 'none'/);
    expect(NON_PAGE_CSP).toContain("frame-ancestors 'none'");
  });
});
