import { describe, expect, it } from "vitest";
import { checkSameOrigin, expectedOrigin, isStateChanging } from "@/lib/http/same-origin";

const h = (init: Record<string, string>) => new Headers(init);
const ours = "http://127.0.0.1:3000";

describe("expectedOrigin", () => {
  it("is the configured public URL's origin when set, whatever the Host", () => {
    expect(expectedOrigin({ baseUrl: "https://rescue.example/dash", headers: h({ host: "evil.example" }), requestUrl: "http://x/" })).toBe(
      "https://rescue.example",
    );
  });
  it("else the Host the request was sent to, with the scheme the server vouches for", () => {
    expect(expectedOrigin({ headers: h({ host: "127.0.0.1:3000" }), requestUrl: "http://localhost:3000/api" })).toBe(ours);
    expect(expectedOrigin({ headers: h({ host: "rescue.lan", "x-forwarded-proto": "https" }), requestUrl: "http://localhost/" })).toBe(
      "https://rescue.lan",
    );
  });
  it("behind a trusted proxy, the public name it forwarded", () => {
    expect(
      expectedOrigin({
        headers: h({ host: "10.0.0.5:3000", "x-forwarded-host": "rescue.example", "x-forwarded-proto": "https" }),
        requestUrl: "http://x/",
      }),
    ).toBe("https://rescue.example");
  });
  it("is unknown without a usable Host", () => {
    expect(expectedOrigin({ headers: h({}), requestUrl: "http://localhost/" })).toBeNull();
    expect(expectedOrigin({ headers: h({ host: "a b" }), requestUrl: "http://localhost/" })).toBeNull();
    expect(expectedOrigin({ headers: h({ host: "x", "x-forwarded-proto": "gopher" }), requestUrl: "http://localhost/" })).toBeNull();
  });
});

describe("checkSameOrigin", () => {
  const json = { "content-type": "application/json; charset=utf-8" };
  it("accepts our own origin with JSON, with or without Sec-Fetch-Site same-origin/none", () => {
    expect(checkSameOrigin({ headers: h({ origin: ours, ...json }), expected: ours })).toEqual({ ok: true });
    expect(checkSameOrigin({ headers: h({ origin: ours, "sec-fetch-site": "same-origin", ...json }), expected: ours }).ok).toBe(true);
    expect(checkSameOrigin({ headers: h({ origin: ours, "sec-fetch-site": "none", ...json }), expected: ours }).ok).toBe(true);
  });
  it.each([
    ["no Origin", { ...json }, /no Origin/],
    ["Origin null", { origin: "null", ...json }, /null/],
    ["a foreign origin", { origin: "http://evil.example", ...json }, /evil/],
    ["another port", { origin: "http://127.0.0.1:3001", ...json }, /3001/],
    ["another scheme", { origin: "https://127.0.0.1:3000", ...json }, /https/],
    ["same-site", { origin: ours, "sec-fetch-site": "same-site", ...json }, /same-site/],
    ["cross-site", { origin: ours, "sec-fetch-site": "cross-site", ...json }, /cross-site/],
    ["text/plain", { origin: ours, "content-type": "text/plain" }, /application\/json/],
    ["a form encoding", { origin: ours, "content-type": "application/x-www-form-urlencoded" }, /application\/json/],
    ["no content type", { origin: ours }, /application\/json/],
  ])("refuses %s", (_what, headers, message) => {
    const verdict = checkSameOrigin({ headers: h(headers), expected: ours });
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.message).toMatch(message);
  });
  it("refuses everything when our own origin is unknown", () => {
    expect(checkSameOrigin({ headers: h({ origin: ours, ...json }), expected: null }).ok).toBe(false);
  });
  it("treats GET, HEAD and OPTIONS as safe, everything else as state-changing", () => {
    expect(["GET", "head", "OPTIONS"].map(isStateChanging)).toEqual([false, false, false]);
    expect(["POST", "PUT", "PATCH", "DELETE"].map(isStateChanging)).toEqual([true, true, true, true]);
  });
});
