// Builds the Containerfile with buildah unless the image in local storage was built from the same
// inputs: a stamp file keeps the digest of its build context and base (context.ts) with the id of
// the image built from them, so a warm machine does not rebuild. (Not a label on the image: a
// label that changes with the sources makes buildah miss its layer cache from the first step.) `npm test` starts the build in the background at idle priority
// (nice 19, ionice idle) while the other suites run; tests/modern/image.test.ts awaits it.
import { spawn, spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { REPO } from "../app-server";
import { ensureDebianPackages } from "../system-packages";
import { DEBIAN_BASE, debianBaseCurrent, ensureDebianBase } from "./base";
import { buildah, ISOLATION, inspectImage } from "./buildah";
import { contextDigest } from "./context";

const VERSION = z.object({ version: z.string() }).parse(JSON.parse(readFileSync(join(REPO, "package.json"), "utf8"))).version;
/** The chart's default image: repository node-rescue, tag its appVersion (the package's version). */
export const IMAGE = `localhost/node-rescue:${VERSION}`;
export const IMAGE_PACKAGES = ["buildah", "mmdebstrap"];

/** Where the build's TLS trust comes from on a network that re-signs it (as this one does); mounted into RUN steps.
 *  NODE_EXTRA_CA_CERTS when set (what the host's npm trusts), else the host's system bundle. */
const SYSTEM_CA = "/etc/ssl/certs/ca-certificates.crt";
const hostCa = () => process.env.NODE_EXTRA_CA_CERTS ?? (existsSync(SYSTEM_CA) ? SYSTEM_CA : undefined);
const CA_IN_BUILD = "/run/node-rescue-ca.crt";

type TBuilt = { image: string; built: boolean; seconds: number };

const cacheDir = () => join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "node-rescue", "image");
const stampFile = () => join(cacheDir(), "stamp.json");
const ZStamp = z.object({ inputs: z.string(), imageId: z.string() });

/** Whether IMAGE is the image last built from `inputs`. */
function stampMatches(inputs: string): boolean {
  if (!existsSync(stampFile())) return false;
  const stamp = ZStamp.safeParse(JSON.parse(readFileSync(stampFile(), "utf8")));
  return stamp.success && stamp.data.inputs === inputs && inspectImage(IMAGE)?.FromImageID === stamp.data.imageId;
}

function writeStamp(inputs: string) {
  const imageId = inspectImage(IMAGE)?.FromImageID;
  if (!imageId) throw new Error(`buildah built ${IMAGE}, yet it is not in local storage`);
  mkdirSync(cacheDir(), { recursive: true });
  writeFileSync(stampFile(), `${JSON.stringify({ inputs, imageId })}\n`);
}

/** The digest the image would carry if built now: the context's files and the base image's id. */
function inputsOf(base: string): string {
  const baseId = inspectImage(base)?.FromImageID;
  if (!baseId) throw new Error(`no base image ${base}`);
  return contextDigest(REPO, [`BASE=${base}@${baseId}`]);
}

/** Pulls a registry base the first time (its id is part of the stamp); the Debian base is made here. */
function resolveBase(base: string | undefined, log: (line: string) => void): string {
  if (base === undefined) return ensureDebianBase(log);
  if (!inspectImage(base)) buildah(["pull", "--quiet", base]);
  return base;
}

/** Builds IMAGE from the Containerfile unless it is current (`force`: always). */
export function buildImage(opts: { base?: string; force?: boolean; log?: (line: string) => void } = {}): TBuilt {
  const log = opts.log ?? console.error;
  const started = Date.now();
  ensureDebianPackages(IMAGE_PACKAGES, log);
  const base = resolveBase(opts.base, log);
  const inputs = inputsOf(base);
  const done = (built: boolean) => ({ image: IMAGE, built, seconds: Math.round((Date.now() - started) / 1000) });
  if (!opts.force && stampMatches(inputs)) return done(false);
  log(`building ${IMAGE} on ${base}`);
  const ca = hostCa();
  buildah(
    [
      "bud",
      ...ISOLATION,
      "--layers",
      "--build-arg",
      `BASE=${base}`,
      ...(ca ? ["--volume", `${ca}:${CA_IN_BUILD}:ro`, "--build-arg", `NODE_EXTRA_CA_CERTS=${CA_IN_BUILD}`] : []),
      "--tag",
      IMAGE,
      REPO,
    ],
    { inherit: true },
  );
  writeStamp(inputs);
  return done(true);
}

/** Whether IMAGE is current on the Debian base, without making anything (false while buildah or the base is missing). */
function imageCurrent(): boolean {
  if (spawnSync("buildah", ["--version"], { stdio: "ignore" }).status !== 0 || !debianBaseCurrent()) return false;
  return stampMatches(inputsOf(DEBIAN_BASE));
}

// One background build at a time, across processes: a pid file says who is building.
const buildFiles = () => ({ pid: join(cacheDir(), "build.pid"), log: join(cacheDir(), "build.log") });
const SCRIPT = join(REPO, "scripts", "image.ts");

function backgroundBuild(): number | null {
  const { pid: file } = buildFiles();
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, "utf8"));
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(SCRIPT) ? pid : null;
  } catch {
    return null;
  }
}

/** Starts `npm run image` in the background at idle priority unless the image is current or being built. */
export function startImageBuildInBackground(log: (line: string) => void = console.error): boolean {
  if (backgroundBuild() || imageCurrent()) return false;
  const files = buildFiles();
  mkdirSync(cacheDir(), { recursive: true });
  const out = openSync(files.log, "w");
  const tsx = join(REPO, "node_modules", ".bin", "tsx");
  const child = spawn("nice", ["-n", "19", "ionice", "-c3", tsx, SCRIPT], { cwd: REPO, detached: true, stdio: ["ignore", out, out] });
  child.unref();
  closeSync(out);
  writeFileSync(files.pid, String(child.pid));
  log(`container image ${IMAGE} not current: building it in the background at idle priority (log: ${files.log})`);
  return true;
}

/** Resolves once IMAGE is current: waits out a background build, then builds (at idle priority) whatever is still missing. */
export async function imageReady(log: (line: string) => void = console.error): Promise<TBuilt> {
  const since = Date.now();
  let waited = false;
  for (; backgroundBuild(); waited = true) {
    if (!waited) log(`waiting for the background build of ${IMAGE} (log: ${buildFiles().log})`);
    await sleep(2_000);
  }
  if (waited) log(`the background build of ${IMAGE} ended after ${Math.round((Date.now() - since) / 1000)} s of waiting`);
  if (imageCurrent()) return { image: IMAGE, built: false, seconds: 0 };
  if (waited) {
    const tail = readFileSync(buildFiles().log, "utf8").trim().split("\n").slice(-15).join("\n");
    throw new Error(`the background build of ${IMAGE} did not produce it (${buildFiles().log}):\n${tail}`);
  }
  const r = spawnSync("nice", ["-n", "19", "ionice", "-c3", join(REPO, "node_modules", ".bin", "tsx"), SCRIPT], {
    cwd: REPO,
    stdio: ["ignore", "inherit", "inherit"],
  });
  if (r.status !== 0) throw new Error(`npm run image failed (exit ${r.status ?? r.signal})`);
  return { image: IMAGE, built: true, seconds: Math.round((Date.now() - since) / 1000) };
}
