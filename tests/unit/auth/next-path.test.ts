import { describe, expect, it } from "vitest";
import { generateApiToken, hashApiToken } from "@/lib/auth/api-token";
import { loginPath, safeNextPath } from "@/lib/auth/next-path";

describe("the redirect after sign-in", () => {
  it("keeps local paths with their query", () => {
    expect(safeNextPath("/nodes/acp-worker01")).toBe("/nodes/acp-worker01");
    expect(safeNextPath("/transitions?node=a&limit=5")).toBe("/transitions?node=a&limit=5");
  });

  it("refuses other sites, schemes, control characters and /login itself", () => {
    for (const bad of [
      null,
      undefined,
      "",
      "https://evil.example",
      "//evil.example/x",
      "/\\evil.example",
      "javascript:alert(1)",
      "/x\n",
      "/login",
      "/login?next=/x",
    ]) {
      expect(safeNextPath(bad)).toBe("/");
    }
  });

  it("builds the login URL", () => {
    expect(loginPath("/")).toBe("/login");
    expect(loginPath("/nodes/a?x=1")).toBe("/login?next=%2Fnodes%2Fa%3Fx%3D1");
    expect(loginPath("//evil")).toBe("/login");
  });
});

describe("API tokens", () => {
  it("are long random strings with a prefix; only a sha256 hex is stored", () => {
    const a = generateApiToken();
    const b = generateApiToken();
    expect(a).toMatch(/^nrt_[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(hashApiToken(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashApiToken("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
});
