// Where a lab keeps its state, and the files its processes share. One lab per state directory.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { z } from "zod";

export const labCacheDir = () =>
  process.env.NODE_RESCUE_LAB_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "node-rescue", "kube-lab");

/** The Kubernetes 1.20 binaries (the modern ones: kube-versions.ts). */
export const labBinDir = () => join(labCacheDir(), "bin");

/** Default state directory of the lab that `npm run lab -- up` starts. */
export const defaultLabDir = () => process.env.NODE_RESCUE_LAB_DIR ?? join(labCacheDir(), "run");

export const ZSimNode = z.object({
  name: z.string(),
  labels: z.record(z.string(), z.string()),
  taints: z.array(z.object({ key: z.string(), value: z.string().optional(), effect: z.string() })),
  /** Loopback address reported as the node's InternalIP. */
  internalIP: z.string(),
  cpu: z.string(),
  memory: z.string(),
  pods: z.string(),
});
export type TSimNode = z.infer<typeof ZSimNode>;

export const ZHeartbeat = z.object({
  /** Lease spec.leaseDurationSeconds the simulated kubelets write. */
  leaseDurationSeconds: z.number().int().positive(),
  /** How often each kubelet renews its Lease (a real kubelet: leaseDuration / 4). */
  renewIntervalSeconds: z.number().positive(),
  /** How often each kubelet refreshes the Ready condition's lastHeartbeatTime. */
  statusIntervalSeconds: z.number().positive(),
});
export type THeartbeat = z.infer<typeof ZHeartbeat>;

/** The control planes a lab can run; what differs between them is in kube-versions.ts. */
export const ZKubeLine = z.enum(["1.20", "modern"]);

export const ZLabInfo = z.object({
  dir: z.string(),
  /** Which control plane runs (kube-versions.ts); labs started before there were two ran 1.20. */
  kube: ZKubeLine.default("1.20"),
  /** The apiserver's /version gitVersion; the simulated kubelets report it as theirs. */
  kubeVersion: z.string().default("v1.20.2"),
  apiServer: z.string(),
  kubeconfig: z.string(),
  ports: z.record(z.string(), z.number()),
  heartbeat: ZHeartbeat,
  startedAt: z.string(),
});
export type TLabInfo = z.infer<typeof ZLabInfo>;

export const labPaths = (dir: string) => ({
  dir,
  info: join(dir, "lab.json"),
  kubeconfig: join(dir, "admin.kubeconfig"),
  pki: join(dir, "pki"),
  logs: join(dir, "logs"),
  pids: join(dir, "pids"),
  etcdData: join(dir, "etcd"),
  /** Nodes the simulated kubelets own (written by `up`, read by the simulator). */
  simNodes: join(dir, "sim-nodes.json"),
  /** A file per node whose kubelet is stopped; the simulator polls this directory. */
  stoppedKubelets: join(dir, "kubelets-stopped"),
  /** Simulator statistics (heartbeat lag, CPU), rewritten every few seconds. */
  simStats: join(dir, "kubelet-sim.stats.json"),
});
export type TLabPaths = ReturnType<typeof labPaths>;

/** Write a file atomically (write + rename) so a concurrent reader never sees half of it. */
export function writeFileAtomic(path: string, data: string) {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

export function readJson<T>(path: string, schema: z.ZodType<T>): T {
  return schema.parse(JSON.parse(readFileSync(path, "utf8")));
}

export function ensureDirs(paths: TLabPaths) {
  for (const d of [paths.dir, paths.pki, paths.logs, paths.pids, paths.stoppedKubelets]) mkdirSync(d, { recursive: true });
}
