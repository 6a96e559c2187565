import type { V1Pod } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { evaluateStuckPod, type TOwnerObjects } from "@/lib/health";
import {
  ago,
  daemonSetTolerations,
  deadNode,
  iso,
  MINUTE,
  makePod,
  makePv,
  makePvc,
  makeReplicaSet,
  makeVolumeAttachment,
  NOW,
  nodeHealth,
  ownerRef,
  SECOND,
} from "./fixtures";

const webOwners: TOwnerObjects = { replicaSets: [makeReplicaSet({ name: "web-7d4b9c", deployment: "web" })] };
const webPod = (options: Parameters<typeof makePod>[0] = {}) =>
  makePod({ name: "web-7d4b9c-abcde", owner: ownerRef("ReplicaSet", "web-7d4b9c"), ...options });

/** evaluateStuckPod on a node dead for 2 minutes, with the web Deployment's ReplicaSet known. */
function evaluate(options: Partial<Parameters<typeof evaluateStuckPod>[0]> & { pod: V1Pod }) {
  return evaluateStuckPod({
    pod: options.pod,
    node: options.node ?? deadNode({ minutes: 2 }),
    pvcs: options.pvcs ?? [],
    pvs: options.pvs ?? [],
    volumeAttachments: options.volumeAttachments ?? [],
    owners: options.owners ?? webOwners,
    now: NOW,
  });
}

/** StatefulSet db, pod db-0 with an RWO claim on nfs-sc-acp attached to worker-1. */
const dbObjects = {
  pod: makePod({ name: "db-0", owner: ownerRef("StatefulSet", "db"), claims: ["data-db-0"] }),
  pvcs: [makePvc({ name: "data-db-0", volumeName: "pvc-db0", storageClassName: "nfs-sc-acp" })],
  pvs: [makePv({ name: "pvc-db0", storageClassName: "nfs-sc-acp" })],
  volumeAttachments: [makeVolumeAttachment({ name: "csi-db0", nodeName: "worker-1", pv: "pvc-db0" })],
};

describe("evaluateStuckPod: identity and facts", () => {
  it("copies the pod identity, its node and its readiness", () => {
    const stuck = evaluate({ pod: webPod({ ready: false, phase: "Running" }) });
    expect(stuck).toMatchObject({
      namespace: "shop",
      name: "web-7d4b9c-abcde",
      uid: "uid-pod-web-7d4b9c-abcde",
      nodeName: "worker-1",
      nodeState: "Unknown",
      phase: "Running",
      ready: false,
      mirror: false,
      terminating: null,
    });
    expect(evaluate({ pod: webPod() }).ready).toBe(true);
  });

  it("measures terminating from the delete request, not from deletionTimestamp (which is grace end)", () => {
    const stuck = evaluate({ pod: webPod({ deletedAgoMs: 3 * MINUTE, gracePeriodSeconds: 30 }) });
    expect(stuck.terminating).toEqual({
      requestedAt: iso(ago(3 * MINUTE)),
      forMs: 3 * MINUTE,
      gracePeriodSeconds: 30,
      graceEndsAt: iso(ago(3 * MINUTE - 30 * SECOND)),
      graceOverdueMs: 3 * MINUTE - 30 * SECOND,
    });
  });

  it("reports a grace period still running as negative overdue", () => {
    const stuck = evaluate({ pod: webPod({ deletedAgoMs: 10 * SECOND, gracePeriodSeconds: 30 }) });
    expect(stuck.terminating?.graceOverdueMs).toBe(-20 * SECOND);
  });

  it("handles a deletion without a grace period", () => {
    const pod = webPod();
    pod.metadata = { ...pod.metadata, deletionTimestamp: ago(MINUTE) };
    const stuck = evaluate({ pod });
    expect(stuck.terminating?.gracePeriodSeconds).toBe(0);
    expect(stuck.terminating?.forMs).toBe(MINUTE);
  });

  it("resolves a Deployment owner through its ReplicaSet", () => {
    expect(evaluate({ pod: webPod() }).owner).toEqual({
      kind: "Deployment",
      name: "web",
      uid: "uid-Deployment-web",
      replicaSet: "web-7d4b9c",
    });
  });

  it("computes the eviction countdown from the node's taint and the pod's toleration", () => {
    const stuck = evaluate({ pod: webPod(), node: deadNode({ minutes: 2 }) });
    expect(stuck.eviction.status).toBe("scheduled");
    expect(stuck.eviction.evictAt).toBe(iso(ago(-3 * MINUTE)));
    expect(stuck.eviction.evictInMs).toBe(3 * MINUTE);
  });

  it("has no countdown before the node is tainted", () => {
    const node = nodeHealth({ ready: "Unknown" });
    expect(evaluate({ pod: webPod(), node }).eviction.evictInMs).toBeNull();
  });

  it("is a plain JSON-safe object", () => {
    const stuck = evaluate({ ...dbObjects });
    expect(JSON.parse(JSON.stringify(stuck))).toEqual(stuck);
  });
});

describe("evaluateStuckPod: needsAction", () => {
  it("does not need action for a Deployment pod: the eviction brings a replacement", () => {
    const stuck = evaluate({ pod: webPod() });
    expect(stuck.replacement).toBe("automatic");
    expect(stuck.needsAction).toBe(false);
    expect(stuck.reasons).toEqual(["Deployment web: replaced automatically once the pod is evicted, in 3m 0s."]);
  });

  it("says the eviction is overdue once its time has passed", () => {
    const stuck = evaluate({ pod: webPod(), node: deadNode({ minutes: 7 }) });
    expect(stuck.needsAction).toBe(false);
    expect(stuck.reasons[0]).toBe("Deployment web: eviction was due 2m 0s ago; the controller replaces the pod once it is deleted.");
  });

  it("says a terminating Deployment pod is already being replaced", () => {
    const stuck = evaluate({ pod: webPod({ deletedAgoMs: MINUTE }) });
    expect(stuck.replacement).toBe("automatic");
    expect(stuck.reasons[0]).toMatch(/being deleted.*creates a replacement/);
  });

  it("explains a pending taint when the node is not tainted yet", () => {
    const stuck = evaluate({ pod: webPod(), node: nodeHealth({ ready: "Unknown" }) });
    expect(stuck.replacement).toBe("automatic");
    expect(stuck.reasons[0]).toMatch(/once the node controller taints worker-1/);
  });

  it("explains an unknown eviction time when the taint has no timeAdded", () => {
    const node = nodeHealth({
      ready: "Unknown",
      taints: [{ key: "node.kubernetes.io/unreachable", effect: "NoExecute" }],
    });
    const stuck = evaluate({ pod: webPod(), node });
    expect(stuck.eviction.status).toBe("unknown");
    expect(stuck.reasons[0]).toMatch(/time is unknown/);
  });

  it("treats a bare ReplicaSet pod like a Deployment pod", () => {
    const stuck = evaluate({
      pod: makePod({ owner: ownerRef("ReplicaSet", "solo") }),
      owners: { replicaSets: [makeReplicaSet({ name: "solo" })] },
    });
    expect(stuck.owner?.kind).toBe("ReplicaSet");
    expect(stuck.replacement).toBe("automatic");
    expect(stuck.reasons[0]).toMatch(/^ReplicaSet solo: /);
  });

  it("treats a Job pod as replaced automatically", () => {
    const stuck = evaluate({ pod: makePod({ owner: ownerRef("Job", "backup", "batch/v1") }) });
    expect(stuck.replacement).toBe("automatic");
    expect(stuck.needsAction).toBe(false);
  });

  it("needs action for a StatefulSet pod: its name stays taken", () => {
    const stuck = evaluate({ pod: makePod({ name: "db-0", owner: ownerRef("StatefulSet", "db") }) });
    expect(stuck.replacement).toBe("blocked");
    expect(stuck.needsAction).toBe(true);
    expect(stuck.reasons).toEqual([
      "StatefulSet pod: its name stays taken until the pod is deleted, so StatefulSet db cannot start db-0 on another node.",
    ]);
  });

  it("needs action even when the StatefulSet pod is already terminating", () => {
    const stuck = evaluate({
      pod: makePod({ name: "db-0", owner: ownerRef("StatefulSet", "db"), deletedAgoMs: 10 * MINUTE }),
    });
    expect(stuck.needsAction).toBe(true);
    expect(stuck.terminating?.forMs).toBe(10 * MINUTE);
  });

  it("gives both reasons for a StatefulSet pod whose RWO volume on nfs-sc-acp is attached to the dead node", () => {
    const stuck = evaluate({ ...dbObjects });
    expect(stuck.needsAction).toBe(true);
    expect(stuck.volumes).toEqual([
      {
        volume: "vol-data-db-0",
        claimName: "data-db-0",
        claimFound: true,
        volumeName: "pvc-db0",
        storageClassName: "nfs-sc-acp",
        accessModes: ["ReadWriteOnce"],
        rwo: true,
        local: false,
        attachments: [{ name: "csi-db0", attacher: "nfs.csi.k8s.io", attached: true }],
      },
    ]);
    expect(stuck.reasons).toHaveLength(2);
    expect(stuck.reasons[1]).toBe(
      "Volume data-db-0 (ReadWriteOnce) is still attached to worker-1 (VolumeAttachment csi-db0): a replacement elsewhere cannot attach pvc-db0 until it is detached.",
    );
  });

  it("ignores a VolumeAttachment of the same PV on another node", () => {
    const stuck = evaluate({
      pod: webPod({ claims: ["data-db-0"] }),
      pvcs: dbObjects.pvcs,
      pvs: dbObjects.pvs,
      volumeAttachments: [makeVolumeAttachment({ nodeName: "worker-2", pv: "pvc-db0" })],
    });
    expect(stuck.volumes[0]?.attachments).toEqual([]);
    expect(stuck.needsAction).toBe(false);
  });

  it("needs action for a Deployment pod with an RWO volume attached to the dead node", () => {
    const stuck = evaluate({ ...dbObjects, pod: webPod({ claims: ["data-db-0"] }) });
    expect(stuck.owner?.kind).toBe("Deployment");
    expect(stuck.replacement).toBe("blocked");
    expect(stuck.needsAction).toBe(true);
    expect(stuck.reasons[0]).toMatch(/^Volume data-db-0 \(ReadWriteOnce\) is still attached to worker-1/);
  });

  it("does not need action for a Deployment pod with an RWX volume attached", () => {
    const stuck = evaluate({
      ...dbObjects,
      pod: webPod({ claims: ["shared"] }),
      pvcs: [makePvc({ name: "shared", volumeName: "pvc-db0", accessModes: ["ReadWriteMany"] })],
    });
    expect(stuck.volumes[0]?.attachments).toHaveLength(1);
    expect(stuck.needsAction).toBe(false);
  });

  it("does not need action for a Deployment pod with an RWO volume but no attachment", () => {
    const stuck = evaluate({ ...dbObjects, pod: webPod({ claims: ["data-db-0"] }), volumeAttachments: [] });
    expect(stuck.needsAction).toBe(false);
  });

  it("needs action for a pod on a local volume", () => {
    const stuck = evaluate({
      pod: webPod({ claims: ["cache"] }),
      pvcs: [makePvc({ name: "cache", volumeName: "local-pv-1" })],
      pvs: [makePv({ name: "local-pv-1", local: true })],
    });
    expect(stuck.needsAction).toBe(true);
    expect(stuck.reasons[0]).toMatch(/local volume \(local-pv-1\): its data lives on worker-1/);
  });

  it("needs action for a Deployment pod that tolerates the taints forever", () => {
    const stuck = evaluate({ pod: webPod({ tolerations: daemonSetTolerations() }) });
    expect(stuck.eviction.status).toBe("never");
    expect(stuck.replacement).toBe("blocked");
    expect(stuck.needsAction).toBe(true);
    expect(stuck.reasons[0]).toMatch(/tolerates node.kubernetes.io\/unreachable forever/);
  });

  it("does not need action for a DaemonSet pod: never evicted, comes back with the node", () => {
    const stuck = evaluate({
      pod: makePod({
        name: "fluentbit-x",
        owner: ownerRef("DaemonSet", "fluentbit"),
        tolerations: daemonSetTolerations(),
      }),
    });
    expect(stuck.eviction.status).toBe("never");
    expect(stuck.eviction.evictInMs).toBeNull();
    expect(stuck.replacement).toBe("none");
    expect(stuck.needsAction).toBe(false);
    expect(stuck.reasons[0]).toMatch(/^DaemonSet pod: DaemonSet fluentbit runs one per node/);
  });

  it("does not need action for a DaemonSet pod even with an RWO volume attached", () => {
    const stuck = evaluate({
      ...dbObjects,
      pod: makePod({
        owner: ownerRef("DaemonSet", "agent"),
        claims: ["data-db-0"],
        tolerations: daemonSetTolerations(),
      }),
    });
    expect(stuck.needsAction).toBe(false);
  });

  it("does not need action for a static (mirror) pod", () => {
    const pod = makePod({
      name: "kube-apiserver-worker-1",
      annotations: { "kubernetes.io/config.mirror": "hash" },
      owners: [{ apiVersion: "v1", kind: "Node", name: "worker-1", uid: "uid-worker-1", controller: true }],
      tolerations: [{ operator: "Exists", effect: "NoExecute" }],
    });
    const stuck = evaluate({ pod });
    expect(stuck.mirror).toBe(true);
    expect(stuck.owner?.kind).toBe("Node");
    expect(stuck.replacement).toBe("none");
    expect(stuck.needsAction).toBe(false);
    expect(stuck.reasons[0]).toMatch(/^Static pod: worker-1's kubelet runs it/);
  });

  it("needs action for a bare pod: nothing recreates it", () => {
    const stuck = evaluate({ pod: makePod({ name: "debug" }) });
    expect(stuck.owner).toBeNull();
    expect(stuck.replacement).toBe("none");
    expect(stuck.needsAction).toBe(true);
    expect(stuck.reasons[0]).toMatch(/^Bare pod/);
  });

  it("leaves pods of unknown controllers to them", () => {
    const stuck = evaluate({ pod: makePod({ owner: ownerRef("Rollout", "canary", "argoproj.io/v1alpha1") }) });
    expect(stuck.replacement).toBe("unknown");
    expect(stuck.needsAction).toBe(false);
    expect(stuck.reasons[0]).toBe("Rollout canary: whether it replaces the pod is up to that controller.");
  });
});
