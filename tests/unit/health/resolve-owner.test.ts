import { describe, expect, it } from "vitest";
import { isMirrorPod, resolveOwner } from "@/lib/health";
import { makePod, makeReplicaSet, ownerRef } from "./fixtures";

describe("resolveOwner", () => {
  it("reports a Deployment through its ReplicaSet, with the ReplicaSet name", () => {
    const pod = makePod({ owner: ownerRef("ReplicaSet", "web-7d4b9c") });
    const owner = resolveOwner({
      pod,
      owners: { replicaSets: [makeReplicaSet({ name: "web-7d4b9c", deployment: "web" })] },
    });
    expect(owner).toEqual({ kind: "Deployment", name: "web", uid: "uid-Deployment-web", replicaSet: "web-7d4b9c" });
  });

  it("reports a bare ReplicaSet as itself", () => {
    const pod = makePod({ owner: ownerRef("ReplicaSet", "standalone") });
    const owner = resolveOwner({ pod, owners: { replicaSets: [makeReplicaSet({ name: "standalone" })] } });
    expect(owner).toEqual({
      kind: "ReplicaSet",
      name: "standalone",
      uid: "uid-ReplicaSet-standalone",
      replicaSet: "standalone",
    });
  });

  it("reports the ReplicaSet when it is not in the cache instead of guessing the Deployment", () => {
    const pod = makePod({ owner: ownerRef("ReplicaSet", "web-7d4b9c") });
    expect(resolveOwner({ pod, owners: {} })?.kind).toBe("ReplicaSet");
  });

  it("does not match a ReplicaSet of the same name in another namespace", () => {
    const pod = makePod({ namespace: "shop", owner: ownerRef("ReplicaSet", "web-7d4b9c") });
    const other = makeReplicaSet({ name: "web-7d4b9c", namespace: "staging", deployment: "web" });
    expect(resolveOwner({ pod, owners: { replicaSets: [other] } })?.kind).toBe("ReplicaSet");
  });

  it.each(["StatefulSet", "DaemonSet", "Job"])("reports a %s owner directly", (kind) => {
    const pod = makePod({ owner: ownerRef(kind, "thing") });
    expect(resolveOwner({ pod, owners: {} })).toEqual({
      kind,
      name: "thing",
      uid: `uid-${kind}-thing`,
      replicaSet: null,
    });
  });

  it("prefers the controller reference over other owners", () => {
    const pod = makePod({
      owners: [{ ...ownerRef("ConfigMap", "not-me", "v1"), controller: false }, ownerRef("StatefulSet", "db")],
    });
    expect(resolveOwner({ pod, owners: {} })?.name).toBe("db");
  });

  it("falls back to the first owner when none is marked controller", () => {
    const pod = makePod({ owners: [{ ...ownerRef("StatefulSet", "db"), controller: undefined }] });
    expect(resolveOwner({ pod, owners: {} })?.kind).toBe("StatefulSet");
  });

  it("returns null for a bare pod", () => {
    expect(resolveOwner({ pod: makePod(), owners: {} })).toBeNull();
  });
});

describe("isMirrorPod", () => {
  it("recognizes the kubernetes.io/config.mirror annotation", () => {
    expect(isMirrorPod(makePod({ annotations: { "kubernetes.io/config.mirror": "abc123" } }))).toBe(true);
    expect(isMirrorPod(makePod({ annotations: { "kubernetes.io/config.source": "file" } }))).toBe(false);
    expect(isMirrorPod(makePod())).toBe(false);
  });
});
