// A real Prometheus (Debian's package) on loopback for one test file: it scrapes node-rescue's
// /metrics every second with a bearer token, and the test asks its HTTP API what it stored.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freeLoopbackPorts } from "@/scripts/lab/processes";
import { waitUntil } from "./wait";

export async function startPrometheus(opts: { target: string; token: string }) {
  const dir = mkdtempSync(join(tmpdir(), "node-rescue-prometheus-"));
  const [port] = await freeLoopbackPorts(1);
  const tokenFile = join(dir, "token");
  writeFileSync(tokenFile, opts.token, { mode: 0o600 });
  writeFileSync(
    join(dir, "prometheus.yml"),
    [
      "global: { scrape_interval: 1s, evaluation_interval: 1s }",
      "scrape_configs:",
      "  - job_name: node-rescue",
      "    metrics_path: /metrics",
      `    authorization: { type: Bearer, credentials_file: ${JSON.stringify(tokenFile)} }`,
      `    static_configs: [{ targets: [${JSON.stringify(opts.target)}] }]`,
      "",
    ].join("\n"),
  );
  const url = `http://127.0.0.1:${port}`;
  const output: string[] = [];
  const child: ChildProcess = spawn(
    "prometheus",
    [`--config.file=${join(dir, "prometheus.yml")}`, `--storage.tsdb.path=${join(dir, "data")}`, `--web.listen-address=127.0.0.1:${port}`],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  child.stdout?.on("data", (c: Buffer) => output.push(c.toString()));
  child.stderr?.on("data", (c: Buffer) => output.push(c.toString()));
  await waitUntil("Prometheus ready", async () => (await fetch(`${url}/-/ready`).catch(() => null))?.ok === true, 30_000).catch((err) => {
    throw new Error(`${err instanceof Error ? err.message : err}\n${output.join("").slice(-2000)}`);
  });

  /** The value of an instant query with one series, or null when it has none. */
  const value = async (expr: string): Promise<number | null> => {
    const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`);
    const body = (await res.json()) as { status: string; data?: { result: { value: [number, string] }[] }; error?: string };
    if (body.status !== "success") throw new Error(`Prometheus query ${expr} failed: ${body.error}`);
    const [first, ...rest] = body.data?.result ?? [];
    if (rest.length) throw new Error(`Prometheus query ${expr} returned ${rest.length + 1} series`);
    return first ? Number(first.value[1]) : null;
  };
  /** The scrape target's health as Prometheus sees it ("up", "down", "unknown"). */
  const targetHealth = async () => {
    const body = (await (await fetch(`${url}/api/v1/targets`)).json()) as {
      data: { activeTargets: { health: string; lastError: string }[] };
    };
    return body.data.activeTargets[0] ?? null;
  };
  return {
    url,
    value,
    targetHealth,
    stop: async () => {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
