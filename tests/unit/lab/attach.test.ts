import { describe, expect, it } from "vitest";
import {
  SEED_CSI_STORAGE_CLASS,
  SEED_REDIS_CLAIM,
  SEED_REDIS_CSI_PV,
  SEED_STORAGE_CLASS,
  seedNodes,
  seedObjects,
} from "@/scripts/lab/scenarios/seed";
import { ATTACHER_FINALIZER, attacherStep, type KVolumeAttachment, LAB_CSI_DRIVER } from "@/scripts/lab/sim/attacher";
import { fullStatusPatch } from "@/scripts/lab/sim/objects";
import { csiVolumeName } from "@/scripts/lab/sim/volumes";

const va = (extra: { attacher?: string; deleting?: boolean; finalizers?: string[]; attached?: boolean } = {}): KVolumeAttachment => ({
  metadata: {
    name: "csi-0123",
    uid: "u",
    resourceVersion: "7",
    finalizers: extra.finalizers,
    ...(extra.deleting ? { deletionTimestamp: "2025-01-01T00:00:00Z" } : {}),
  },
  spec: { attacher: extra.attacher ?? LAB_CSI_DRIVER, nodeName: "acp-worker01", source: { persistentVolumeName: "pv" } },
  status: extra.attached === undefined ? undefined : { attached: extra.attached },
});

describe("the simulated external-attacher", () => {
  it("uses external-attacher's finalizer name for the lab driver", () => {
    expect(ATTACHER_FINALIZER).toBe("external-attacher/csi.lab.node-rescue.dev");
  });

  it("attaches a new VolumeAttachment of its driver, and one not attached yet", () => {
    expect(attacherStep(va())).toBe("attach");
    expect(attacherStep(va({ attached: false, finalizers: [ATTACHER_FINALIZER] }))).toBe("attach");
  });

  it("leaves an attached one alone", () => {
    expect(attacherStep(va({ attached: true, finalizers: [ATTACHER_FINALIZER] }))).toBeNull();
  });

  it("detaches one marked for deletion while its finalizer is on; without it, nothing is left to do", () => {
    expect(attacherStep(va({ deleting: true, attached: true, finalizers: ["other", ATTACHER_FINALIZER] }))).toBe("detach");
    expect(attacherStep(va({ deleting: true, attached: true, finalizers: ["other"] }))).toBeNull();
  });

  it("never touches another driver's", () => {
    expect(attacherStep(va({ attacher: "ebs.csi.aws.com" }))).toBeNull();
    expect(attacherStep(va({ attacher: "ebs.csi.aws.com", deleting: true, finalizers: [ATTACHER_FINALIZER] }))).toBeNull();
  });
});

describe("the kubelet's volumes", () => {
  it("names a CSI volume as the volume plugins do", () => {
    expect(csiVolumeName(LAB_CSI_DRIVER, "harbor-redis-data")).toBe("kubernetes.io/csi/csi.lab.node-rescue.dev^harbor-redis-data");
  });

  it("the full status replaces volumesInUse, empty by default", () => {
    const node = seedNodes()[3];
    if (!node) throw new Error("no seed worker");
    expect(fullStatusPatch(node, 0, 0, "boot", "v1.37.2").status.volumesInUse).toEqual([]);
    expect(fullStatusPatch(node, 0, 0, "boot", "v1.37.2", ["kubernetes.io/csi/d^h"]).status.volumesInUse).toEqual([
      "kubernetes.io/csi/d^h",
    ]);
  });
});

describe("the seed's Redis volume", () => {
  const kinds = (objects: ReturnType<typeof seedObjects>) => objects.map((o) => `${o.kind}/${o.metadata?.name}`);
  const redis = (objects: ReturnType<typeof seedObjects>) =>
    objects.find((o) => o.kind === "StatefulSet" && o.metadata?.name === "harbor-registry-redis-master") as unknown as {
      spec: { volumeClaimTemplates: Array<{ spec: { storageClassName: string } }> };
    };

  it("nfs (1.20): the incident's NFS class, no CSI objects", () => {
    const objects = seedObjects({ policyVersion: "v1beta1", redisVolume: "nfs" });
    expect(kinds(objects).filter((k) => k.startsWith("CSIDriver/") || k.includes(SEED_REDIS_CSI_PV))).toEqual([]);
    expect(redis(objects).spec.volumeClaimTemplates[0]?.spec.storageClassName).toBe(SEED_STORAGE_CLASS);
  });

  it("csi (modern): an attach-required CSIDriver, its class and a PV pre-bound to Redis' claim, created before the workloads", () => {
    const objects = seedObjects({ policyVersion: "v1", redisVolume: "csi" });
    const names = kinds(objects);
    expect(names.indexOf(`CSIDriver/${LAB_CSI_DRIVER}`)).toBeLessThan(names.indexOf("StatefulSet/harbor-registry-redis-master"));
    expect(names.indexOf(`PersistentVolume/${SEED_REDIS_CSI_PV}`)).toBeLessThan(names.indexOf("Namespace/harbor-registry"));
    const driver = objects.find((o) => o.kind === "CSIDriver") as unknown as { spec: { attachRequired: boolean } };
    expect(driver.spec.attachRequired).toBe(true);
    const pv = objects.find((o) => o.metadata?.name === SEED_REDIS_CSI_PV) as unknown as {
      spec: { csi: { driver: string }; claimRef: { namespace: string; name: string }; storageClassName: string; accessModes: string[] };
    };
    expect(pv.spec.csi.driver).toBe(LAB_CSI_DRIVER);
    expect(pv.spec.claimRef).toEqual({ namespace: "harbor-registry", name: SEED_REDIS_CLAIM });
    expect(pv.spec.accessModes).toEqual(["ReadWriteOnce"]);
    expect(redis(objects).spec.volumeClaimTemplates[0]?.spec.storageClassName).toBe(SEED_CSI_STORAGE_CLASS);
    expect(pv.spec.storageClassName).toBe(SEED_CSI_STORAGE_CLASS);
  });
});
