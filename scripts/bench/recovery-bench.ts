// Time to recovery on the seed lab with Kubernetes' default timings (40 s node-monitor grace
// period, 300 s eviction toleration), on either control plane: from a worker's kubelet stopping to
// the StatefulSet's pod harbor-registry-redis-master-0 Running on another worker, five ways:
//   stock        — nobody acts: the pod is evicted after ~340 s and then stays Terminating;
//   kubectl      — `kubectl delete node` once the node is NotReady for `deadAfterSeconds`: the
//                  pod garbage collector then frees the pod (measured from the delete);
//   click        — the dashboard's delete-node action at the same moment (it finishes the
//                  orphaned pods at once; measured from the click);
//   click-oos    — the dashboard's out-of-service taint instead (Kubernetes ≥ 1.26: pod GC and
//                  the attach/detach controller free the pod and its volume);
//   policy       — no human: an act-mode policy, Ready False/Unknown for 60 s, one step
//                  (out-of-service; node.delete before 1.26), the gates' minimum dead time 60 s.
// One lab and one dashboard for the cases asked, one after the other; between them the victim's
// kubelet comes back, what a repair left (a cordon, the out-of-service taint) is undone and the
// cluster settles. The victim is whichever worker runs the pod at the time.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { createApiToken } from "../../lib/auth/users";
import { createDb } from "../../lib/db";
import { startAppServer } from "../app-server";
import type { TKubeLine } from "../lab/kube-versions";
import { kubeletStart, kubeletStop, labDown, labUp } from "../lab/lab";
import { freeLoopbackPorts } from "../lab/processes";
import { SEED_REDIS, SEED_REDIS_POD } from "../lab/scenarios/seed";
import { migrateDatabase } from "../migrate";
import { round } from "./measure";

const DEAD_AFTER_SECONDS = 60;
const POD = { namespace: SEED_REDIS.namespace, name: SEED_REDIS_POD };
const OUT_OF_SERVICE = "node.kubernetes.io/out-of-service";

export const RECOVERY_CASES = ["stock", "kubectl", "click", "click-oos", "policy"] as const;
export type TRecoveryCase = (typeof RECOVERY_CASES)[number];

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs: number, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe().catch(() => null);
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}`);
    await sleep(everyMs);
  }
}

export async function recoveryBench(opts: {
  kube: TKubeLine;
  cases: readonly TRecoveryCase[];
  stockSeconds: number;
  log: (l: string) => void;
}) {
  const { log } = opts;
  const dir = mkdtempSync(join(tmpdir(), "node-rescue-bench-recovery-"));
  const lab = await labUp({ dir, kube: opts.kube, scenario: "seed", timings: "kubernetes", log });
  const kc = new KubeConfig();
  kc.loadFromFile(lab.kubeconfig);
  const core = kc.makeApiClient(CoreV1Api);
  const dbDir = mkdtempSync(join(tmpdir(), "node-rescue-bench-db-"));
  const m = await migrateDatabase({ url: `file:${join(dbDir, "bench.db")}`, quiet: true });
  const db = createDb(m.url);
  const { token } = await createApiToken({ db, name: "bench", role: "admin" });
  await db.$disconnect();
  const [port] = await freeLoopbackPorts(1);
  const app = await startAppServer({
    port: port as number,
    env: {
      KUBECONFIG: lab.kubeconfig,
      DATABASE_URL: m.url,
      NODE_RESCUE_CLUSTER_NAME: "bench",
      NODE_RESCUE_DEAD_AFTER_SECONDS: String(DEAD_AFTER_SECONDS),
      NODE_RESCUE_REPAIR_TICK_MS: "1000",
    },
  });
  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${app.url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const pod = () => core.readNamespacedPod(POD);
  const runningOff = (node: string) => async () => {
    const p = await pod();
    return p.status?.phase === "Running" && p.spec?.nodeName && p.spec.nodeName !== node && !p.metadata?.deletionTimestamp ? p : null;
  };
  const nodeReady = async (name: string) =>
    (await core.readNode({ name })).status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
  /** The node NotReady/Unknown, seen by the dashboard as dead for the gates' minimum. */
  const deadFor = async (node: string, seconds: number) => {
    const since = await until(
      `${node} NotReady`,
      async () => (await core.readNode({ name: node })).status?.conditions?.find((c) => c.type === "Ready" && c.status !== "True"),
      120_000,
    );
    const at = new Date(since.lastTransitionTime ?? Date.now()).getTime() + seconds * 1000;
    await sleep(Math.max(0, at - Date.now()) + 1_000);
  };
  /** Starts the victim's kubelet again, waits for it Ready and the pod Running, and undoes what a repair left. */
  const settle = async (victim: string) => {
    kubeletStart(victim, { dir });
    await until(`${victim} Ready`, () => nodeReady(victim), 300_000, 1_000);
    await until(
      "Redis Running",
      async () => (await pod()).status?.phase === "Running" && !(await pod()).metadata?.deletionTimestamp,
      600_000,
      1_000,
    );
    for (const n of (await core.listNode()).items) {
      const taints = n.spec?.taints ?? [];
      const kept = taints.filter((t) => t.key !== OUT_OF_SERVICE);
      if (!n.spec?.unschedulable && kept.length === taints.length) continue;
      await core.patchNode({
        name: n.metadata?.name ?? "",
        body: [
          { op: "replace", path: "/spec/unschedulable", value: false },
          { op: "replace", path: "/spec/taints", value: kept },
        ],
      });
    }
  };
  const victimNow = async () => (await pod()).spec?.nodeName ?? "";
  const wanted = new Set(opts.cases);
  const result: Record<string, unknown> = {
    kube: opts.kube,
    timings: "kubernetes (grace 40 s, toleration 300 s)",
    deadAfterSeconds: DEAD_AFTER_SECONDS,
  };
  try {
    await until("Redis Running", async () => (await pod()).status?.phase === "Running", 300_000, 1_000);

    // Stock Kubernetes: watch for stockSeconds and say what happened to the pod.
    if (wanted.has("stock")) {
      const victim = await victimNow();
      log(`stock: stopping ${victim}'s kubelet, watching for ${opts.stockSeconds} s`);
      const t0 = Date.now();
      kubeletStop(victim, { dir });
      let evictedAfter: number | null = null;
      let recovered: number | null = null;
      while (Date.now() - t0 < opts.stockSeconds * 1000) {
        const p = await pod().catch(() => null);
        if (evictedAfter === null && p?.metadata?.deletionTimestamp) evictedAfter = round((Date.now() - t0) / 1000);
        if (p && (await runningOff(victim)().catch(() => null))) {
          recovered = round((Date.now() - t0) / 1000);
          break;
        }
        await sleep(1_000);
      }
      result.stock = { evictedAfterSeconds: evictedAfter, runningElsewhereAfterSeconds: recovered, watchedSeconds: opts.stockSeconds };
      log(`stock: ${JSON.stringify(result.stock)}`);
      await settle(victim);
    }

    // kubectl delete node, and the dashboard's clicks, at the same moment after the death.
    for (const how of (["kubectl", "click", "click-oos"] as const).filter((c) => wanted.has(c))) {
      const victim = await victimNow();
      log(`${how}: stopping ${victim}'s kubelet`);
      const t0 = Date.now();
      kubeletStop(victim, { dir });
      await deadFor(victim, DEAD_AFTER_SECONDS);
      const t1 = Date.now();
      if (how === "kubectl") await core.deleteNode({ name: victim });
      else {
        const slug = how === "click" ? "delete" : "out-of-service";
        const res = await call("POST", `/api/nodes/${victim}/actions/${slug}`, {
          confirm: victim,
          reason: "bench: the kubelet is stopped",
        });
        if (!res.ok) throw new Error(`the ${slug} click failed: ${res.status} ${await res.text()}`);
      }
      await until("Redis Running on another worker", runningOff(victim), 600_000, 200);
      const t2 = Date.now();
      result[how] = { fromActionSeconds: round((t2 - t1) / 1000), fromKubeletStopSeconds: round((t2 - t0) / 1000) };
      log(`${how}: ${JSON.stringify(result[how])}`);
      await settle(victim);
    }

    // No human: the most aggressive policy the safety rules allow.
    if (wanted.has("policy")) {
      const res = await call("POST", "/api/policies", {
        name: "bench-aggressive",
        mode: "act",
        enabled: true,
        criteria: [{ type: "Ready", status: ["False", "Unknown"], forSeconds: 60 }],
        ladder: [{ action: "node.out-of-service.apply", timeoutSeconds: 0 }],
        quarantineSeconds: 60,
      });
      if (res.status !== 201) throw new Error(`the policy was refused: ${await res.text()}`);
      const victim = await victimNow();
      log(`policy: stopping ${victim}'s kubelet`);
      const t0 = Date.now();
      kubeletStop(victim, { dir });
      await until("Redis Running on another worker", runningOff(victim), 600_000, 200);
      const t2 = Date.now();
      const steps = await db0(m.url, (d) =>
        d.auditEvent.findMany({ where: { actorKind: "policy", phase: "outcome" }, select: { action: true, outcome: true } }),
      );
      result.policy = {
        fromKubeletStopSeconds: round((t2 - t0) / 1000),
        criterionSeconds: 60,
        goalSeconds: 120,
        steps: steps.map((x) => `${x.action} ${x.outcome}`),
      };
      log(`policy: ${JSON.stringify(result.policy)}`);
      await settle(victim);
    }
    return result;
  } finally {
    await app.stop();
    await labDown({ dir });
  }
}

/** One query on the bench's database, then disconnected. */
async function db0<T>(url: string, fn: (db: ReturnType<typeof createDb>) => Promise<T>): Promise<T> {
  const db = createDb(url);
  try {
    return await fn(db);
  } finally {
    await db.$disconnect();
  }
}
