import { describe, expect, it } from "vitest";
import { resolvePodVolumes } from "@/lib/health";
import { makePod, makePv, makePvc, makeVolumeAttachment } from "./fixtures";

const base = { nodeName: "worker-1", pvs: [], volumeAttachments: [] };

describe("resolvePodVolumes", () => {
  it("ignores volumes that are not claims", () => {
    expect(resolvePodVolumes({ ...base, pod: makePod(), pvcs: [] })).toEqual([]);
  });

  it("reports a bound RWO claim on nfs-sc-acp with its attachment to the node", () => {
    const volumes = resolvePodVolumes({
      pod: makePod({ claims: ["data-db-0"] }),
      nodeName: "worker-1",
      pvcs: [makePvc({ name: "data-db-0", volumeName: "pvc-123" })],
      pvs: [makePv({ name: "pvc-123" })],
      volumeAttachments: [
        makeVolumeAttachment({ name: "csi-abc", nodeName: "worker-1", pv: "pvc-123" }),
        makeVolumeAttachment({ name: "csi-other-node", nodeName: "worker-2", pv: "pvc-123" }),
        makeVolumeAttachment({ name: "csi-other-pv", nodeName: "worker-1", pv: "pvc-999" }),
      ],
    });
    expect(volumes).toEqual([
      {
        volume: "vol-data-db-0",
        claimName: "data-db-0",
        claimFound: true,
        volumeName: "pvc-123",
        storageClassName: "nfs-sc-acp",
        accessModes: ["ReadWriteOnce"],
        rwo: true,
        local: false,
        attachments: [{ name: "csi-abc", attacher: "nfs.csi.k8s.io", attached: true }],
      },
    ]);
  });

  it("reports an attachment still detaching (attached false)", () => {
    const [volume] = resolvePodVolumes({
      pod: makePod({ claims: ["data"] }),
      nodeName: "worker-1",
      pvcs: [makePvc({ name: "data", volumeName: "pv-1" })],
      pvs: [],
      volumeAttachments: [makeVolumeAttachment({ name: "va", nodeName: "worker-1", pv: "pv-1", attached: false })],
    });
    expect(volume?.attachments).toEqual([{ name: "va", attacher: "nfs.csi.k8s.io", attached: false }]);
  });

  it.each([
    [["ReadWriteOnce"], true],
    [["ReadWriteOncePod"], true],
    [["ReadWriteMany"], false],
    [["ReadOnlyMany"], false],
    [["ReadWriteMany", "ReadWriteOnce"], true],
  ])("calls access modes %j rwo=%s", (accessModes, rwo) => {
    const [volume] = resolvePodVolumes({
      ...base,
      pod: makePod({ claims: ["c"] }),
      pvcs: [makePvc({ name: "c", accessModes })],
    });
    expect(volume?.rwo).toBe(rwo);
  });

  it("prefers the bound status access modes over the request", () => {
    const pvc = makePvc({ name: "c", accessModes: ["ReadWriteOnce"], statusAccessModes: ["ReadWriteMany"] });
    const [volume] = resolvePodVolumes({ ...base, pod: makePod({ claims: ["c"] }), pvcs: [pvc] });
    expect(volume?.accessModes).toEqual(["ReadWriteMany"]);
    expect(volume?.rwo).toBe(false);
  });

  it("falls back to the PV for access modes and storage class", () => {
    const pvc = makePvc({ name: "c", volumeName: "pv-1" });
    delete pvc.spec?.accessModes;
    delete pvc.spec?.storageClassName;
    const [volume] = resolvePodVolumes({
      ...base,
      pod: makePod({ claims: ["c"] }),
      pvcs: [pvc],
      pvs: [makePv({ name: "pv-1", accessModes: ["ReadWriteOncePod"], storageClassName: "local-path" })],
    });
    expect(volume?.accessModes).toEqual(["ReadWriteOncePod"]);
    expect(volume?.storageClassName).toBe("local-path");
  });

  it("marks local PVs", () => {
    const [volume] = resolvePodVolumes({
      ...base,
      pod: makePod({ claims: ["c"] }),
      pvcs: [makePvc({ name: "c", volumeName: "local-pv" })],
      pvs: [makePv({ name: "local-pv", local: true })],
    });
    expect(volume?.local).toBe(true);
  });

  it("reports a claim missing from the cache as not found", () => {
    const [volume] = resolvePodVolumes({ ...base, pod: makePod({ claims: ["gone"] }), pvcs: [] });
    expect(volume).toMatchObject({
      claimName: "gone",
      claimFound: false,
      volumeName: null,
      rwo: false,
      attachments: [],
    });
  });

  it("does not match a claim of the same name in another namespace", () => {
    const [volume] = resolvePodVolumes({
      ...base,
      pod: makePod({ namespace: "shop", claims: ["c"] }),
      pvcs: [makePvc({ name: "c", namespace: "staging" })],
    });
    expect(volume?.claimFound).toBe(false);
  });

  it("has no attachments for an unbound claim", () => {
    const [volume] = resolvePodVolumes({
      ...base,
      pod: makePod({ claims: ["c"] }),
      pvcs: [makePvc({ name: "c" })],
      volumeAttachments: [makeVolumeAttachment({ nodeName: "worker-1", pv: "pvc-123" })],
    });
    expect(volume?.volumeName).toBeNull();
    expect(volume?.attachments).toEqual([]);
  });

  it("finds the PVC of a generic ephemeral volume as <pod>-<volume>", () => {
    const [volume] = resolvePodVolumes({
      ...base,
      pod: makePod({ name: "cache-0", ephemeral: ["scratch"] }),
      pvcs: [makePvc({ name: "cache-0-scratch", volumeName: "pv-e" })],
    });
    expect(volume).toMatchObject({
      volume: "scratch",
      claimName: "cache-0-scratch",
      claimFound: true,
      volumeName: "pv-e",
    });
  });
});
