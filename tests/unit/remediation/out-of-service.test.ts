import { describe, expect, it } from "vitest";
import { OUT_OF_SERVICE_TAINT } from "@/lib/remediation/catalog";
import { outOfServiceRelease, releaseBlockers, releaseMessage, toleratesOutOfService } from "@/lib/remediation/out-of-service";
import { daemonSetTolerations, makeVolumeAttachment } from "../health/fixtures";
import { health, makePod, ownerRef } from "./fixtures";

const OOS = { key: OUT_OF_SERVICE_TAINT.key, value: OUT_OF_SERVICE_TAINT.value, effect: OUT_OF_SERVICE_TAINT.effect };
const MIRROR = { "kubernetes.io/config.mirror": "abc123" };
const tainted = (state: "Ready" | "HeartbeatLate" | "NotReady" | "Unknown" = "Ready") => health({ name: "worker-1", state, taints: [OOS] });
/** node-exporter: a DaemonSet pod tolerating everything, as the seed's does. */
const exporter = makePod({
  name: "node-exporter-x",
  namespace: "kube-system",
  owner: ownerRef("DaemonSet", "node-exporter"),
  tolerations: [{ operator: "Exists" }],
});

describe("toleratesOutOfService", () => {
  it.each([
    ["operator Exists without key (tolerates everything)", [{ operator: "Exists" }], true],
    ["the taint's key, Exists", [{ key: OOS.key, operator: "Exists" }], true],
    ["the taint's key and value, NoExecute", [{ key: OOS.key, operator: "Equal", value: "nodeshutdown", effect: "NoExecute" }], true],
    ["the taint's key, another value", [{ key: OOS.key, operator: "Equal", value: "other" }], false],
    ["the taint's key, NoSchedule only", [{ key: OOS.key, operator: "Exists", effect: "NoSchedule" }], false],
    ["what every pod gets (not-ready, unreachable)", undefined, false],
    ["what the DaemonSet controller adds", daemonSetTolerations(), false],
  ] as const)("%s → %s", (_, tolerations, expected) => {
    expect(toleratesOutOfService(makePod({ tolerations: tolerations ? [...tolerations] : undefined }))).toBe(expected);
  });
});

describe("outOfServiceRelease", () => {
  it("is releasable once the tainted node is Ready with no pods and no attachments", () => {
    const r = outOfServiceRelease({ node: tainted(), pods: [], volumeAttachments: [] });
    expect(r).toEqual({ node: "worker-1", tainted: true, state: "Ready", ready: true, pods: [], attachments: [], releasable: true });
    expect(releaseBlockers(r)).toEqual([]);
    expect(releaseMessage(r)).toBe(
      "worker-1 is Ready with no pods and no VolumeAttachments left on it (pods that tolerate the taint stay): the taint can come off",
    );
  });

  it.each(["NotReady", "Unknown", "HeartbeatLate"] as const)("a %s node is not releasable", (state) => {
    const r = outOfServiceRelease({ node: tainted(state), pods: [], volumeAttachments: [] });
    expect(r.ready).toBe(false);
    expect(r.releasable).toBe(false);
    expect(releaseBlockers(r)).toEqual([`worker-1 is ${state} (it must be Ready: its kubelet back)`]);
  });

  it("counts the pods the taint moves off, Terminating ones included, sorted", () => {
    const pods = [makePod({ name: "web-b" }), makePod({ name: "web-a", deletedAgoMs: 60_000 })];
    const r = outOfServiceRelease({ node: tainted(), pods, volumeAttachments: [] });
    expect(r.pods).toEqual(["shop/web-a", "shop/web-b"]);
    expect(r.releasable).toBe(false);
    expect(releaseBlockers(r)).toEqual(["2 pods still on it (shop/web-a, shop/web-b)"]);
  });

  it("ignores pods that stay anyway: tolerating the taint, mirror pods, finished pods", () => {
    const pods = [
      exporter,
      makePod({ name: "etcd-worker-1", namespace: "kube-system", annotations: MIRROR }),
      makePod({ name: "job-done", phase: "Succeeded" }),
      makePod({ name: "job-failed", phase: "Failed" }),
    ];
    const r = outOfServiceRelease({ node: tainted(), pods, volumeAttachments: [] });
    expect(r.pods).toEqual([]);
    expect(r.releasable).toBe(true);
  });

  it("counts every VolumeAttachment naming the node, attached or being detached, and only those", () => {
    const volumeAttachments = [
      makeVolumeAttachment({ name: "csi-b", nodeName: "worker-1", pv: "pv-b" }),
      makeVolumeAttachment({ name: "csi-a", nodeName: "worker-1", pv: "pv-a", attached: false }),
      makeVolumeAttachment({ name: "csi-c", nodeName: "worker-2", pv: "pv-c" }),
    ];
    const r = outOfServiceRelease({ node: tainted(), pods: [], volumeAttachments });
    expect(r.attachments).toEqual(["csi-a", "csi-b"]);
    expect(releaseBlockers(r)).toEqual(["2 VolumeAttachments still on it (csi-a, csi-b)"]);
  });

  it("names everything that blocks, one phrase each, long lists cut", () => {
    const pods = ["p1", "p2", "p3", "p4"].map((name) => makePod({ name }));
    const volumeAttachments = [makeVolumeAttachment({ name: "csi-1", nodeName: "worker-1", pv: "pv-1" })];
    const r = outOfServiceRelease({ node: tainted("Unknown"), pods, volumeAttachments });
    expect(releaseMessage(r)).toBe(
      "the out-of-service taint stays until worker-1 is back and empty: worker-1 is Unknown (it must be Ready: its kubelet back); " +
        "4 pods still on it (shop/p1, shop/p2, shop/p3, … (4 in all)); 1 VolumeAttachment still on it (csi-1)",
    );
  });

  it("an untainted node is never releasable (nothing to remove)", () => {
    const r = outOfServiceRelease({ node: health({ state: "Ready" }), pods: [], volumeAttachments: [] });
    expect(r.tainted).toBe(false);
    expect(r.releasable).toBe(false);
  });
});
