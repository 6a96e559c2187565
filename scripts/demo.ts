// npm run demo: with no KUBECONFIG, bring up the lab with the seed scenario and serve the
// dashboard on http://127.0.0.1:3000 (PORT overrides). With KUBECONFIG set, serve that cluster.
import { join } from "node:path";
import { ensureDemoUsers } from "../lib/auth/demo-users";
import { createDb } from "../lib/db";
import { env } from "../lib/env";
import { buildIfNeeded, REPO, startAppServer } from "./app-server";
import { labDown, labUp } from "./lab/lab";
import { migrateDatabase } from "./migrate";

async function main() {
  let kubeconfig = process.env.KUBECONFIG;
  let ownLab = false;
  if (!kubeconfig) {
    const lab = await labUp({ scenario: "seed", log: (l) => console.log(l) });
    kubeconfig = lab.kubeconfig;
    ownLab = !lab.reused;
  }
  // The demo keeps its own history, apart from a real cluster's.
  const url = process.env.DATABASE_URL ?? `file:${join(REPO, "data", "demo.db")}`;
  const m = await migrateDatabase({ url, quiet: true });
  // One user per role, passwords generated once and kept next to the database (reused on re-runs).
  const db = createDb(m.url);
  const users = await ensureDemoUsers({ db, databaseUrl: m.url }).finally(() => db.$disconnect());
  buildIfNeeded({ log: console.log });
  const port = Number(process.env.PORT ?? env().PORT);
  const server = await startAppServer({
    port,
    env: {
      KUBECONFIG: kubeconfig,
      DATABASE_URL: m.url,
      NODE_RESCUE_CLUSTER_NAME: process.env.NODE_RESCUE_CLUSTER_NAME ?? "lab",
      NODE_RESCUE_DEMO: "1",
      // The lab's node controller gives up on a node after 10 s: a 5-minute wait before a dead
      // node may be deleted would make the demo drag. Real installs keep the default.
      NODE_RESCUE_DEAD_AFTER_SECONDS: process.env.NODE_RESCUE_DEAD_AFTER_SECONDS ?? "30",
    },
    inheritOutput: true,
  });
  console.log(`
node-rescue demo: ${server.url}
  cluster:   KUBECONFIG=${kubeconfig}
  sign in:   ${users.map((u) => `${u.email} / ${u.password}`).join("\n             ")}
  try it:    npm run lab -- kubelet stop acp-worker01     (the node dies; watch the dashboard)
             npm run lab -- kubelet start acp-worker01    (it comes back)
  stop:      Ctrl-C${ownLab ? " (also stops the lab)" : ""}
`);
  let stopping = false;
  const stop = async () => {
    stopping = true;
    await server.stop();
    if (ownLab) await labDown();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
  server.child.on("exit", (code) => {
    if (stopping) return;
    console.error(`the dashboard server exited (${code})`);
    void (ownLab ? labDown() : Promise.resolve()).then(() => process.exit(code ?? 1));
  });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
