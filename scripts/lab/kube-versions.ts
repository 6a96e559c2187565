// The two control planes the lab runs, and everything the lab does differently between them:
// where the binaries are and what builds them, the etcd they run on, the flags removed since 1.20,
// and what proves the controllers work. Nothing else in the lab branches on the version.
//   1.20:   Kubernetes v1.20.2 from Debian's source (build-kube.sh, Go 1.19), Debian's etcd 3.4.
//   modern: the k8s.io/kubernetes release in scripts/lab/modern/go.mod (build-kube-modern.sh,
//           the Go on PATH) and the etcd in scripts/lab/modern/etcd/go.mod.
// The seed's Redis volume differs too (seedRedisVolume): the out-of-service path needs an
// attachable volume, which 1.20 — no out-of-service handling, so a 6-minute force-detach after a
// node is deleted — would keep from moving for minutes.
import { spawn, spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import type { z } from "zod";
import { labBinDir, labCacheDir, ZKubeLine } from "./state";

const HERE = fileURLToPath(new URL(".", import.meta.url));

export const KUBE_LINES = ZKubeLine.options;
export type TKubeLine = z.infer<typeof ZKubeLine>;
export const DEFAULT_KUBE: TKubeLine = "1.20";

type TGet = (path: string) => Promise<{ status: number; body: string }>;
const exists = async (get: TGet, path: string) => (await get(path)).status === 200;

export type TKubeProfile = {
  binDir: string;
  /** The etcd binary: a command on PATH or an absolute path. */
  etcd: string;
  apiserverFlags: string[];
  /** Flags for kube-controller-manager and kube-scheduler alike. */
  componentFlags: string[];
  /** The last readiness check: the controllers have done something only they do. */
  controllersWork: { what: string; check: (get: TGet) => Promise<boolean> };
  build: { script: string; about: string };
  /**
   * Harbor's Redis volume in the seed scenario. "nfs": a static NFS PV, not attachable (no
   * VolumeAttachment), the incident as it happened. "csi": a static PV of the lab's CSI driver with
   * attachRequired, so the attach/detach controller creates VolumeAttachments that the simulated
   * external-attacher answers (scripts/lab/sim/attacher.ts).
   */
  seedRedisVolume: "nfs" | "csi";
};

const KUBE_BINARIES = ["kube-apiserver", "kube-controller-manager", "kube-scheduler", "kubectl"];

export function kubeProfile(kube: TKubeLine): TKubeProfile {
  if (kube === "1.20") {
    return {
      binDir: labBinDir(),
      etcd: "etcd",
      // Insecure HTTP ports are on by default in 1.20: turn them off.
      apiserverFlags: ["--insecure-port=0"],
      componentFlags: ["--port=0"],
      controllersWork: {
        what: "the default service account's token",
        check: async (get) => {
          const sa = await get("/api/v1/namespaces/default/serviceaccounts/default");
          return sa.status === 200 && (JSON.parse(sa.body).secrets ?? []).length > 0;
        },
      },
      build: { script: "build-kube.sh", about: "from Debian's kubernetes source with Go 1.19 (about 7 min)" },
      seedRedisVolume: "nfs",
    };
  }
  const binDir = join(labCacheDir(), "modern", "bin");
  return {
    binDir,
    // The etcd this release pairs with (its go.mod's go.etcd.io/etcd). Debian's 3.4.23 starts
    // but lacks RequestWatchProgress ("feature is not supported"), which consistent reads from
    // the watch cache need: the apiserver falls back to reading etcd, unlike any cluster today.
    etcd: join(binDir, "etcd"),
    // --insecure-port (1.24) and the components' --port (1.23/1.24) are gone; nothing listens in
    // plain HTTP any more. The endpoint reconciler now refuses a loopback advertise address
    // ("may not be in the loopback range"): the lab's `kubernetes` Service gets no endpoints.
    apiserverFlags: ["--endpoint-reconciler-type=none"],
    componentFlags: [],
    // Since 1.24 service accounts get no token Secret (tokens are projected): the serviceaccount
    // controller's default ServiceAccount and the root-ca-cert-publisher's ConfigMap prove it.
    controllersWork: {
      what: "the default service account and the kube-root-ca.crt ConfigMap",
      check: async (get) =>
        (await exists(get, "/api/v1/namespaces/default/serviceaccounts/default")) &&
        (await exists(get, "/api/v1/namespaces/default/configmaps/kube-root-ca.crt")),
    },
    build: { script: "build-kube-modern.sh", about: "from Go modules with the Go on PATH (about 10 min cold)" },
    seedRedisVolume: "csi",
  };
}

/** Whether `kube`'s binaries are built and current. */
export function kubeBinariesCached(kube: TKubeLine): boolean {
  const { binDir, build } = kubeProfile(kube);
  if (kube === "1.20") return KUBE_BINARIES.every((b) => existsSync(join(binDir, b)));
  // The modern build knows whether its binaries match the committed sources (a stamp); ask it.
  return spawnSync("bash", [join(HERE, build.script), "--check"], { stdio: "ignore" }).status === 0;
}

/** Builds the control-plane binaries of `kube` unless cached (after any background build ends). */
export function ensureKubeBinaries(log: (line: string) => void = console.error, kube: TKubeLine = DEFAULT_KUBE) {
  if (backgroundBuild(kube)) throw new Error(`Kubernetes ${kube} is being built in the background: await kubeBinariesReady() instead`);
  if (kubeBinariesCached(kube)) return;
  const { build } = kubeProfile(kube);
  log(`Kubernetes ${kube} control-plane binaries not cached yet: building them ${build.about}`);
  const r = spawnSync("bash", [join(HERE, build.script)], { stdio: ["ignore", "inherit", "inherit"] });
  if (r.status !== 0) throw new Error(`scripts/lab/${build.script} failed (exit ${r.status ?? r.signal})`);
}

// Background builds (npm test): the modern control plane is built while the 1.20 suites run,
// which mostly wait on Kubernetes' own timers. It runs under SCHED_IDLE (chrt --idle), so it
// only gets CPU time nothing else wants and cannot slow the labs under test. One at a time per
// line, across processes: a pid file in the cache says who is building.
const buildFiles = (kube: TKubeLine) => ({
  pid: join(labCacheDir(), `build-${kube}.pid`),
  log: join(labCacheDir(), `build-${kube}.log`),
});

/** The pid of a background build of `kube` still running, or null. */
function backgroundBuild(kube: TKubeLine): number | null {
  const { pid: file } = buildFiles(kube);
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, "utf8"));
  // Alive, and still our build script (not a pid reused by another process).
  const cmdline = (() => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, "utf8");
    } catch {
      return "";
    }
  })();
  return cmdline.includes(kubeProfile(kube).build.script) ? pid : null;
}

/** Starts building `kube`'s binaries in the background unless they are cached or being built. */
export function startKubeBuildInBackground(kube: TKubeLine, log: (line: string) => void = console.error): boolean {
  if (backgroundBuild(kube) || kubeBinariesCached(kube)) return false;
  const files = buildFiles(kube);
  mkdirSync(dirname(files.pid), { recursive: true });
  const out = openSync(files.log, "w");
  const { build } = kubeProfile(kube);
  const child = spawn("chrt", ["--idle", "0", "bash", join(HERE, build.script)], {
    detached: true,
    stdio: ["ignore", out, out],
    env: { ...process.env, NODE_RESCUE_BACKGROUND_BUILD: "1" },
  });
  child.unref();
  closeSync(out);
  writeFileSync(files.pid, String(child.pid));
  log(
    `Kubernetes ${kube} control-plane binaries not cached yet: building them ${build.about}, in the background at idle priority (log: ${files.log})`,
  );
  return true;
}

/** Resolves once `kube`'s binaries are there: waits out a background build, else builds them now. */
export async function kubeBinariesReady(kube: TKubeLine, log: (line: string) => void = console.error) {
  const files = buildFiles(kube);
  const since = Date.now();
  let waited = false;
  for (; backgroundBuild(kube); waited = true) {
    if (!waited) log(`waiting for the background build of Kubernetes ${kube} (log: ${files.log})`);
    await sleep(2_000);
  }
  if (!waited) return ensureKubeBinaries(log, kube);
  log(`the background build of Kubernetes ${kube} ended after ${Math.round((Date.now() - since) / 1000)} s of waiting`);
  if (!kubeBinariesCached(kube)) {
    const tail = readFileSync(files.log, "utf8").trim().split("\n").slice(-15).join("\n");
    throw new Error(`the background build of Kubernetes ${kube} did not produce its binaries (${files.log}):\n${tail}`);
  }
}
