// The real dashboard (next start on the production build) against a lab, with its own SQLite file.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startAppServer } from "@/scripts/app-server";
import { freeLoopbackPorts } from "@/scripts/lab/processes";
import { migrateDatabase } from "@/scripts/migrate";

export function testDatabase() {
  const dir = mkdtempSync(join(tmpdir(), "node-rescue-db-"));
  const url = `file:${join(dir, "test.db")}`;
  migrateDatabase({ url, quiet: true });
  return { url, file: join(dir, "test.db") };
}

export async function startTestApp(opts: { kubeconfig: string; databaseUrl: string; cluster?: string; port?: number }) {
  const port = opts.port ?? (await freeLoopbackPorts(1))[0];
  if (port === undefined) throw new Error("no free port");
  return startAppServer({
    port,
    env: { KUBECONFIG: opts.kubeconfig, DATABASE_URL: opts.databaseUrl, NODE_RESCUE_CLUSTER_NAME: opts.cluster ?? "test" },
  });
}

export async function getJson<T = any>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}
