// The lab reproduces the node-death incident end to end, step by step, on a real control plane:
// kubelet stops -> Unknown -> unreachable:NoExecute taint -> pods Terminating and stuck ->
// delete the Node -> pod GC -> the StatefulSet pod runs elsewhere -> kubelet back -> Ready.
import { CoreV1Api, KubeConfig, type V1Node, type V1Pod } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kubeletStart, kubeletStop, labStatus, labUp } from "@/scripts/lab/lab";
import { SEED_VICTIM } from "@/scripts/lab/scenarios/seed";
import { startTestLab } from "../../helpers/lab";
import { stopwatch, waitUntil } from "../../helpers/wait";

const REDIS = { namespace: "harbor-registry", name: "harbor-registry-redis-master-0" };
const readyStatus = (n: V1Node) => n.status?.conditions?.find((c) => c.type === "Ready")?.status;
const isDaemonPod = (p: V1Pod) => p.metadata?.ownerReferences?.some((o) => o.kind === "DaemonSet") ?? false;

describe("lab self-test: the seed incident", () => {
  let lab: Awaited<ReturnType<typeof startTestLab>>;
  let core: CoreV1Api;
  const clock = stopwatch("self-test");
  const node = () => core.readNode({ name: SEED_VICTIM });
  const podsOnVictim = async () => (await core.listPodForAllNamespaces({ fieldSelector: `spec.nodeName=${SEED_VICTIM}` })).items;
  const redis = () => core.readNamespacedPod(REDIS);

  beforeAll(async () => {
    lab = await startTestLab({ scenario: "seed" });
    const kc = new KubeConfig();
    kc.loadFromFile(lab.kubeconfig);
    core = kc.makeApiClient(CoreV1Api);
  });
  afterAll(async () => {
    await lab?.down();
  });

  it("starts with the seed workloads Running, Redis on the victim", async () => {
    expect(lab.nodeNames).toEqual(expect.arrayContaining(["acp-master01", "acp-worker01", "acp-worker03"]));
    expect(readyStatus(await node())).toBe("True");
    const r = await redis();
    expect(r.spec?.nodeName).toBe(SEED_VICTIM);
    expect(r.status?.phase).toBe("Running");
    expect((await podsOnVictim()).filter((p) => !isDaemonPod(p)).length).toBeGreaterThanOrEqual(5);
  });

  it("a second `up` reuses the running lab, and an unknown node is a clear error", async () => {
    const before = labStatus(lab.dir)
      .running.map((p) => p.pid)
      .sort();
    const again = await labUp({ dir: lab.dir, scenario: "seed" });
    expect(again.reused).toBe(true);
    expect(again.kubeconfig).toBe(lab.kubeconfig);
    expect(
      labStatus(lab.dir)
        .running.map((p) => p.pid)
        .sort(),
    ).toEqual(before);
    expect(() => kubeletStop("no-such-node", { dir: lab.dir })).toThrow(
      /unknown node "no-such-node": the lab's simulated nodes are acp-master01/,
    );
  });

  it("kubelet stop: the node goes Unknown", async () => {
    kubeletStop(SEED_VICTIM, { dir: lab.dir });
    clock.reset();
    clock.lap(`kubelet of ${SEED_VICTIM} stopped`);
    await waitUntil("Ready=Unknown", async () => readyStatus(await node()) === "Unknown", 60_000);
    clock.lap("node Ready=Unknown");
  });

  it("the unreachable NoExecute taint appears", async () => {
    const taint = await waitUntil(
      "unreachable:NoExecute taint",
      async () => (await node()).spec?.taints?.find((t) => t.key === "node.kubernetes.io/unreachable" && t.effect === "NoExecute"),
      60_000,
    );
    expect(taint.timeAdded).toBeTruthy();
    clock.lap("taint node.kubernetes.io/unreachable:NoExecute");
  });

  it("its pods get a deletionTimestamp and stay Terminating", async () => {
    await waitUntil(
      "every non-DaemonSet pod on the victim Terminating",
      async () => {
        const pods = (await podsOnVictim()).filter((p) => !isDaemonPod(p));
        return pods.length > 0 && pods.every((p) => p.metadata?.deletionTimestamp);
      },
      90_000,
    );
    clock.lap("pods Terminating");
    await new Promise((r) => setTimeout(r, 5_000));
    const r = await redis();
    expect(r.metadata?.deletionTimestamp).toBeTruthy();
    expect(r.spec?.nodeName).toBe(SEED_VICTIM);
    clock.lap("5 s later Redis is still Terminating on the dead node (no replacement)");
  });

  it("deleting the Node lets pod GC free the pods; Redis runs on another worker", async () => {
    const oldUid = (await redis()).metadata?.uid;
    await core.deleteNode({ name: SEED_VICTIM });
    clock.reset();
    clock.lap(`node ${SEED_VICTIM} deleted`);
    await waitUntil("pod GC to remove every pod of the deleted node", async () => (await podsOnVictim()).length === 0, 120_000);
    clock.lap("pod GC removed the pods of the deleted node");
    const r = await waitUntil(
      "Redis recreated and Running elsewhere",
      async () => {
        const p = await redis().catch(() => null);
        return p && p.metadata?.uid !== oldUid && p.status?.phase === "Running" ? p : null;
      },
      120_000,
    );
    expect(r.spec?.nodeName).toMatch(/^acp-worker0[23]$/);
    clock.lap(`${REDIS.name} Running on ${r.spec?.nodeName}`);
  });

  it("kubelet start: the node re-registers and is Ready", async () => {
    kubeletStart(SEED_VICTIM, { dir: lab.dir });
    clock.reset();
    await waitUntil("re-registered and Ready", async () => readyStatus(await node()) === "True", 60_000);
    const n = await node();
    expect(n.metadata?.labels?.["node-role.kubernetes.io/worker"]).toBe("");
    expect(n.spec?.taints?.some((t) => t.key === "node.kubernetes.io/unreachable") ?? false).toBe(false);
    clock.lap(`${SEED_VICTIM} re-registered and Ready`);
  });
});
