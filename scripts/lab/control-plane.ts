// etcd, kube-apiserver, kube-controller-manager and kube-scheduler on 127.0.0.1, started from the
// cached binaries of either Kubernetes line (kube-versions.ts), with insecure ports off and real
// authn/authz.
import { get as httpGet } from "node:http";
import { join } from "node:path";
import { z } from "zod";
import { createLabHttp } from "./http";
import type { TKubeProfile } from "./kube-versions";
import { writeKubeconfig } from "./kubeconfig";
import { ensurePki } from "./pki";
import { freeLoopbackPorts, startProcess, waitFor } from "./processes";
import type { TLabPaths } from "./state";
import type { TLabTimings } from "./timings";

const HOST = "127.0.0.1";

export type TControlPlanePorts = { etcd: number; etcdPeer: number; apiserver: number; kcm: number; scheduler: number };

export async function startControlPlane(opts: {
  paths: TLabPaths;
  profile: TKubeProfile;
  timings: TLabTimings;
  onStep?: (step: string) => void;
}) {
  const { paths, profile, timings } = opts;
  const { binDir } = profile;
  const step = opts.onStep ?? (() => {});
  const [etcd, etcdPeer, apiserver, kcm, scheduler] = await freeLoopbackPorts(5);
  const ports = { etcd, etcdPeer, apiserver, kcm, scheduler } as TControlPlanePorts;
  const server = `https://${HOST}:${ports.apiserver}`;
  const pki = (f: string) => join(paths.pki, f);
  const start = (name: string, cmd: string, args: string[]) => startProcess({ name, cmd, args, pidsDir: paths.pids, logsDir: paths.logs });
  const hint = `logs in ${paths.logs}`;

  await ensurePki(paths.pki);
  for (const client of ["admin", "kcm", "sched"]) {
    writeKubeconfig({ path: join(paths.dir, `${client}.kubeconfig`), server, pkiDir: paths.pki, client });
  }
  step("pki");

  start("etcd", profile.etcd, [
    "--name=lab",
    `--data-dir=${paths.etcdData}`,
    `--listen-client-urls=http://${HOST}:${ports.etcd}`,
    `--advertise-client-urls=http://${HOST}:${ports.etcd}`,
    `--listen-peer-urls=http://${HOST}:${ports.etcdPeer}`,
    `--initial-advertise-peer-urls=http://${HOST}:${ports.etcdPeer}`,
    `--initial-cluster=lab=http://${HOST}:${ports.etcdPeer}`,
  ]);
  await waitFor("etcd", () => httpOk(`http://${HOST}:${ports.etcd}/health`), { timeoutMs: 30_000, hint });
  step("etcd");

  start("kube-apiserver", join(binDir, "kube-apiserver"), [
    `--bind-address=${HOST}`,
    `--advertise-address=${HOST}`,
    `--secure-port=${ports.apiserver}`,
    ...profile.apiserverFlags,
    `--etcd-servers=http://${HOST}:${ports.etcd}`,
    `--tls-cert-file=${pki("apiserver.crt")}`,
    `--tls-private-key-file=${pki("apiserver.key")}`,
    `--client-ca-file=${pki("ca.crt")}`,
    `--service-account-key-file=${pki("sa.pub")}`,
    `--service-account-signing-key-file=${pki("sa.key")}`,
    "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
    "--service-cluster-ip-range=10.0.0.0/24",
    "--authorization-mode=Node,RBAC",
    "--allow-privileged=true",
    "--kubelet-preferred-address-types=InternalIP",
    "--profiling=false",
    `--default-not-ready-toleration-seconds=${timings.tolerationSeconds}`,
    `--default-unreachable-toleration-seconds=${timings.tolerationSeconds}`,
  ]);
  const http = createLabHttp({ pkiDir: paths.pki });
  try {
    await waitFor("kube-apiserver /readyz", async () => (await http.get(`${server}/readyz`)).status === 200, { timeoutMs: 60_000, hint });
    step("kube-apiserver");

    // The default client rate limit (20 qps) caps controllers at ~20 pod writes/s: too slow for
    // scenarios with thousands of pods.
    const common = [
      `--bind-address=${HOST}`,
      ...profile.componentFlags,
      "--leader-elect=false",
      "--profiling=false",
      "--kube-api-qps=200",
      "--kube-api-burst=400",
    ];
    const kubeconfigs = (name: string) => {
      const file = join(paths.dir, `${name}.kubeconfig`);
      return [`--kubeconfig=${file}`, `--authentication-kubeconfig=${file}`, `--authorization-kubeconfig=${file}`];
    };
    start("kube-controller-manager", join(binDir, "kube-controller-manager"), [
      ...common,
      `--secure-port=${ports.kcm}`,
      ...kubeconfigs("kcm"),
      "--use-service-account-credentials=true",
      `--service-account-private-key-file=${pki("sa.key")}`,
      `--root-ca-file=${pki("ca.crt")}`,
      `--node-monitor-period=${timings.nodeMonitorPeriodSeconds}s`,
      `--node-monitor-grace-period=${timings.nodeMonitorGracePeriodSeconds}s`,
      "--node-startup-grace-period=20s",
    ]);
    start("kube-scheduler", join(binDir, "kube-scheduler"), [...common, `--secure-port=${ports.scheduler}`, ...kubeconfigs("sched")]);
    const healthz = (port: number) => async () => (await http.get(`https://${HOST}:${port}/healthz`, true)).status === 200;
    await Promise.all([
      waitFor("kube-controller-manager /healthz", healthz(ports.kcm), { timeoutMs: 60_000, hint }).then(() =>
        step("kube-controller-manager"),
      ),
      waitFor("kube-scheduler /healthz", healthz(ports.scheduler), { timeoutMs: 60_000, hint }).then(() => step("kube-scheduler")),
    ]);
    const works = profile.controllersWork;
    await waitFor(works.what, () => works.check((path) => http.get(`${server}${path}`)), { timeoutMs: 60_000, hint });
    step("controllers (working)");
    // What the simulated kubelets report as their version, and `lab status` shows.
    const version = z.object({ gitVersion: z.string() }).parse(JSON.parse((await http.get(`${server}/version`)).body));
    return { server, ports, kubeVersion: version.gitVersion };
  } finally {
    http.close();
  }
}

function httpOk(url: string) {
  return new Promise<boolean>((resolve) => {
    httpGet(url, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    }).on("error", () => resolve(false));
  });
}
