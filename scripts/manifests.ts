// npm run manifests: renders deploy/chart into deploy/manifests/{single,ha}.yaml (scripts/deploy/render.ts).
import { writeFileSync } from "node:fs";
import { manifestPath, PROFILES, renderProfile } from "./deploy/render";
import { kubeBinariesReady } from "./lab/kube-versions";

async function main() {
  await kubeBinariesReady("modern");
  for (const profile of PROFILES) {
    writeFileSync(manifestPath(profile), renderProfile(profile));
    console.log(`wrote ${manifestPath(profile)}`);
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
