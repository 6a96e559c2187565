import type { V1Pod } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { ACTIONS, type TAction } from "@/lib/remediation/catalog";
import { capacityFor, planAction, type TDisposition } from "@/lib/remediation/plan";
import { makePv, makePvc, makeReplicaSet, makeVolumeAttachment } from "../health/fixtures";
import { health, makePdb, makePod, nodeWithAllocatable, ownerRef, planInput, podWithRequests, terminatingPod } from "./fixtures";

const MIRROR = { "kubernetes.io/config.mirror": "abc123" };
const Mi = 2 ** 20;
const Gi = 2 ** 30;

/** One of each kind of pod a node may run. */
const zoo = () => ({
  app: makePod({ name: "web-abc-1", owner: ownerRef("ReplicaSet", "web-abc") }),
  daemon: makePod({ name: "fluentd-x", namespace: "kube-system", owner: ownerRef("DaemonSet", "fluentd") }),
  mirror: makePod({ name: "etcd-worker-1", namespace: "kube-system", owner: ownerRef("Node", "worker-1", "v1"), annotations: MIRROR }),
  terminating: terminatingPod("web-abc-2", { owner: ownerRef("ReplicaSet", "web-abc") }),
  bare: makePod({ name: "debug" }),
});

const dispositions = (action: TAction, pods: V1Pod[], state: "Ready" | "Unknown" = "Unknown") =>
  Object.fromEntries(
    planAction(planInput({ action, pods, node: health({ state }) }))
      .groups.flatMap((g) => g.pods)
      .map((p) => [p.name, p.disposition]),
  ) as Record<string, TDisposition>;

describe("planAction: dispositions", () => {
  it("drain evicts ordinary pods and skips DaemonSet, mirror and Terminating pods", () => {
    const z = zoo();
    expect(dispositions("node.drain", Object.values(z))).toEqual({
      "web-abc-1": "evict",
      "fluentd-x": "skip-daemonset",
      "etcd-worker-1": "skip-mirror",
      "web-abc-2": "skip-terminating",
      debug: "evict",
    });
  });

  it("drain: a mirror pod is skip-mirror even when Terminating", () => {
    const pod = terminatingPod("kube-apiserver-worker-1", { annotations: MIRROR });
    expect(dispositions("node.drain", [pod])).toEqual({ "kube-apiserver-worker-1": "skip-mirror" });
  });

  it("drain: the mirror annotation counts whatever its value (even empty)", () => {
    const pod = makePod({ name: "static", annotations: { "kubernetes.io/config.mirror": "" } });
    expect(dispositions("node.drain", [pod])).toEqual({ static: "skip-mirror" });
  });

  it("drain: a DaemonSet pod is skip-daemonset even when Terminating", () => {
    const pod = terminatingPod("fluentd-y", { owner: ownerRef("DaemonSet", "fluentd") });
    expect(dispositions("node.drain", [pod])).toEqual({ "fluentd-y": "skip-daemonset" });
  });

  it("drain: a DaemonSet owner reference that is not the controller does not make a daemon pod", () => {
    const pod = makePod({ name: "odd", owners: [{ ...ownerRef("DaemonSet", "fluentd"), controller: false }] });
    expect(dispositions("node.drain", [pod])).toEqual({ odd: "evict" });
  });

  it("force-delete targets only Terminating pods", () => {
    const z = zoo();
    expect(dispositions("pods.force-delete", Object.values(z))).toEqual({
      "web-abc-1": "untouched",
      "fluentd-x": "untouched",
      "etcd-worker-1": "untouched",
      "web-abc-2": "force-delete",
      debug: "untouched",
    });
  });

  it("force-delete also targets Terminating DaemonSet and mirror pods", () => {
    const pods = [terminatingPod("ds", { owner: ownerRef("DaemonSet", "fluentd") }), terminatingPod("static", { annotations: MIRROR })];
    expect(dispositions("pods.force-delete", pods)).toEqual({ ds: "force-delete", static: "force-delete" });
  });

  it.each(["node.delete", "node.out-of-service.apply"] as const)("%s frees every pod but mirror pods", (action) => {
    const z = zoo();
    expect(dispositions(action, Object.values(z))).toEqual({
      "web-abc-1": "freed",
      "fluentd-x": "freed",
      "etcd-worker-1": "untouched",
      "web-abc-2": "freed",
      debug: "freed",
    });
  });

  it("out-of-service leaves the pods that tolerate its taint where they are; delete frees them", () => {
    const everywhere = makePod({
      name: "node-exporter-x",
      owner: ownerRef("DaemonSet", "node-exporter"),
      tolerations: [{ operator: "Exists" }],
    });
    const byKey = makePod({ name: "special", tolerations: [{ key: "node.kubernetes.io/out-of-service", operator: "Exists" }] });
    expect(dispositions("node.out-of-service.apply", [everywhere, byKey])).toEqual({
      "node-exporter-x": "skip-tolerates",
      special: "skip-tolerates",
    });
    expect(dispositions("node.delete", [everywhere, byKey])).toEqual({ "node-exporter-x": "freed", special: "freed" });
    const plan = planAction(planInput({ action: "node.out-of-service.apply", pods: [everywhere], node: health({ state: "Unknown" }) }));
    expect(plan.summary).toContain("; 1 pod that tolerates the taint stays;");
    expect(plan.capacity).toBeNull(); // nothing moves
  });

  it.each(["node.cordon", "node.uncordon", "node.restore", "node.out-of-service.remove"] as const)(
    "%s leaves every pod untouched",
    (action) => {
      const d = dispositions(action, Object.values(zoo()));
      expect(Object.values(d)).toHaveLength(5);
      expect(new Set(Object.values(d))).toEqual(new Set(["untouched"]));
    },
  );

  it("reports namespace, phase and terminating for each pod", () => {
    const pods = [makePod({ name: "a", namespace: "ns1", phase: "Pending" }), terminatingPod("b", { namespace: "ns2" })];
    const entries = planAction(planInput({ action: "node.drain", pods })).groups.flatMap((g) => g.pods);
    expect(entries.map((p) => [p.namespace, p.name, p.phase, p.terminating])).toEqual([
      ["ns1", "a", "Pending", false],
      ["ns2", "b", "Running", true],
    ]);
  });

  it("handles a pod without metadata or status", () => {
    const entries = planAction(planInput({ action: "node.drain", pods: [{ spec: { containers: [] } }] })).groups.flatMap((g) => g.pods);
    expect(entries).toEqual([
      { namespace: "", name: "", uid: null, owner: null, phase: null, terminating: false, disposition: "evict", pdb: null },
    ]);
  });
});

describe("planAction: grouping by owner", () => {
  it("groups a Deployment's pods through its ReplicaSet when the ReplicaSet is known", () => {
    const pods = [
      makePod({ name: "web-abc-1", owner: ownerRef("ReplicaSet", "web-abc") }),
      makePod({ name: "web-abc-2", owner: ownerRef("ReplicaSet", "web-abc") }),
    ];
    const plan = planAction(planInput({ pods, owners: { replicaSets: [makeReplicaSet({ name: "web-abc", deployment: "web" })] } }));
    expect(plan.groups).toHaveLength(1);
    expect(plan.groups[0]!.owner).toEqual({ kind: "Deployment", name: "web", namespace: "shop" });
    expect(plan.groups[0]!.pods.map((p) => p.name)).toEqual(["web-abc-1", "web-abc-2"]);
    expect(plan.groups[0]!.pods[0]!.owner).toEqual({ kind: "Deployment", name: "web" });
  });

  it("groups two ReplicaSets of one Deployment together", () => {
    const pods = [
      makePod({ name: "web-old-1", owner: ownerRef("ReplicaSet", "web-old") }),
      makePod({ name: "web-new-1", owner: ownerRef("ReplicaSet", "web-new") }),
    ];
    const replicaSets = [makeReplicaSet({ name: "web-old", deployment: "web" }), makeReplicaSet({ name: "web-new", deployment: "web" })];
    const plan = planAction(planInput({ pods, owners: { replicaSets } }));
    expect(plan.groups.map((g) => [g.owner, g.pods.length])).toEqual([[{ kind: "Deployment", name: "web", namespace: "shop" }, 2]]);
  });

  it("falls back to the ReplicaSet when it is not passed in owners", () => {
    const pods = [makePod({ name: "web-abc-1", owner: ownerRef("ReplicaSet", "web-abc") })];
    const plan = planAction(planInput({ pods }));
    expect(plan.groups[0]!.owner).toEqual({ kind: "ReplicaSet", name: "web-abc", namespace: "shop" });
  });

  it("ignores a ReplicaSet of the same name in another namespace", () => {
    const pods = [makePod({ name: "web-abc-1", owner: ownerRef("ReplicaSet", "web-abc") })];
    const replicaSets = [makeReplicaSet({ name: "web-abc", namespace: "other", deployment: "web" })];
    expect(planAction(planInput({ pods, owners: { replicaSets } })).groups[0]!.owner?.kind).toBe("ReplicaSet");
  });

  it("groups StatefulSet pods by their StatefulSet", () => {
    const pods = [
      makePod({ name: "db-0", owner: ownerRef("StatefulSet", "db") }),
      makePod({ name: "db-1", owner: ownerRef("StatefulSet", "db") }),
    ];
    const plan = planAction(planInput({ pods }));
    expect(plan.groups).toEqual([
      {
        owner: { kind: "StatefulSet", name: "db", namespace: "shop" },
        pods: [expect.objectContaining({ name: "db-0" }), expect.objectContaining({ name: "db-1" })],
      },
    ]);
  });

  it("keeps owners of the same name in different namespaces (or kinds) apart", () => {
    const pods = [
      makePod({ name: "db-0", namespace: "a", owner: ownerRef("StatefulSet", "db") }),
      makePod({ name: "db-0", namespace: "b", owner: ownerRef("StatefulSet", "db") }),
      makePod({ name: "db-x", namespace: "a", owner: ownerRef("ReplicaSet", "db") }),
    ];
    const owners = planAction(planInput({ pods })).groups.map((g) => g.owner);
    expect(owners).toEqual([
      { kind: "StatefulSet", name: "db", namespace: "a" },
      { kind: "StatefulSet", name: "db", namespace: "b" },
      { kind: "ReplicaSet", name: "db", namespace: "a" },
    ]);
  });

  it("gives each ownerless pod its own group with a null owner", () => {
    const pods = [makePod({ name: "debug-1" }), makePod({ name: "debug-2" })];
    const plan = planAction(planInput({ pods }));
    expect(plan.groups).toHaveLength(2);
    expect(plan.groups.map((g) => [g.owner, g.pods.map((p) => p.name)])).toEqual([
      [null, ["debug-1"]],
      [null, ["debug-2"]],
    ]);
  });

  it("has no groups without pods", () => {
    expect(planAction(planInput({ pods: [] })).groups).toEqual([]);
  });
});

describe("planAction: PodDisruptionBudgets", () => {
  const web = (name: string, extra: Parameters<typeof podWithRequests>[0] = {}) =>
    podWithRequests({ name, labels: { app: "web" }, owner: ownerRef("ReplicaSet", "web-abc"), ...extra });

  it("matches a PDB by namespace and selector, with its disruptionsAllowed", () => {
    const plan = planAction(
      planInput({
        pods: [web("web-1"), web("web-2")],
        pdbs: [makePdb({ name: "web-pdb", matchLabels: { app: "web" }, disruptionsAllowed: 2 })],
      }),
    );
    const pods = plan.groups.flatMap((g) => g.pods);
    expect(pods.map((p) => p.pdb)).toEqual([
      { name: "web-pdb", disruptionsAllowed: 2 },
      { name: "web-pdb", disruptionsAllowed: 2 },
    ]);
    expect(plan.pdbs).toEqual([{ namespace: "shop", name: "web-pdb", disruptionsAllowed: 2, pods: ["shop/web-1", "shop/web-2"] }]);
  });

  it("does not match a PDB in another namespace", () => {
    const plan = planAction(
      planInput({
        pods: [web("web-1")],
        pdbs: [makePdb({ name: "web-pdb", namespace: "other", matchLabels: { app: "web" }, disruptionsAllowed: 1 })],
      }),
    );
    expect(plan.groups[0]!.pods[0]!.pdb).toBeNull();
    expect(plan.pdbs).toEqual([]);
  });

  it("does not match a PDB whose selector does not select the pod", () => {
    const plan = planAction(
      planInput({ pods: [web("web-1")], pdbs: [makePdb({ name: "db-pdb", matchLabels: { app: "db" }, disruptionsAllowed: 1 })] }),
    );
    expect(plan.groups[0]!.pods[0]!.pdb).toBeNull();
  });

  it("does not match a PDB without a selector", () => {
    const plan = planAction(planInput({ pods: [web("web-1")], pdbs: [makePdb({ name: "none", disruptionsAllowed: 1 })] }));
    expect(plan.groups[0]!.pods[0]!.pdb).toBeNull();
  });

  it("matches a PDB through matchExpressions", () => {
    const pdb = makePdb({
      name: "expr",
      selector: { matchExpressions: [{ key: "app", operator: "In", values: ["web", "api"] }] },
      disruptionsAllowed: 1,
    });
    const plan = planAction(planInput({ pods: [web("web-1")], pdbs: [pdb] }));
    expect(plan.groups[0]!.pods[0]!.pdb).toEqual({ name: "expr", disruptionsAllowed: 1 });
  });

  it("takes 0 disruptions allowed when the PDB has no status yet", () => {
    const plan = planAction(planInput({ pods: [web("web-1")], pdbs: [makePdb({ name: "web-pdb", matchLabels: { app: "web" } })] }));
    expect(plan.groups[0]!.pods[0]!.pdb).toEqual({ name: "web-pdb", disruptionsAllowed: 0 });
  });

  it("lists separate PDBs separately", () => {
    const pods = [web("web-1"), podWithRequests({ name: "db-0", labels: { app: "db" } })];
    const pdbs = [
      makePdb({ name: "web-pdb", matchLabels: { app: "web" }, disruptionsAllowed: 1 }),
      makePdb({ name: "db-pdb", matchLabels: { app: "db" }, disruptionsAllowed: 0 }),
    ];
    expect(planAction(planInput({ pods, pdbs })).pdbs).toEqual([
      { namespace: "shop", name: "web-pdb", disruptionsAllowed: 1, pods: ["shop/web-1"] },
      { namespace: "shop", name: "db-pdb", disruptionsAllowed: 0, pods: ["shop/db-0"] },
    ]);
  });

  it("drain warns when a PDB allows fewer disruptions than its pods on the node", () => {
    const plan = planAction(
      planInput({
        pods: [web("web-1"), web("web-2")],
        pdbs: [makePdb({ name: "web-pdb", matchLabels: { app: "web" }, disruptionsAllowed: 1 })],
      }),
    );
    expect(plan.warnings).toContain(
      "PodDisruptionBudget shop/web-pdb allows 1 disruption(s) for 2 pod(s) here: some evictions will be refused.",
    );
  });

  it("drain does not warn when the PDB allows as many disruptions as pods", () => {
    const plan = planAction(
      planInput({
        pods: [web("web-1"), web("web-2")],
        pdbs: [makePdb({ name: "web-pdb", matchLabels: { app: "web" }, disruptionsAllowed: 2 })],
      }),
    );
    expect(plan.warnings.filter((w) => w.startsWith("PodDisruptionBudget"))).toEqual([]);
  });

  it("only drain warns about PDBs", () => {
    const pdbs = [makePdb({ name: "web-pdb", matchLabels: { app: "web" }, disruptionsAllowed: 0 })];
    for (const action of ACTIONS.filter((a) => a !== "node.drain")) {
      const plan = planAction(planInput({ action, pods: [web("web-1")], pdbs }));
      expect(
        plan.warnings.filter((w) => w.startsWith("PodDisruptionBudget")),
        action,
      ).toEqual([]);
    }
  });

  // Drain never evicts a Terminating (or DaemonSet/mirror) pod, so such pods should not count
  // against the PDB's disruptionsAllowed in the "some evictions will be refused" warning.
  it("drain does not count pods it skips against the PDB (Terminating pod under the PDB)", () => {
    const pods = [web("web-1"), { ...web("web-2"), metadata: { ...web("web-2").metadata, deletionTimestamp: new Date() } }];
    const plan = planAction(planInput({ pods, pdbs: [makePdb({ name: "web-pdb", matchLabels: { app: "web" }, disruptionsAllowed: 1 })] }));
    expect(plan.groups.flatMap((g) => g.pods).map((p) => p.disposition)).toEqual(["evict", "skip-terminating"]);
    expect(plan.warnings.filter((w) => w.startsWith("PodDisruptionBudget"))).toEqual([]);
  });
});

describe("planAction: warnings", () => {
  const DRAIN_DEAD = /evicted pods get a deletion timestamp but no kubelet will confirm it/;
  const TWO_WRITERS = /two writers on the same data/;

  it.each(["NotReady", "Unknown"] as const)("drain on a %s node warns that evictions will hang", (state) => {
    const plan = planAction(planInput({ action: "node.drain", node: health({ state }) }));
    expect(plan.warnings[0]).toBe(
      `worker-1 is ${state}: evicted pods get a deletion timestamp but no kubelet will confirm it; they stay Terminating until the node is deleted (or their pods force-deleted).`,
    );
  });

  it.each(["Ready", "HeartbeatLate"] as const)("drain on a %s node does not", (state) => {
    const plan = planAction(planInput({ action: "node.drain", node: health({ state }) }));
    expect(plan.warnings.some((w) => DRAIN_DEAD.test(w))).toBe(false);
  });

  it.each(["node.delete", "pods.force-delete", "node.out-of-service.apply"] as const)(
    "%s on a Ready or HeartbeatLate node warns of two writers",
    (action) => {
      for (const state of ["Ready", "HeartbeatLate"] as const) {
        const plan = planAction(planInput({ action, node: health({ state }) }));
        expect(plan.warnings).toContain(
          `worker-1 is ${state}: if it is actually running, its containers keep running while Kubernetes starts replacements — two writers on the same data.`,
        );
      }
    },
  );

  it.each(["node.delete", "pods.force-delete", "node.out-of-service.apply"] as const)(
    "%s on a dead node does not warn of two writers",
    (action) => {
      for (const state of ["NotReady", "Unknown"] as const) {
        const plan = planAction(planInput({ action, node: health({ state }) }));
        expect(plan.warnings.some((w) => TWO_WRITERS.test(w))).toBe(false);
      }
    },
  );

  it.each(["node.cordon", "node.uncordon", "node.drain", "node.restore", "node.out-of-service.remove"] as const)(
    "%s on a Ready node does not warn of two writers",
    (action) => {
      const plan = planAction(planInput({ action, node: health({ state: "Ready" }) }));
      expect(plan.warnings.some((w) => TWO_WRITERS.test(w))).toBe(false);
    },
  );

  describe("ReadWriteOnce volumes attached to the node", () => {
    const setup = (options: { accessModes?: string[]; vaNode?: string; action: TAction }) =>
      planAction(
        planInput({
          action: options.action,
          node: health({ state: "Unknown" }),
          pods: [makePod({ name: "db-0", owner: ownerRef("StatefulSet", "db"), claims: ["data-db-0"] })],
          pvcs: [makePvc({ name: "data-db-0", volumeName: "pv-1", accessModes: options.accessModes })],
          pvs: [makePv({ name: "pv-1", accessModes: options.accessModes })],
          volumeAttachments: [makeVolumeAttachment({ name: "va-1", nodeName: options.vaNode ?? "worker-1", pv: "pv-1" })],
        }),
      );
    const RWO_WARNING =
      "1 ReadWriteOnce volume(s) are attached to worker-1; the attach/detach controller force-detaches them only after its timeout (6 min) unless the node is out of service.";

    it.each(["node.delete", "pods.force-delete"] as const)("%s warns", (action) => {
      expect(setup({ action }).warnings).toContain(RWO_WARNING);
    });

    it.each(["node.out-of-service.apply", "node.drain", "node.cordon"] as const)("%s does not warn", (action) => {
      expect(setup({ action }).warnings.some((w) => w.includes("ReadWriteOnce"))).toBe(false);
    });

    it("ReadWriteOncePod counts as RWO", () => {
      expect(setup({ action: "node.delete", accessModes: ["ReadWriteOncePod"] }).warnings).toContain(RWO_WARNING);
    });

    it("a ReadWriteMany volume does not warn", () => {
      expect(setup({ action: "node.delete", accessModes: ["ReadWriteMany"] }).warnings.some((w) => w.includes("ReadWriteOnce"))).toBe(
        false,
      );
    });

    it("an attachment to another node does not warn", () => {
      expect(setup({ action: "node.delete", vaNode: "worker-2" }).warnings.some((w) => w.includes("ReadWriteOnce"))).toBe(false);
    });

    it("lists the pod's volumes with their attachments", () => {
      expect(setup({ action: "node.delete" }).volumes).toEqual([
        {
          pod: "shop/db-0",
          claimName: "data-db-0",
          storageClassName: "nfs-sc-acp",
          accessModes: ["ReadWriteOnce"],
          rwo: true,
          attachments: ["va-1"],
        },
      ]);
    });
  });

  it("a plan with nothing wrong has no warnings", () => {
    const plan = planAction(planInput({ action: "node.cordon", node: health({ state: "Ready" }), pods: [makePod({ name: "a" })] }));
    expect(plan.warnings).toEqual([]);
  });
});

describe("capacity", () => {
  const candidates = (
    extra: Array<Parameters<typeof health>[0]>,
    allocatable: { cpu?: string; memory?: string; pods?: string } = { cpu: "4", memory: "8Gi", pods: "110" },
  ) => {
    const nodes = [health({ name: "worker-1", state: "Unknown" }), ...extra.map((e) => health(e))];
    const nodeObjects = new Map(nodes.map((n) => [n.name, nodeWithAllocatable(n.name, allocatable)]));
    return { node: nodes[0]!, nodes, nodeObjects };
  };

  it("counts only Ready, schedulable, untainted nodes other than the node itself", () => {
    const input = candidates([
      { name: "ok-1" },
      { name: "ok-2", taints: [{ key: "soft", effect: "PreferNoSchedule" }] },
      { name: "not-ready", state: "NotReady" },
      { name: "unknown", state: "Unknown" },
      { name: "late", state: "HeartbeatLate" },
      { name: "cordoned", cordoned: true },
      { name: "no-schedule", taints: [{ key: "dedicated", effect: "NoSchedule" }] },
      { name: "no-execute", taints: [{ key: "dedicated", effect: "NoExecute" }] },
    ]);
    const capacity = capacityFor({ ...input, allPods: [] }, [podWithRequests({ name: "p", requests: [{ cpu: "1" }] })]);
    expect(capacity.candidates).toBe(2);
    expect(capacity.cpuFree).toBe(8);
    expect(capacity.memoryFree).toBe(16 * Gi);
    expect(capacity.podSlotsFree).toBe(220);
  });

  it("never counts the node itself, even when it is Ready", () => {
    const self = health({ name: "worker-1", state: "Ready" });
    const capacity = capacityFor(
      { node: self, nodes: [self], nodeObjects: new Map([["worker-1", nodeWithAllocatable("worker-1", { cpu: "4" })]]), allPods: [] },
      [makePod()],
    );
    expect(capacity.candidates).toBe(0);
    expect(capacity.cpuFree).toBe(0);
    expect(capacity.fits).toBe(false);
  });

  it("sums container requests of the pods to move", () => {
    const moving = [
      podWithRequests({
        name: "a",
        requests: [
          { cpu: "250m", memory: "128Mi" },
          { cpu: "500m", memory: "64Mi" },
        ],
      }),
      podWithRequests({ name: "b", requests: [{ cpu: "1" }] }),
      podWithRequests({ name: "c", requests: [{}] }),
    ];
    const capacity = capacityFor({ ...candidates([{ name: "ok" }]), allPods: [] }, moving);
    expect(capacity.podsToMove).toBe(3);
    expect(capacity.cpuRequested).toBeCloseTo(1.75, 10);
    expect(capacity.memoryRequested).toBe(192 * Mi);
  });

  it("subtracts the requests and pod count of running pods on the candidates, not of finished ones", () => {
    const allPods = [
      podWithRequests({ name: "r1", nodeName: "ok", requests: [{ cpu: "1", memory: "1Gi" }] }),
      podWithRequests({ name: "r2", nodeName: "ok", requests: [{ cpu: "500m" }] }),
      podWithRequests({ name: "done", nodeName: "ok", phase: "Succeeded", requests: [{ cpu: "2", memory: "2Gi" }] }),
      podWithRequests({ name: "failed", nodeName: "ok", phase: "Failed", requests: [{ cpu: "2" }] }),
      podWithRequests({ name: "elsewhere", nodeName: "cordoned", requests: [{ cpu: "3" }] }),
      podWithRequests({ name: "unscheduled", nodeName: "", requests: [{ cpu: "3" }] }),
    ];
    const capacity = capacityFor({ ...candidates([{ name: "ok" }, { name: "cordoned", cordoned: true }]), allPods }, []);
    expect(capacity.cpuFree).toBeCloseTo(2.5, 10);
    expect(capacity.memoryFree).toBe(7 * Gi);
    expect(capacity.podSlotsFree).toBe(108);
  });

  it("does not let an overcommitted node count negative", () => {
    const allPods = [podWithRequests({ name: "big", nodeName: "ok-1", requests: [{ cpu: "6", memory: "10Gi" }] })];
    const capacity = capacityFor({ ...candidates([{ name: "ok-1" }, { name: "ok-2" }]), allPods }, []);
    expect(capacity.cpuFree).toBe(4);
    expect(capacity.memoryFree).toBe(8 * Gi);
  });

  it("treats missing allocatable as 0", () => {
    const c = candidates([{ name: "ok" }], {});
    const capacity = capacityFor({ ...c, allPods: [] }, [podWithRequests({ name: "a" })]);
    expect(capacity).toMatchObject({ candidates: 1, cpuFree: 0, memoryFree: 0, podSlotsFree: 0, fits: false });
  });

  it("treats a candidate without a Node object as having no room", () => {
    const c = candidates([{ name: "ok" }]);
    const capacity = capacityFor({ ...c, nodeObjects: new Map(), allPods: [] }, [podWithRequests({ name: "a" })]);
    expect(capacity.candidates).toBe(1);
    expect(capacity.fits).toBe(false);
  });

  it("fits when cpu, memory and pod slots all suffice", () => {
    const c = candidates([{ name: "ok" }], { cpu: "2", memory: "1Gi", pods: "2" });
    const moving = [
      podWithRequests({ name: "a", requests: [{ cpu: "1", memory: "512Mi" }] }),
      podWithRequests({ name: "b", requests: [{ cpu: "1", memory: "512Mi" }] }),
    ];
    expect(capacityFor({ ...c, allPods: [] }, moving).fits).toBe(true);
  });

  it.each([
    ["cpu", { cpu: "1999m", memory: "1Gi", pods: "2" }],
    ["memory", { cpu: "2", memory: "1023Mi", pods: "2" }],
    ["pod slots", { cpu: "2", memory: "1Gi", pods: "1" }],
  ])("does not fit when %s is short", (_, allocatable) => {
    const c = candidates([{ name: "ok" }], allocatable);
    const moving = [
      podWithRequests({ name: "a", requests: [{ cpu: "1", memory: "512Mi" }] }),
      podWithRequests({ name: "b", requests: [{ cpu: "1", memory: "512Mi" }] }),
    ];
    expect(capacityFor({ ...c, allPods: [] }, moving).fits).toBe(false);
  });

  it("does not fit without candidates, even for request-less pods", () => {
    const c = candidates([{ name: "gone", state: "Unknown" }]);
    expect(capacityFor({ ...c, allPods: [] }, [podWithRequests({ name: "a" })]).fits).toBe(false);
  });

  it("fits trivially when nothing moves", () => {
    const capacity = capacityFor({ ...candidates([]), allPods: [] }, []);
    expect(capacity).toEqual({
      podsToMove: 0,
      cpuRequested: 0,
      memoryRequested: 0,
      candidates: 0,
      cpuFree: 0,
      memoryFree: 0,
      podSlotsFree: 0,
      fits: true,
    });
  });
});

describe("planAction: capacity", () => {
  const cluster = (allocatable = { cpu: "4", memory: "8Gi", pods: "110" }) => {
    const nodes = [health({ name: "worker-1", state: "Unknown" }), health({ name: "worker-2" })];
    return { node: nodes[0]!, nodes, nodeObjects: new Map(nodes.map((n) => [n.name, nodeWithAllocatable(n.name, allocatable)])) };
  };
  const pods = () => [
    podWithRequests({ name: "app", owner: ownerRef("ReplicaSet", "web-abc"), requests: [{ cpu: "1" }] }),
    podWithRequests({ name: "ds", owner: ownerRef("DaemonSet", "fluentd"), requests: [{ cpu: "100m" }] }),
    podWithRequests({ name: "static", annotations: MIRROR, requests: [{ cpu: "200m" }] }),
    {
      ...podWithRequests({ name: "gone", requests: [{ cpu: "300m" }] }),
      metadata: { name: "gone", namespace: "shop", deletionTimestamp: new Date() },
    },
  ];

  it("drain moves only the pods it evicts", () => {
    const plan = planAction(planInput({ action: "node.drain", ...cluster(), pods: pods() }));
    expect(plan.capacity).toMatchObject({ podsToMove: 1, cpuRequested: 1, candidates: 1, fits: true });
  });

  it("delete moves the freed pods except DaemonSet pods (and not mirror pods)", () => {
    const plan = planAction(planInput({ action: "node.delete", ...cluster(), pods: pods() }));
    expect(plan.capacity?.podsToMove).toBe(2);
    expect(plan.capacity?.cpuRequested).toBeCloseTo(1.3, 10);
  });

  it("out-of-service moves the freed pods too", () => {
    const plan = planAction(planInput({ action: "node.out-of-service.apply", ...cluster(), pods: pods() }));
    expect(plan.capacity?.podsToMove).toBe(2);
  });

  it("drain and delete have a capacity estimate even with no pod to move", () => {
    for (const action of ["node.drain", "node.delete"] as const) {
      const plan = planAction(planInput({ action, ...cluster(), pods: [] }));
      expect(plan.capacity, action).toMatchObject({ podsToMove: 0, fits: true });
    }
  });

  it.each(["node.cordon", "node.uncordon", "node.restore", "node.out-of-service.remove"] as const)(
    "%s has no capacity estimate",
    (action) => {
      expect(planAction(planInput({ action, ...cluster(), pods: pods() })).capacity).toBeNull();
    },
  );

  it("pods.force-delete estimates room for the force-deleted pods (their controllers recreate them elsewhere)", () => {
    const input = planInput({ action: "pods.force-delete", ...cluster(), pods: pods() });
    const plan = planAction(input);
    const forceDeleted = plan.groups.flatMap((g) => g.pods).filter((p) => p.disposition === "force-delete").length;
    expect(forceDeleted).toBeGreaterThan(0);
    expect(plan.capacity?.podsToMove).toBe(forceDeleted);
  });

  it("out-of-service with nothing to free has no capacity estimate", () => {
    expect(planAction(planInput({ action: "node.out-of-service.apply", ...cluster(), pods: [] })).capacity).toBeNull();
  });

  it("warns when the pods do not fit", () => {
    const plan = planAction(planInput({ action: "node.drain", ...cluster({ cpu: "500m", memory: "8Gi", pods: "110" }), pods: pods() }));
    expect(plan.capacity?.fits).toBe(false);
    expect(plan.warnings).toContain("the remaining schedulable nodes may not have room for the pods that must move.");
  });

  it("does not warn when they fit", () => {
    const plan = planAction(planInput({ action: "node.drain", ...cluster(), pods: pods() }));
    expect(plan.warnings.some((w) => w.includes("may not have room"))).toBe(false);
  });
});

describe("planAction: restore", () => {
  const backup = {
    labels: { zone: "a", "kubernetes.io/hostname": "worker-1" },
    annotations: { note: "x" },
    taints: [{ key: "dedicated", value: "db", effect: "NoSchedule" }],
  };

  it("diffs the backup against the current Node object", () => {
    const node = nodeWithAllocatable("worker-1", {});
    const plan = planAction(
      planInput({ action: "node.restore", node: health({ name: "worker-1" }), nodeObjects: new Map([["worker-1", node]]), backup }),
    );
    expect(plan.restore).toEqual({
      labels: { zone: "a" },
      annotations: { note: "x" },
      taints: [{ key: "dedicated", value: "db", effect: "NoSchedule" }],
      empty: false,
    });
  });

  it("restores everything when the Node object is not known", () => {
    const plan = planAction(planInput({ action: "node.restore", backup }));
    expect(plan.restore?.labels).toEqual(backup.labels);
  });

  it("is null without a backup", () => {
    expect(planAction(planInput({ action: "node.restore", backup: null })).restore).toBeNull();
  });

  it.each(ACTIONS.filter((a) => a !== "node.restore"))("is null for %s even with a backup", (action) => {
    expect(planAction(planInput({ action, backup })).restore).toBeNull();
  });
});

describe("planAction: summary", () => {
  const z = () => Object.values(zoo());

  it("names the action and node", () => {
    for (const action of ACTIONS) {
      const plan = planAction(planInput({ action, pods: z() }));
      expect(plan.action).toBe(action);
      expect(plan.node).toBe("worker-1");
      expect(plan.summary).toContain("worker-1");
    }
  });

  it.each([
    ["node.cordon", "Mark worker-1 unschedulable; its 5 pods keep running."],
    ["node.uncordon", "Make worker-1 schedulable again."],
    [
      "node.drain",
      "Cordon worker-1 and evict 2 pods through the Eviction API (respecting PodDisruptionBudgets); skip 1 DaemonSet, 1 static and 1 already Terminating pods.",
    ],
    [
      "pods.force-delete",
      "Force-delete (grace period 0) the 1 Terminating pods on worker-1, so their controllers can recreate them elsewhere.",
    ],
    [
      "node.delete",
      "Back up worker-1's labels, annotations and taints, delete the Node, then force-delete its 4 orphaned pods at once (grace period 0, each only if its uid is unchanged) instead of waiting about 40 s for the pod garbage collector: controllers recreate them elsewhere within seconds. The kubelet re-registers the node when it comes back.",
    ],
    [
      "node.out-of-service.apply",
      "Taint worker-1 node.kubernetes.io/out-of-service=nodeshutdown:NoExecute, then force-delete its 4 pods at once (grace period 0, each only if its uid is unchanged) instead of waiting for the pod garbage collector; with the taint, the attach/detach controller detaches their volumes without its 6-minute wait. The taint stays until it is removed: node-rescue proposes that once the node is Ready with no pods and no VolumeAttachments left.",
    ],
    ["node.out-of-service.remove", "Remove the out-of-service taint from worker-1: the scheduler may place pods on it again."],
    ["node.restore", "Re-apply the labels, annotations and taints worker-1 had before node-rescue deleted it."],
  ] as const)("%s", (action, summary) => {
    expect(planAction(planInput({ action, pods: z() })).summary).toBe(summary);
  });

  it("drain names the Eviction version the server advertises, when known", () => {
    for (const v of ["v1", "v1beta1"] as const) {
      expect(planAction(planInput({ action: "node.drain", evictionVersion: v })).summary).toContain(
        `through the Eviction API (policy/${v}, as the server advertises) (respecting PodDisruptionBudgets)`,
      );
    }
  });

  it("out-of-service counts the volumes attached to the node", () => {
    const pods = [makePod({ name: "redis-0", claims: ["data-redis-0"] })];
    const plan = planAction(
      planInput({
        action: "node.out-of-service.apply",
        node: health({ state: "Unknown" }),
        pods,
        pvcs: [makePvc({ name: "data-redis-0", volumeName: "pv-redis" })],
        pvs: [makePv({ name: "pv-redis" })],
        volumeAttachments: [makeVolumeAttachment({ name: "csi-r", nodeName: "worker-1", pv: "pv-redis" })],
      }),
    );
    expect(plan.summary).toContain("detaches their 1 attached volume without its 6-minute wait");
    expect(plan.volumes.map((v) => v.attachments)).toEqual([["csi-r"]]);
  });

  it("counts change with the pods", () => {
    expect(planAction(planInput({ action: "node.drain", pods: [] })).summary).toMatch(
      /evict 0 pods .* skip 0 DaemonSet, 0 static and 0 already Terminating/,
    );
    expect(planAction(planInput({ action: "node.cordon", pods: [] })).summary).toMatch(/its 0 pods/);
  });
});
