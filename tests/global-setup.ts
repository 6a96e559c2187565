// Before the integration and e2e suites: the control-plane binaries and a production build of
// the dashboard (both reused when up to date).
import { buildIfNeeded } from "@/scripts/app-server";
import { ensureKubeBinaries } from "@/scripts/lab/lab";

export default function setup() {
  ensureKubeBinaries(console.log);
  buildIfNeeded({ log: console.log });
}
