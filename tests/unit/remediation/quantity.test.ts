import { describe, expect, it } from "vitest";
import { parseQuantity } from "@/lib/remediation/quantity";

describe("parseQuantity", () => {
  it.each([
    ["500m", 0.5],
    ["2", 2],
    ["1.5", 1.5],
    [".5", 0.5],
    ["0", 0],
    ["64Gi", 64 * 2 ** 30],
    ["128Mi", 128 * 2 ** 20],
    ["1Ki", 1024],
    ["1Ti", 2 ** 40],
    ["1Pi", 2 ** 50],
    ["1Ei", 2 ** 60],
    ["1e3", 1000],
    ["1E3", 1000],
    ["2e-3", 0.002],
    ["1k", 1000],
    ["1M", 1e6],
    ["1G", 1e9],
    ["1T", 1e12],
    ["1P", 1e15],
    ["1E", 1e18],
    ["100n", 100e-9],
    ["100u", 100e-6],
    ["+3", 3],
    ["-1", -1],
    [" 250m ", 0.25],
  ])("%j → %d", (q, value) => {
    expect(parseQuantity(q)).toBeCloseTo(value, 12);
  });

  it("returns exact values for binary suffixes", () => {
    expect(parseQuantity("64Gi")).toBe(68719476736);
    expect(parseQuantity("1.5Gi")).toBe(1610612736);
  });

  it.each([[0], [2], [0.25], [1024]])("passes the number %d through", (n) => {
    expect(parseQuantity(n)).toBe(n);
  });

  it.each([[undefined], [null]])("%j → null", (q) => {
    expect(parseQuantity(q)).toBeNull();
  });

  it.each([
    [""],
    ["   "],
    ["abc"],
    ["Gi"],
    ["1.2.3"],
    ["1 Gi"],
    ["1gi"],
    ["1K"],
    ["1mi"],
    ["1Xi"],
    ["1e"],
    ["1."],
    ["--1"],
    ["1,5"],
    ["0x10"],
  ])("garbage %j → null", (q) => {
    expect(parseQuantity(q)).toBeNull();
  });

  // SUFFIX is a plain object literal: a suffix naming an Object.prototype member ("constructor",
  // "toString", "valueOf") is found there, so the result is NaN instead of null.
  it("garbage suffixes naming Object.prototype members → null (not NaN)", () => {
    for (const q of ["1constructor", "1toString", "2valueOf", "1hasOwnProperty"]) expect(parseQuantity(q), q).toBeNull();
  });
});
