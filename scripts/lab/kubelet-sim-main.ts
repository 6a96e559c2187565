// Process entry for the simulated kubelets:  tsx scripts/lab/kubelet-sim-main.ts --dir <labdir>
// Runs until SIGTERM/SIGINT; logs one line per notable event to stdout.
import { parseArgs } from "node:util";
import { KubeletSimulator } from "./kubelet-sim";

const { values } = parseArgs({ options: { dir: { type: "string" } } });
if (!values.dir) {
  console.error("usage: kubelet-sim-main.ts --dir <labdir>");
  process.exit(2);
}

const sim = new KubeletSimulator({ dir: values.dir });
let stopping = false;
const shutdown = (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`${new Date().toISOString()} ${signal}: stopping`);
  sim.stop().then(
    () => process.exit(0),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
};
process.on("SIGTERM", () => shutdown("SIGTERM"));
process.on("SIGINT", () => shutdown("SIGINT"));

sim.start().catch((e: unknown) => {
  console.error(`${new Date().toISOString()} kubelet simulator failed to start: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
