// Before the integration and e2e suites: the 1.20 control plane's binaries and a production build
// of the dashboard (both reused when up to date). The modern control plane, which only
// tests/modern needs, starts building in the background at idle priority meanwhile.
import { buildIfNeeded } from "@/scripts/app-server";
import { ensureKubeBinaries, startKubeBuildInBackground } from "@/scripts/lab/kube-versions";

export default function setup() {
  startKubeBuildInBackground("modern", console.log);
  ensureKubeBinaries(console.log, "1.20");
  buildIfNeeded({ log: console.log });
}
