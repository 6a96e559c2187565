// Before the integration and e2e suites: both control planes' binaries (1.20 and modern) and a
// production build of the dashboard (all reused when up to date).
import { buildIfNeeded } from "@/scripts/app-server";
import { ensureKubeBinaries, KUBE_LINES } from "@/scripts/lab/kube-versions";

export default function setup() {
  for (const kube of KUBE_LINES) ensureKubeBinaries(console.log, kube);
  buildIfNeeded({ log: console.log });
}
