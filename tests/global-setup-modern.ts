// Before tests/modern: the modern control plane's binaries (waiting out the background build the
// other suites started, or building them now) and the dashboard's production build.
import { buildIfNeeded } from "@/scripts/app-server";
import { kubeBinariesReady } from "@/scripts/lab/kube-versions";

export default async function setup() {
  await kubeBinariesReady("modern", console.log);
  buildIfNeeded({ log: console.log });
}
