// The lab on the modern control plane (scripts/lab/modern: the k8s.io/kubernetes release in its
// go.mod, etcd from go.etcd.io): the seed scenario comes up as on 1.20, the simulated kubelets
// report the server's version, heartbeat through Leases, run and finish pods, and a stopped
// kubelet makes its node Unknown until it is started again. Redis' volume is attachable here: the
// real attach/detach controller attaches it through a VolumeAttachment the lab's simulated
// external-attacher answers, and the kubelet reports it in use.
import { readFileSync } from "node:fs";
import {
  ApisApi,
  CoordinationV1Api,
  CoreV1Api,
  KubeConfig,
  PolicyV1Api,
  StorageV1Api,
  type V1Node,
  type V1Pod,
  VersionApi,
} from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kubeletStart, kubeletStop, labStatus } from "@/scripts/lab/lab";
import { SEED_PDB, SEED_REDIS_CLAIM, SEED_REDIS_CSI_PV, SEED_VICTIM, seedExpectedPods } from "@/scripts/lab/scenarios/seed";
import { ATTACHER_FINALIZER, LAB_CSI_DRIVER } from "@/scripts/lab/sim/attacher";
import { csiVolumeName } from "@/scripts/lab/sim/volumes";
import { startTestLab } from "../helpers/lab";
import { stopwatch, waitUntil } from "../helpers/wait";

const GO_MOD = new URL("../../scripts/lab/modern/go.mod", import.meta.url);
const MODERN_VERSION = /^\s*k8s\.io\/kubernetes (v1\.\d+\.\d+)$/m.exec(readFileSync(GO_MOD, "utf8"))?.[1];
const REDIS = { namespace: "harbor-registry", name: "harbor-registry-redis-master-0" };
const readyStatus = (n: V1Node) => n.status?.conditions?.find((c) => c.type === "Ready")?.status;
const isRunningReady = (p: V1Pod) =>
  p.status?.phase === "Running" && (p.status.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false);

describe("lab on the modern control plane", () => {
  let lab: Awaited<ReturnType<typeof startTestLab>>;
  let kc: KubeConfig;
  let core: CoreV1Api;
  const clock = stopwatch("modern-lab");
  const node = () => core.readNode({ name: SEED_VICTIM });
  // client-node types renewTime as a Date; the MicroTime arrives as a string: compare the text.
  const renewTime = async () =>
    String(
      (await kc.makeApiClient(CoordinationV1Api).readNamespacedLease({ name: SEED_VICTIM, namespace: "kube-node-lease" })).spec?.renewTime,
    );

  beforeAll(async () => {
    lab = await startTestLab({ kube: "modern", scenario: "seed" });
    clock.lap("modern lab up with the seed scenario");
    kc = new KubeConfig();
    kc.loadFromFile(lab.kubeconfig);
    core = kc.makeApiClient(CoreV1Api);
  });
  afterAll(async () => {
    await lab?.down();
  });

  it("serves the release scripts/lab/modern/go.mod names, and says so in lab status", async () => {
    expect(MODERN_VERSION).toMatch(/^v1\.3\d\.\d+$/);
    const version = await kc.makeApiClient(VersionApi).getCode();
    expect(version.gitVersion).toBe(MODERN_VERSION);
    expect(lab.kubeVersion).toBe(MODERN_VERSION);
    const info = labStatus(lab.dir).info;
    expect(info?.kube).toBe("modern");
    expect(info?.kubeVersion).toBe(MODERN_VERSION);
  });

  it("every seed node is Ready and its kubelet reports the server's version", async () => {
    const nodes = (await core.listNode({})).items;
    expect(nodes.map((n) => n.metadata?.name).sort()).toEqual([...lab.nodeNames].sort());
    for (const n of nodes) {
      expect(readyStatus(n), n.metadata?.name).toBe("True");
      expect(n.status?.nodeInfo?.kubeletVersion, n.metadata?.name).toBe(MODERN_VERSION);
    }
  });

  it("the seed workloads run: every pod Running, volumes bound, the PDB in policy/v1", async () => {
    const pods = (await core.listPodForAllNamespaces({})).items;
    expect(pods.filter(isRunningReady).length).toBeGreaterThanOrEqual(seedExpectedPods(lab.nodeNames.length));
    const redis = await core.readNamespacedPod(REDIS);
    expect(redis.spec?.nodeName).toBe(SEED_VICTIM);
    expect(isRunningReady(redis)).toBe(true);
    const claims = (await core.listPersistentVolumeClaimForAllNamespaces({})).items;
    expect(claims.length).toBe(3);
    expect(claims.every((c) => c.status?.phase === "Bound")).toBe(true);
    // policy/v1beta1 is gone since 1.25: the scenario discovered that and created a policy/v1 PDB.
    const groups = await kc.makeApiClient(ApisApi).getAPIVersions();
    expect(groups.groups.find((g) => g.name === "policy")?.versions.map((v) => v.version)).toEqual(["v1"]);
    const pdb = await kc.makeApiClient(PolicyV1Api).readNamespacedPodDisruptionBudget(SEED_PDB);
    expect(pdb.status?.disruptionsAllowed).toBe(0);
  });

  it("Redis' CSI volume is attached to its node: a VolumeAttachment the lab's attacher answered, in use and attached in the node's status", async () => {
    const claim = await core.readNamespacedPersistentVolumeClaim({ namespace: REDIS.namespace, name: SEED_REDIS_CLAIM });
    expect(claim.spec?.volumeName).toBe(SEED_REDIS_CSI_PV);
    const attachments = (await kc.makeApiClient(StorageV1Api).listVolumeAttachment({})).items;
    expect(attachments.map((a) => [a.spec.attacher, a.spec.nodeName, a.spec.source.persistentVolumeName, a.status?.attached])).toEqual([
      [LAB_CSI_DRIVER, SEED_VICTIM, SEED_REDIS_CSI_PV, true],
    ]);
    expect(attachments[0]?.metadata?.finalizers).toEqual([ATTACHER_FINALIZER]);
    const status = (await node()).status;
    const volume = csiVolumeName(LAB_CSI_DRIVER, "harbor-redis-data");
    expect(status?.volumesInUse).toEqual([volume]);
    expect(status?.volumesAttached?.map((v) => v.name)).toEqual([volume]);
  });

  it("the kubelets renew their Leases, and finish a deleted pod whose replacement runs", async () => {
    const before = await renewTime();
    await waitUntil("the victim's Lease renewed", async () => (await renewTime()) !== before, 15_000);
    const app = "ml-pipeline-ui";
    const victim = (await core.listNamespacedPod({ namespace: "kubeflow", labelSelector: `app=${app}` })).items[0];
    const name = victim?.metadata?.name ?? "";
    await core.deleteNamespacedPod({ name, namespace: "kubeflow" });
    await waitUntil(
      `${name} gone and ${app} back to 2 Running pods`,
      async () => {
        const pods = (await core.listNamespacedPod({ namespace: "kubeflow", labelSelector: `app=${app}` })).items;
        return !pods.some((p) => p.metadata?.name === name) && pods.filter(isRunningReady).length === 2;
      },
      30_000,
    );
  });

  it("kubelet stop: the node goes Unknown and is tainted unreachable; kubelet start: Ready again", async () => {
    kubeletStop(SEED_VICTIM, { dir: lab.dir });
    clock.reset();
    await waitUntil("Ready=Unknown", async () => readyStatus(await node()) === "Unknown", 60_000);
    clock.lap("node Ready=Unknown");
    await waitUntil(
      "unreachable:NoExecute taint",
      async () => (await node()).spec?.taints?.some((t) => t.key === "node.kubernetes.io/unreachable" && t.effect === "NoExecute"),
      60_000,
    );
    clock.lap("taint node.kubernetes.io/unreachable:NoExecute");

    kubeletStart(SEED_VICTIM, { dir: lab.dir });
    clock.reset();
    await waitUntil(
      "Ready again, untainted",
      async () => {
        const n = await node();
        return readyStatus(n) === "True" && !(n.spec?.taints ?? []).some((t) => t.key.startsWith("node.kubernetes.io/unreachable"));
      },
      60_000,
    );
    clock.lap(`${SEED_VICTIM} Ready again`);
    expect((await node()).status?.nodeInfo?.kubeletVersion).toBe(MODERN_VERSION);
  });
});
