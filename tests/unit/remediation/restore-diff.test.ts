import type { V1Node, V1Taint } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { restoreDiff, type TNodeBackupData } from "@/lib/remediation/restore-diff";

const node = (options: { labels?: Record<string, string>; annotations?: Record<string, string>; taints?: V1Taint[] } = {}): V1Node => ({
  metadata: { name: "worker-1", labels: options.labels, annotations: options.annotations },
  spec: { taints: options.taints },
});
const backup = (options: Partial<TNodeBackupData> = {}): TNodeBackupData => ({ labels: {}, annotations: {}, taints: [], ...options });

describe("restoreDiff: labels", () => {
  it("restores missing and changed labels, not identical ones", () => {
    const diff = restoreDiff(
      backup({ labels: { zone: "a", tier: "db", "kubernetes.io/hostname": "worker-1" } }),
      node({ labels: { zone: "b", "kubernetes.io/hostname": "worker-1" } }),
    );
    expect(diff.labels).toEqual({ zone: "a", tier: "db" });
    expect(diff.empty).toBe(false);
  });

  it("leaves labels the node has but the backup lacks alone (nothing to remove)", () => {
    const diff = restoreDiff(backup({ labels: { zone: "a" } }), node({ labels: { zone: "a", extra: "x" } }));
    expect(diff.labels).toEqual({});
    expect(diff.empty).toBe(true);
  });

  it("restores an empty-valued label the node lacks", () => {
    expect(restoreDiff(backup({ labels: { "node-role.kubernetes.io/worker": "" } }), node()).labels).toEqual({
      "node-role.kubernetes.io/worker": "",
    });
  });
});

describe("restoreDiff: annotations", () => {
  it("restores missing and changed annotations, not identical ones", () => {
    const diff = restoreDiff(
      backup({ annotations: { owner: "team-a", note: "x", same: "1" } }),
      node({ annotations: { owner: "team-b", same: "1" } }),
    );
    expect(diff.annotations).toEqual({ owner: "team-a", note: "x" });
  });

  it.each(["node.alpha.kubernetes.io/ttl", "volumes.kubernetes.io/controller-managed-attach-detach", "node-rescue.dev/last-action"])(
    "never restores the managed annotation %s",
    (key) => {
      const diff = restoreDiff(backup({ annotations: { [key]: "old", keep: "me" } }), node({ annotations: { [key]: "new" } }));
      expect(diff.annotations).toEqual({ keep: "me" });
      expect(restoreDiff(backup({ annotations: { [key]: "old" } }), node()).empty).toBe(true);
    },
  );

  it("restores other kubernetes.io annotations", () => {
    expect(restoreDiff(backup({ annotations: { "csi.volume.kubernetes.io/nodeid": "{}" } }), node()).annotations).toEqual({
      "csi.volume.kubernetes.io/nodeid": "{}",
    });
  });
});

describe("restoreDiff: taints", () => {
  it("restores a missing taint with its value", () => {
    const diff = restoreDiff(backup({ taints: [{ key: "dedicated", value: "db", effect: "NoSchedule" }] }), node());
    expect(diff.taints).toEqual([{ key: "dedicated", value: "db", effect: "NoSchedule" }]);
    expect(diff.empty).toBe(false);
  });

  it("gives a value-less taint a null value", () => {
    expect(restoreDiff(backup({ taints: [{ key: "gpu", effect: "NoExecute" }] }), node()).taints).toEqual([
      { key: "gpu", value: null, effect: "NoExecute" },
    ]);
  });

  it("does not duplicate a taint already present with the same key and effect (whatever its value)", () => {
    const diff = restoreDiff(
      backup({ taints: [{ key: "dedicated", value: "db", effect: "NoSchedule" }] }),
      node({ taints: [{ key: "dedicated", value: "other", effect: "NoSchedule" }] }),
    );
    expect(diff.taints).toEqual([]);
    expect(diff.empty).toBe(true);
  });

  it("restores a taint whose key is present only with another effect", () => {
    const diff = restoreDiff(
      backup({ taints: [{ key: "dedicated", value: "db", effect: "NoExecute" }] }),
      node({ taints: [{ key: "dedicated", value: "db", effect: "NoSchedule" }] }),
    );
    expect(diff.taints).toEqual([{ key: "dedicated", value: "db", effect: "NoExecute" }]);
  });

  it.each([
    "node.kubernetes.io/unreachable",
    "node.kubernetes.io/not-ready",
    "node.kubernetes.io/out-of-service",
    "node.kubernetes.io/unschedulable",
  ])("never restores the control-plane taint %s", (key) => {
    const diff = restoreDiff(
      backup({
        taints: [
          { key, effect: "NoExecute" },
          { key: "keep", effect: "NoSchedule" },
        ],
      }),
      node(),
    );
    expect(diff.taints).toEqual([{ key: "keep", value: null, effect: "NoSchedule" }]);
  });

  it("restores taints outside node.kubernetes.io/ (e.g. node-role.kubernetes.io/)", () => {
    const taint = { key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" };
    expect(restoreDiff(backup({ taints: [taint] }), node()).taints).toEqual([{ ...taint, value: null }]);
  });
});

describe("restoreDiff: empty", () => {
  it("is empty for an empty backup", () => {
    expect(restoreDiff(backup(), node())).toEqual({ labels: {}, annotations: {}, taints: [], empty: true });
  });

  it("is empty when the node already has everything", () => {
    const data = backup({ labels: { a: "1" }, annotations: { b: "2" }, taints: [{ key: "c", value: "3", effect: "NoSchedule" }] });
    expect(restoreDiff(data, node({ labels: data.labels, annotations: data.annotations, taints: data.taints })).empty).toBe(true);
  });

  it.each([
    ["a label", backup({ labels: { a: "1" } })],
    ["an annotation", backup({ annotations: { b: "2" } })],
    ["a taint", backup({ taints: [{ key: "c", effect: "NoSchedule" }] })],
  ])("is not empty with only %s to restore", (_, data) => {
    expect(restoreDiff(data, node()).empty).toBe(false);
  });

  it("restores everything (but managed entries) when the node is unknown", () => {
    const data = backup({
      labels: { a: "1" },
      annotations: { b: "2", "node.alpha.kubernetes.io/ttl": "0" },
      taints: [
        { key: "c", effect: "NoSchedule" },
        { key: "node.kubernetes.io/unreachable", effect: "NoExecute" },
      ],
    });
    expect(restoreDiff(data, undefined)).toEqual({
      labels: { a: "1" },
      annotations: { b: "2" },
      taints: [{ key: "c", value: null, effect: "NoSchedule" }],
      empty: false,
    });
  });

  it("handles a node without metadata or spec", () => {
    expect(restoreDiff(backup({ labels: { a: "1" } }), {}).labels).toEqual({ a: "1" });
  });
});
