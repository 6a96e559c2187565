// The chart rendered the way kubectl users get it: `helm template` of deploy/chart for each
// profile, into the release namespace "node-rescue" (created by the manifest). `npm run manifests`
// writes deploy/manifests/<profile>.yaml; the tests compare those files with a fresh render.
// Helm is built with the lab's modern control plane (scripts/lab/build-kube-modern.sh).
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { REPO } from "../app-server";
import { kubeProfile } from "../lab/kube-versions";

export const PROFILES = ["single", "ha"] as const;
export type TProfile = (typeof PROFILES)[number];

export const CHART_DIR = join(REPO, "deploy", "chart");
export const manifestPath = (profile: TProfile) => join(REPO, "deploy", "manifests", `${profile}.yaml`);
export const helmBinary = () => join(kubeProfile("modern").binDir, "helm");

const HEADER = (profile: TProfile) =>
  `# node-rescue, profile "${profile}": deploy/chart rendered by \`npm run manifests\` (helm template). Do not edit:\n` +
  '# change the chart and render again. Create the Secret first (README, "Install").\n';

/** Runs helm with `args`; throws with its stderr on failure. */
export function helm(args: string[]): string {
  const r = spawnSync(helmBinary(), args, { encoding: "utf8", env: { ...process.env, HELM_CACHE_HOME: "/tmp/node-rescue-helm" } });
  if (r.error) throw new Error(`helm: ${r.error.message} (${helmBinary()}: build it with npm run lab -- up --kube modern, or npm test)`);
  if (r.status !== 0) throw new Error(`helm ${args.join(" ")} failed:\n${r.stderr}`);
  return r.stdout;
}

/** The manifest of `profile` (with `set`, more --set values), as committed (helm's output as is). */
export function renderProfile(profile: TProfile, set: string[] = []): string {
  const out = helm([
    "template",
    "node-rescue",
    CHART_DIR,
    "--namespace",
    "node-rescue",
    "--set",
    `profile=${profile}`,
    "--set",
    "createNamespace=true",
    ...set.flatMap((s) => ["--set", s]),
  ]);
  return HEADER(profile) + out;
}
