import type { V1LabelSelector } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { matchesSelector } from "@/lib/remediation/selector";

const expr = (key: string, operator: string, values?: string[]): V1LabelSelector => ({ matchExpressions: [{ key, operator, values }] });

describe("matchesSelector", () => {
  it("an undefined selector matches nothing", () => {
    expect(matchesSelector(undefined, { app: "web" })).toBe(false);
    expect(matchesSelector(undefined, {})).toBe(false);
    expect(matchesSelector(undefined)).toBe(false);
  });

  it("an empty selector matches everything, even no labels", () => {
    expect(matchesSelector({}, { app: "web" })).toBe(true);
    expect(matchesSelector({}, {})).toBe(true);
    expect(matchesSelector({ matchLabels: {}, matchExpressions: [] })).toBe(true);
  });

  describe("matchLabels", () => {
    it("matches when every label is equal", () => {
      expect(matchesSelector({ matchLabels: { app: "web", tier: "fe" } }, { app: "web", tier: "fe", extra: "x" })).toBe(true);
    });

    it("does not match a different value", () => {
      expect(matchesSelector({ matchLabels: { app: "web" } }, { app: "db" })).toBe(false);
    });

    it("does not match a missing label", () => {
      expect(matchesSelector({ matchLabels: { app: "web", tier: "fe" } }, { app: "web" })).toBe(false);
    });

    it("does not match empty or undefined labels", () => {
      expect(matchesSelector({ matchLabels: { app: "web" } }, {})).toBe(false);
      expect(matchesSelector({ matchLabels: { app: "web" } }, undefined)).toBe(false);
    });

    it("an empty-string value matches only an empty-string label", () => {
      expect(matchesSelector({ matchLabels: { flag: "" } }, { flag: "" })).toBe(true);
      expect(matchesSelector({ matchLabels: { flag: "" } }, {})).toBe(false);
    });
  });

  describe("matchExpressions", () => {
    it("In: matches a listed value only", () => {
      expect(matchesSelector(expr("app", "In", ["web", "api"]), { app: "api" })).toBe(true);
      expect(matchesSelector(expr("app", "In", ["web", "api"]), { app: "db" })).toBe(false);
      expect(matchesSelector(expr("app", "In", ["web"]), {})).toBe(false);
      expect(matchesSelector(expr("app", "In", []), { app: "web" })).toBe(false);
      expect(matchesSelector(expr("app", "In"), { app: "web" })).toBe(false);
    });

    it("NotIn: matches an unlisted value or a missing label", () => {
      expect(matchesSelector(expr("app", "NotIn", ["web"]), { app: "db" })).toBe(true);
      expect(matchesSelector(expr("app", "NotIn", ["web"]), {})).toBe(true);
      expect(matchesSelector(expr("app", "NotIn", ["web", "db"]), { app: "db" })).toBe(false);
      expect(matchesSelector(expr("app", "NotIn"), { app: "db" })).toBe(true);
    });

    it("Exists: matches when the key is there, whatever its value", () => {
      expect(matchesSelector(expr("app", "Exists"), { app: "" })).toBe(true);
      expect(matchesSelector(expr("app", "Exists"), { app: "web" })).toBe(true);
      expect(matchesSelector(expr("app", "Exists"), { other: "web" })).toBe(false);
      expect(matchesSelector(expr("app", "Exists"), {})).toBe(false);
    });

    it("DoesNotExist: matches when the key is absent", () => {
      expect(matchesSelector(expr("app", "DoesNotExist"), {})).toBe(true);
      expect(matchesSelector(expr("app", "DoesNotExist"), { other: "x" })).toBe(true);
      expect(matchesSelector(expr("app", "DoesNotExist"), { app: "" })).toBe(false);
    });

    it.each(["Gt", "Lt", "in", "exists", ""])("an unknown operator %j matches nothing", (operator) => {
      expect(matchesSelector(expr("app", operator, ["1"]), { app: "1" })).toBe(false);
      expect(matchesSelector(expr("app", operator), {})).toBe(false);
    });

    it("needs every expression (AND)", () => {
      const selector: V1LabelSelector = {
        matchExpressions: [
          { key: "app", operator: "In", values: ["web"] },
          { key: "canary", operator: "DoesNotExist" },
        ],
      };
      expect(matchesSelector(selector, { app: "web" })).toBe(true);
      expect(matchesSelector(selector, { app: "web", canary: "true" })).toBe(false);
    });

    it("needs matchLabels and matchExpressions both", () => {
      const selector: V1LabelSelector = { matchLabels: { app: "web" }, matchExpressions: [{ key: "tier", operator: "Exists" }] };
      expect(matchesSelector(selector, { app: "web", tier: "fe" })).toBe(true);
      expect(matchesSelector(selector, { app: "web" })).toBe(false);
      expect(matchesSelector(selector, { tier: "fe" })).toBe(false);
    });
  });

  // "constructor", "toString", "valueOf" are valid label keys; `key in labels` also finds them on
  // Object.prototype, so Exists matches and DoesNotExist fails on pods that do not carry them.
  it("Exists/DoesNotExist on keys that are also Object.prototype members (constructor, toString, valueOf)", () => {
    for (const key of ["constructor", "toString", "valueOf"]) {
      expect(matchesSelector(expr(key, "Exists"), { app: "web" }), `Exists ${key}`).toBe(false);
      expect(matchesSelector(expr(key, "DoesNotExist"), { app: "web" }), `DoesNotExist ${key}`).toBe(true);
    }
  });
});
