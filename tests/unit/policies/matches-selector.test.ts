import { describe, expect, it } from "vitest";
import { isControlPlane, matchesSelector } from "@/lib/policies/matches-selector";
import { type TPolicyInput, ZPolicy } from "@/lib/policies/schema";

const policy = (input: Partial<TPolicyInput> = {}) => ZPolicy.parse({ name: "p", ...input });

const worker = { "kubernetes.io/hostname": "w1", "node-role.kubernetes.io/worker": "", "topology.kubernetes.io/zone": "rack-a" };
const master = { "kubernetes.io/hostname": "m1", "node-role.kubernetes.io/master": "" };
const controlPlane = { "kubernetes.io/hostname": "c1", "node-role.kubernetes.io/control-plane": "" };
const legacyMaster = { "kubernetes.io/hostname": "l1", "kubernetes.io/role": "master" };
const bare = { "kubernetes.io/hostname": "b1" };

describe("matchesSelector: the control-plane rule", () => {
  it("the default policy selects every node but the control plane", () => {
    const p = policy();
    expect(matchesSelector(p, worker)).toBe(true);
    expect(matchesSelector(p, bare)).toBe(true);
    expect(matchesSelector(p, {})).toBe(true);
    expect(matchesSelector(p, undefined)).toBe(true);
    for (const labels of [master, controlPlane, legacyMaster]) expect(matchesSelector(p, labels), JSON.stringify(labels)).toBe(false);
  });

  it("includeControlPlane lets the selector decide for control-plane nodes too", () => {
    const p = policy({ includeControlPlane: true });
    for (const labels of [worker, master, controlPlane, legacyMaster]) expect(matchesSelector(p, labels)).toBe(true);
    const onlyCp = policy({ includeControlPlane: true, selector: { matchLabels: { "node-role.kubernetes.io/control-plane": "" } } });
    expect(matchesSelector(onlyCp, controlPlane)).toBe(true);
    expect(matchesSelector(onlyCp, master)).toBe(false);
    expect(matchesSelector(onlyCp, worker)).toBe(false);
  });

  it("a control-plane node that also carries the worker label is still excluded", () => {
    const p = policy({ selector: { matchLabels: { "node-role.kubernetes.io/worker": "" } } });
    expect(matchesSelector(p, { ...controlPlane, "node-role.kubernetes.io/worker": "" })).toBe(false);
    expect(matchesSelector({ ...p, includeControlPlane: true }, { ...controlPlane, "node-role.kubernetes.io/worker": "" })).toBe(true);
  });

  it("isControlPlane: the role labels, any value, and the legacy role label", () => {
    expect(isControlPlane({ "node-role.kubernetes.io/control-plane": "true" })).toBe(true);
    expect(isControlPlane({ "node-role.kubernetes.io/master": "" })).toBe(true);
    expect(isControlPlane({ "kubernetes.io/role": "master" })).toBe(true);
    expect(isControlPlane({ "node-role.kubernetes.io/worker": "" })).toBe(false);
    expect(isControlPlane({ "kubernetes.io/role": "" })).toBe(false);
    expect(isControlPlane(undefined)).toBe(false);
  });
});

describe("matchesSelector: labels and expressions", () => {
  it("matchLabels: every label equal, an empty value only matching an empty value", () => {
    const p = policy({ selector: { matchLabels: { "node-role.kubernetes.io/worker": "", "topology.kubernetes.io/zone": "rack-a" } } });
    expect(matchesSelector(p, worker)).toBe(true);
    expect(matchesSelector(p, { ...worker, "topology.kubernetes.io/zone": "rack-b" })).toBe(false);
    expect(matchesSelector(p, { "topology.kubernetes.io/zone": "rack-a" })).toBe(false);
    expect(matchesSelector(policy({ selector: { matchLabels: { gpu: "" } } }), { gpu: "a100" })).toBe(false);
  });

  it("In and NotIn", () => {
    const inZones = policy({
      selector: { matchExpressions: [{ key: "topology.kubernetes.io/zone", operator: "In", values: ["rack-a", "rack-b"] }] },
    });
    expect(matchesSelector(inZones, worker)).toBe(true);
    expect(matchesSelector(inZones, { ...worker, "topology.kubernetes.io/zone": "rack-c" })).toBe(false);
    expect(matchesSelector(inZones, bare)).toBe(false);
    const notIn = policy({
      selector: { matchExpressions: [{ key: "topology.kubernetes.io/zone", operator: "NotIn", values: ["rack-a"] }] },
    });
    expect(matchesSelector(notIn, worker)).toBe(false);
    expect(matchesSelector(notIn, bare)).toBe(true);
  });

  it("Exists and DoesNotExist, with own keys only", () => {
    const exists = policy({ selector: { matchExpressions: [{ key: "spot", operator: "Exists" }] } });
    expect(matchesSelector(exists, { spot: "" })).toBe(true);
    expect(matchesSelector(exists, bare)).toBe(false);
    const absent = policy({ selector: { matchExpressions: [{ key: "constructor", operator: "DoesNotExist" }] } });
    expect(matchesSelector(absent, bare)).toBe(true);
    expect(matchesSelector(absent, { constructor: "x" })).toBe(false);
  });

  it("labels and expressions together: all must hold", () => {
    const p = policy({
      selector: {
        matchLabels: { "node-role.kubernetes.io/worker": "" },
        matchExpressions: [
          { key: "topology.kubernetes.io/zone", operator: "In", values: ["rack-a"] },
          { key: "spot", operator: "DoesNotExist" },
        ],
      },
    });
    expect(matchesSelector(p, worker)).toBe(true);
    expect(matchesSelector(p, { ...worker, spot: "" })).toBe(false);
    expect(matchesSelector(p, { ...worker, "node-role.kubernetes.io/worker": "x" })).toBe(false);
  });
});
