// Runs the image's entrypoint with buildah, close to how Kubernetes runs the chart's pod: every
// directory of the image's root mounted read-only over itself, writable /data and /tmp from the
// host, the image's own user, and the host's network (chroot isolation has no other). buildah
// cannot make / itself read-only: it creates its own mount points there (/run/.containerenv,
// /etc/hosts) at each run, so / and /run stay as the image has them (root's, mode 755).
// Stopping signals the container's own processes, found by the overlay layer of their root.
import { type ChildProcess, spawn } from "node:child_process";
import { lstatSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { buildah, ISOLATION, inspectImage } from "./buildah";

export type TContainer = {
  name: string;
  /** The container's root directories mounted read-only, as paths inside it ("/app", "/usr", …). */
  readOnly: string[];
  child: ChildProcess;
  output: string[];
  /** Pids of the processes running inside the container. */
  processes: () => number[];
  stop: () => Promise<void>;
};

/** Processes whose root filesystem is the container's overlay (its layer's upper directory). */
function processesIn(upperDir: string): number[] {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        const rootMount = readFileSync(`/proc/${pid}/mountinfo`, "utf8")
          .split("\n")
          .find((line) => line.split(" ")[4] === "/");
        return rootMount?.includes(`upperdir=${upperDir},`) ?? false;
      } catch {
        return false; // exited meanwhile
      }
    })
    .map(Number);
}

/** The top-level directories of the image, less those buildah mounts itself and the writable ones. */
const readOnlyDirs = (root: string, writable: string[]) =>
  readdirSync(root)
    .map((entry) => `/${entry}`)
    .filter((path) => !["/dev", "/proc", "/sys", "/run", ...writable].includes(path))
    .filter((path) => lstatSync(join(root, path)).isDirectory());

/** The effective uid of a process (from /proc/PID/status). */
export const uidOf = (pid: number) => Number(/^Uid:\s+\d+\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]);

/** Starts `image`'s entrypoint with `args`; `volumes` maps host directories or files to container paths. */
export function runContainer(opts: {
  image: string;
  args: string[];
  env: Record<string, string>;
  volumes: Record<string, string>;
}): TContainer {
  const config = inspectImage(opts.image)?.OCIv1.config;
  if (!config?.Entrypoint) throw new Error(`${opts.image} has no entrypoint`);
  const name = buildah(["from", "--quiet", "--pull=never", opts.image]).trim();
  const root = buildah(["mount", name]).trim();
  const readOnly = readOnlyDirs(
    root,
    Object.values(opts.volumes).map((path) => path.split(":")[0] ?? path),
  );
  const child = spawn(
    "buildah",
    [
      "run",
      ...ISOLATION,
      ...Object.entries(opts.env).flatMap(([key, value]) => ["--env", `${key}=${value}`]),
      ...Object.entries(opts.volumes).flatMap(([host, path]) => ["--volume", `${host}:${path}`]),
      ...readOnly.flatMap((path) => ["--volume", `${join(root, path)}:${path}:ro`]),
      name,
      "--",
      ...config.Entrypoint,
      ...opts.args,
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  const output: string[] = [];
  const keep = (b: Buffer) => {
    output.push(b.toString());
    if (output.length > 400) output.shift();
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const processes = () => processesIn(join(dirname(root), "diff"));
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    for (const signal of ["SIGTERM", "SIGKILL"] as const) {
      for (const pid of processes()) process.kill(pid, signal);
      const until = Date.now() + 5_000;
      while (processes().length > 0 && Date.now() < until) await sleep(100);
    }
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    buildah(["rm", name]);
  };
  return { name, readOnly, child, output, processes, stop };
}
