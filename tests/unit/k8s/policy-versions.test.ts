import { describe, expect, it } from "vitest";
import { policyVersionsOf } from "@/lib/k8s/resources";

// The parts of the discovery documents that matter, as each release serves them (the Eviction's
// group version comes from the EvictionREST's GroupVersionKind in pkg/registry/core/pod/storage).
const core = (evictionVersion: string | null) => ({
  resources: [
    { name: "pods", kind: "Pod" },
    ...(evictionVersion === null ? [] : [{ name: "pods/eviction", group: "policy", version: evictionVersion, kind: "Eviction" }]),
    { name: "pods/status", kind: "Pod" },
  ],
});
const policyV1 = { resources: [{ name: "poddisruptionbudgets" }, { name: "poddisruptionbudgets/status" }] };

describe("policyVersionsOf", () => {
  it("1.20: PodDisruptionBudgets and Evictions in policy/v1beta1 (no policy/v1 yet)", () => {
    expect(policyVersionsOf({ core: core("v1beta1"), policyV1: null })).toEqual({ pdb: "v1beta1", eviction: "v1beta1" });
  });

  it("1.21: PodDisruptionBudgets in policy/v1, Evictions still policy/v1beta1", () => {
    expect(policyVersionsOf({ core: core("v1beta1"), policyV1 })).toEqual({ pdb: "v1", eviction: "v1beta1" });
  });

  it("1.22 and later (1.37): both in policy/v1", () => {
    expect(policyVersionsOf({ core: core("v1"), policyV1 })).toEqual({ pdb: "v1", eviction: "v1" });
  });

  it("a policy/v1 without PodDisruptionBudgets does not count for them", () => {
    expect(policyVersionsOf({ core: core("v1"), policyV1: { resources: [] } }).pdb).toBe("v1beta1");
  });

  it("an eviction subresource without a group version (servers before 1.10) is v1beta1", () => {
    expect(policyVersionsOf({ core: { resources: [{ name: "pods/eviction" }] }, policyV1: null }).eviction).toBe("v1beta1");
    expect(policyVersionsOf({ core: core(null), policyV1: null }).eviction).toBe("v1beta1");
  });
});
