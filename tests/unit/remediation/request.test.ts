import { describe, expect, it } from "vitest";
import { ZActionRequest } from "@/lib/remediation/request";

const valid = { confirm: "worker-1", reason: "node is dead since 02:00" };
/** The issues of a failed parse as [path, message] pairs. */
const issues = (input: unknown) => {
  const result = ZActionRequest.safeParse(input);
  expect(result.success, "the parse should fail").toBe(false);
  return (result.error?.issues ?? []).map((i) => [i.path.join("."), i.message]);
};

describe("ZActionRequest: accepted", () => {
  it("accepts confirm and reason", () => {
    expect(ZActionRequest.parse(valid)).toEqual(valid);
  });

  it("trims the reason", () => {
    expect(ZActionRequest.parse({ ...valid, reason: "   kernel panic   " }).reason).toBe("kernel panic");
  });

  it("accepts a reason of exactly 5 and 500 characters", () => {
    expect(ZActionRequest.parse({ ...valid, reason: "abcde" }).reason).toBe("abcde");
    expect(ZActionRequest.parse({ ...valid, reason: "x".repeat(500) }).reason).toHaveLength(500);
  });

  it("accepts an override with its own reason, trimmed", () => {
    expect(ZActionRequest.parse({ ...valid, override: { reason: "  partition ruled out  " } }).override).toEqual({
      reason: "partition ruled out",
    });
  });

  it.each([0, 1, 300, 600])("accepts timeoutSeconds %d", (timeoutSeconds) => {
    expect(ZActionRequest.parse({ ...valid, timeoutSeconds }).timeoutSeconds).toBe(timeoutSeconds);
  });

  it("accepts an empty confirm (the route compares it to the node name) and a 253-character one", () => {
    expect(ZActionRequest.safeParse({ ...valid, confirm: "" }).success).toBe(true);
    expect(ZActionRequest.safeParse({ ...valid, confirm: "a".repeat(253) }).success).toBe(true);
  });
});

describe("ZActionRequest: rejected, with clear messages", () => {
  it("a missing reason", () => {
    expect(issues({ confirm: "worker-1" })).toEqual([["reason", "reason: a reason is required"]]);
  });

  it("a non-string reason", () => {
    expect(issues({ confirm: "worker-1", reason: 42 })).toEqual([["reason", "reason: a reason is required"]]);
  });

  it.each(["", "abcd", "   abcd   ", "         "])("a short reason %j (after trimming)", (reason) => {
    expect(issues({ ...valid, reason })).toEqual([["reason", "reason: say why, in at least 5 characters"]]);
  });

  it("a reason over 500 characters", () => {
    expect(issues({ ...valid, reason: "x".repeat(501) })).toEqual([["reason", "reason: at most 500 characters"]]);
  });

  it("a missing confirm", () => {
    expect(issues({ reason: valid.reason })).toEqual([["confirm", "confirm: type the node name to confirm"]]);
  });

  it("a confirm over 253 characters", () => {
    const found = issues({ ...valid, confirm: "a".repeat(254) });
    expect(found).toHaveLength(1);
    expect(found[0]![0]).toBe("confirm");
  });

  it("both missing: both reported", () => {
    expect(issues({})).toEqual([
      ["confirm", "confirm: type the node name to confirm"],
      ["reason", "reason: a reason is required"],
    ]);
  });

  it("an extra key (strict object), naming it", () => {
    const result = ZActionRequest.safeParse({ ...valid, force: true });
    expect(result.success).toBe(false);
    expect(result.error?.issues).toEqual([
      expect.objectContaining({ code: "unrecognized_keys", keys: ["force"], path: [], message: 'Unrecognized key: "force"' }),
    ]);
  });

  it("an override with a short reason", () => {
    expect(issues({ ...valid, override: { reason: "ok" } })).toEqual([["override.reason", "override.reason: at least 5 characters"]]);
    expect(issues({ ...valid, override: { reason: "   abc  " } })).toEqual([["override.reason", "override.reason: at least 5 characters"]]);
  });

  it("an override without a reason", () => {
    const found = issues({ ...valid, override: {} });
    expect(found.map(([path]) => path)).toEqual(["override.reason"]);
  });

  it("an override with an extra key (strict object)", () => {
    expect(issues({ ...valid, override: { reason: "partition ruled out", by: "me" } })).toEqual([["override", 'Unrecognized key: "by"']]);
  });

  it("an override reason over 500 characters", () => {
    expect(issues({ ...valid, override: { reason: "x".repeat(501) } }).map(([path]) => path)).toEqual(["override.reason"]);
  });

  it.each([
    [-1, "timeoutSeconds: 0 to 600"],
    [601, "timeoutSeconds: 0 to 600"],
    [1.5, "timeoutSeconds: whole seconds"],
    ["30", "Invalid input: expected number, received string"],
  ])("timeoutSeconds %j", (timeoutSeconds, message) => {
    expect(issues({ ...valid, timeoutSeconds })).toEqual([["timeoutSeconds", message]]);
  });

  it("not an object", () => {
    expect(ZActionRequest.safeParse(null).success).toBe(false);
    expect(ZActionRequest.safeParse("worker-1").success).toBe(false);
  });
});
