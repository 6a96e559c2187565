// npm start: apply pending migrations, build if the sources changed, serve the cluster in
// KUBECONFIG (or in-cluster) on HOST:PORT (default 127.0.0.1:3000).
import { env } from "../lib/env";
import { buildIfNeeded, startAppServer } from "./app-server";
import { migrateDatabase } from "./migrate";

async function main() {
  const e = env();
  const m = await migrateDatabase();
  console.log(`database ${m.url}: ${m.skipped ? "up to date" : `applied ${m.applied.join(", ")}`}`);
  buildIfNeeded({ log: console.log });
  const host = process.env.HOST ?? "127.0.0.1";
  const server = await startAppServer({ port: e.PORT, host, env: { DATABASE_URL: m.url }, inheritOutput: true });
  console.log(`node-rescue is serving on ${server.url}`);
  const stop = () => void server.stop().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  server.child.on("exit", (code) => process.exit(code ?? 1));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
