import { describe, expect, it } from "vitest";
import { findToleration, tolerates } from "@/lib/health";
import { NOT_READY, UNREACHABLE } from "./fixtures";

const unreachable = { key: UNREACHABLE, effect: "NoExecute" };
const dedicated = { key: "dedicated", value: "db", effect: "NoSchedule" };

describe("tolerates", () => {
  it("matches Exists on the same key and effect", () => {
    expect(tolerates({ toleration: { key: UNREACHABLE, operator: "Exists", effect: "NoExecute" }, taint: unreachable })).toBe(true);
  });

  it("does not match another key", () => {
    expect(tolerates({ toleration: { key: NOT_READY, operator: "Exists", effect: "NoExecute" }, taint: unreachable })).toBe(false);
  });

  it("does not match another effect", () => {
    expect(tolerates({ toleration: { key: UNREACHABLE, operator: "Exists", effect: "NoSchedule" }, taint: unreachable })).toBe(false);
  });

  it("matches every effect when the toleration's effect is empty", () => {
    expect(tolerates({ toleration: { key: UNREACHABLE, operator: "Exists" }, taint: unreachable })).toBe(true);
    expect(tolerates({ toleration: { key: UNREACHABLE, operator: "Exists", effect: "" }, taint: unreachable })).toBe(true);
  });

  it("matches every taint with an empty key and operator Exists", () => {
    const all = { operator: "Exists" };
    expect(tolerates({ toleration: all, taint: unreachable })).toBe(true);
    expect(tolerates({ toleration: all, taint: dedicated })).toBe(true);
    expect(tolerates({ toleration: { operator: "Exists", effect: "NoExecute" }, taint: dedicated })).toBe(false);
  });

  it("compares values with Equal", () => {
    expect(tolerates({ toleration: { key: "dedicated", operator: "Equal", value: "db" }, taint: dedicated })).toBe(true);
    expect(tolerates({ toleration: { key: "dedicated", operator: "Equal", value: "web" }, taint: dedicated })).toBe(false);
  });

  it("treats a missing operator as Equal", () => {
    expect(tolerates({ toleration: { key: "dedicated", value: "db" }, taint: dedicated })).toBe(true);
    expect(tolerates({ toleration: { key: "dedicated" }, taint: dedicated })).toBe(false);
  });

  it("matches an empty value to a taint without value under Equal", () => {
    expect(tolerates({ toleration: { key: UNREACHABLE, operator: "Equal", value: "" }, taint: unreachable })).toBe(true);
    expect(tolerates({ toleration: { key: UNREACHABLE, operator: "Equal" }, taint: unreachable })).toBe(true);
  });

  it("ignores the value under Exists", () => {
    expect(tolerates({ toleration: { key: "dedicated", operator: "Exists", value: "anything" }, taint: dedicated })).toBe(true);
  });

  it("tolerates nothing with an unknown operator", () => {
    expect(tolerates({ toleration: { key: "dedicated", operator: "Lt", value: "db" }, taint: dedicated })).toBe(false);
  });
});

describe("findToleration", () => {
  it("returns the first matching toleration, as the taint manager uses it", () => {
    const first = { key: UNREACHABLE, operator: "Exists", effect: "NoExecute", tolerationSeconds: 60 };
    const second = { operator: "Exists" };
    expect(findToleration({ tolerations: [{ key: "other", operator: "Exists" }, first, second], taint: unreachable })).toBe(first);
  });

  it("returns null when nothing matches", () => {
    expect(findToleration({ tolerations: [], taint: unreachable })).toBeNull();
    expect(findToleration({ tolerations: [{ key: NOT_READY, operator: "Exists" }], taint: unreachable })).toBeNull();
  });
});
