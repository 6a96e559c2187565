// npm run lab -- up [--kube 1.20|modern] [--scenario seed|empty] [--nodes N] [--timings fast|kubernetes] [--dir D]
//                 down | status | kubelet stop|start <node>
import { parseArgs } from "node:util";
import { z } from "zod";
import { kubeletStart, kubeletStop, labDown, labStatus, labUp, stoppedKubelets } from "./lab/lab";
import { SCENARIOS } from "./lab/scenario";
import { ZKubeLine } from "./lab/state";
import { LAB_TIMINGS } from "./lab/timings";

const USAGE = `usage: npm run lab -- <command>
  up [--kube 1.20|modern] [--scenario seed|empty] [--nodes N] [--timings fast|kubernetes]
                       start the lab (control plane + simulated kubelets + scenario); prints KUBECONFIG=<path>
                       --kube: Kubernetes 1.20.2 (default) or the modern release built from Go modules
  down                 stop everything \`up\` started and remove its state
  status               what is running
  kubelet stop <node>  the node's kubelet stops heartbeating (pods untouched)
  kubelet start <node> the kubelet comes back (re-registers the Node if it was deleted)
options: --dir <state dir> (default $NODE_RESCUE_LAB_DIR or ~/.cache/node-rescue/kube-lab/run)`;

const ZUpFlags = z.object({
  kube: ZKubeLine.default("1.20"),
  scenario: z.enum(SCENARIOS).default("seed"),
  nodes: z.coerce.number().int().min(0).max(20_000).optional(),
  timings: z.enum(Object.keys(LAB_TIMINGS) as [keyof typeof LAB_TIMINGS]).default("fast"),
});

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      kube: { type: "string" },
      scenario: { type: "string" },
      nodes: { type: "string" },
      timings: { type: "string" },
      dir: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  const [command, sub, node] = positionals;
  const dir = values.dir;
  if (values.help || !command) return console.log(USAGE);
  switch (command) {
    case "up": {
      const flags = ZUpFlags.parse(values);
      const lab = await labUp({ ...flags, dir, log: (l) => console.error(l) });
      console.error(
        `${lab.reused ? "lab already running" : "lab up"}: Kubernetes ${lab.kubeVersion}, ${lab.nodeNames.length} nodes, API ${lab.apiServer}`,
      );
      console.error("stop a node's kubelet: npm run lab -- kubelet stop acp-worker01");
      console.log(`KUBECONFIG=${lab.kubeconfig}`);
      return;
    }
    case "down": {
      const stopped = await labDown({ dir });
      console.log(stopped.length ? `stopped ${stopped.join(", ")}` : "no lab was running");
      return;
    }
    case "status": {
      const s = labStatus(dir);
      const kubernetes = s.info && { line: s.info.kube, version: s.info.kubeVersion };
      console.log(JSON.stringify({ kubernetes, ...s, stoppedKubelets: s.up ? stoppedKubelets({ dir }) : [] }, null, 2));
      return;
    }
    case "kubelet": {
      if ((sub !== "stop" && sub !== "start") || !node) throw new Error("usage: npm run lab -- kubelet stop|start <node>");
      (sub === "stop" ? kubeletStop : kubeletStart)(node, { dir });
      console.log(`${node}: kubelet ${sub === "stop" ? "stopped (no more heartbeats; pods untouched)" : "started"}`);
      return;
    }
    default:
      throw new Error(`unknown command "${command}"\n${USAGE}`);
  }
}

main().catch((err: unknown) => {
  const message = err instanceof z.ZodError ? z.prettifyError(err) : err instanceof Error ? err.message : String(err);
  console.error(`lab: ${message}`);
  process.exit(1);
});
