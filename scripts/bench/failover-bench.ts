// Failover: two dashboard replicas on one database (SQLite or a private PostgreSQL server) and
// the seed lab, leader election on. Each
// round kills the leader with SIGKILL while a worker's kubelet stops, and measures the time to
// a new leader (its /api/health says so) and to that leader recording (the first transition row
// written after the kill: the node's change, seen by the follower while no one led). Then the
// killed replica comes back as a follower and the worker returns. Every round checks that no
// transition was recorded twice.
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { createApiToken } from "../../lib/auth/users";
import type { TDatabaseKind } from "../../lib/database-kind";
import { createDb } from "../../lib/db";
import { startAppServer, type TAppServer } from "../app-server";
import { startPostgres, type TPostgresServer } from "../db/postgres-server";
import { kubeletStart, kubeletStop, labDown, labUp } from "../lab/lab";
import { freeLoopbackPorts } from "../lab/processes";
import { migrateDatabase } from "../migrate";
import { round } from "./measure";

const WORKERS = ["acp-worker01", "acp-worker02", "acp-worker03"];

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs: number, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => null);
    if (value !== null && value !== undefined && value !== false) return value as T;
    if (Date.now() > deadline) throw new Error(`failover bench: timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

export async function failoverBench(opts: { rounds: number; database: TDatabaseKind; log: (l: string) => void }) {
  const { log } = opts;
  const dir = mkdtempSync(join(tmpdir(), "node-rescue-failover-"));
  const pg: TPostgresServer | null = opts.database === "postgresql" ? await startPostgres({ log }) : null;
  pg?.sql("CREATE DATABASE failover");
  const url = pg ? pg.url("failover") : `file:${join(dir, "bench.db")}`;
  const lab = await labUp({ dir: join(dir, "lab"), scenario: "seed", log });
  await migrateDatabase({ url, quiet: true });
  // Every replica signs cookies alike; on PostgreSQL none would be generated.
  const secret = randomBytes(32).toString("base64url");
  const db = createDb(url);
  const { token } = await createApiToken({ db, name: "bench", role: "admin" });
  const replicas = new Map<string, TAppServer>();
  const start = async (name: string) => {
    const [port] = await freeLoopbackPorts(1);
    const app = await startAppServer({
      port: port ?? 0,
      env: {
        KUBECONFIG: lab.kubeconfig,
        DATABASE_URL: url,
        NODE_RESCUE_SECRET: secret,
        NODE_RESCUE_CLUSTER_NAME: "bench",
        NODE_RESCUE_LEADER_ELECTION: "on",
        NODE_RESCUE_NAMESPACE: "default",
        NODE_RESCUE_INSTANCE_NAME: name,
      },
    });
    replicas.set(name, app);
    return app;
  };
  const health = async (app: TAppServer) =>
    (await (await fetch(`${app.url}/api/health`, { headers: { Authorization: `Bearer ${token}` } })).json()) as { leader: boolean };
  const leaderName = async () => {
    for (const [name, app] of replicas) if ((await health(app).catch(() => null))?.leader) return name;
    return null;
  };
  const rounds: Array<{ newLeaderMs: number; newLeaderRecordingMs: number }> = [];
  try {
    await start("replica-a");
    await until("a leader", leaderName, 30_000);
    await start("replica-b");
    await until("every node recorded", async () => (await db.nodeTransition.count({ where: { cluster: "bench" } })) >= 6, 60_000);
    for (let i = 0; i < opts.rounds; i++) {
      const leader = await until("a leader", leaderName, 30_000);
      const worker = WORKERS[i % WORKERS.length] ?? "acp-worker01";
      const [follower] = [...replicas.keys()].filter((n) => n !== leader);
      const killed = replicas.get(leader);
      const head = (await db.nodeTransition.aggregate({ _max: { id: true } }))._max.id ?? 0;
      kubeletStop(worker, { dir: lab.dir });
      killed?.child.kill("SIGKILL");
      const killedAt = Date.now();
      replicas.delete(leader);
      const next = replicas.get(follower ?? "");
      if (!next) throw new Error("no follower");
      await until("the follower leading", async () => (await health(next)).leader, 60_000);
      const newLeaderMs = Date.now() - killedAt;
      await until("the new leader recording", () => db.nodeTransition.findFirst({ where: { id: { gt: head } } }), 60_000);
      const newLeaderRecordingMs = Date.now() - killedAt;
      rounds.push({ newLeaderMs, newLeaderRecordingMs });
      log(
        `failover round ${i + 1}: new leader after ${round(newLeaderMs / 1000, 1)} s, recording after ${round(newLeaderRecordingMs / 1000, 1)} s`,
      );
      await start(leader);
      kubeletStart(worker, { dir: lab.dir });
      await until(
        `${worker} Ready recorded`,
        async () =>
          (await db.nodeTransition.findFirst({ where: { cluster: "bench", node: worker }, orderBy: { seq: "desc" } }))?.toState === "Ready",
        90_000,
        250,
      );
    }
    const rows = await db.nodeTransition.findMany({ where: { cluster: "bench" }, select: { node: true, seq: true } });
    const duplicates = rows.length - new Set(rows.map((r) => `${r.node}#${r.seq}`)).size;
    const sorted = (k: "newLeaderMs" | "newLeaderRecordingMs") => rounds.map((r) => r[k]).sort((a, b) => a - b);
    const median = (xs: number[]) => xs[Math.floor(xs.length / 2)] ?? 0;
    return {
      database: opts.database,
      leaseSeconds: 15,
      rounds,
      newLeaderMedianS: round(median(sorted("newLeaderMs")) / 1000, 1),
      newLeaderRecordingMedianS: round(median(sorted("newLeaderRecordingMs")) / 1000, 1),
      transitionsRecordedTwice: duplicates,
    };
  } finally {
    for (const app of replicas.values()) await app.stop();
    await db.$disconnect();
    await labDown({ dir: join(dir, "lab") });
    pg?.stop();
  }
}
