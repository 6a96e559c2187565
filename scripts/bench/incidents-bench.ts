// Incident benchmarks:
// - history: /api/incidents (several filters, a deep page) and one incident's API and pages, p50/p95,
//   on a database holding 10,000 incidents and 1,000,000 transitions (seeded straight into SQLite);
// - storm: what the incident recorder adds to the commit of a 1,000- and a 5,000-node batch of
//   transitions (one incident opened, then confirmed), against the recorder without incidents.
import { mkdtempSync } from "node:fs";
import { Agent, get as httpGet } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { createApiToken } from "../../lib/auth/users";
import { databaseKind } from "../../lib/database-kind";
import { createDb } from "../../lib/db";
import { createIncidentRecorder } from "../../lib/incidents/recorder";
import { createTransitionRecorder } from "../../lib/transitions/record";
import { startAppServer } from "../app-server";
import { startPostgres } from "../db/postgres-server";
import { freeLoopbackPorts } from "../lab/processes";
import { migrateDatabase } from "../migrate";
import { round, summarize, treeRssMiB } from "./measure";

const CLUSTER = "bench";
/** Prisma's SQLite DateTime text. */
const ts = (ms: number) => new Date(ms).toISOString().replace("Z", "+00:00");

/** Seeds `incidents` incidents over `nodes` nodes and `transitions` node transitions, in one transaction. */
function seedHistory(file: string, opts: { incidents: number; transitions: number; nodes: number }) {
  const raw = new Database(file);
  raw.pragma("journal_mode = WAL");
  const start = Date.parse("2025-12-01T00:00:00Z");
  const span = 365 * 86_400_000;
  const perNode = Math.floor(opts.transitions / opts.nodes);
  const insertT = raw.prepare(
    `INSERT INTO "NodeTransition" ("id","cluster","node","nodeUid","seq","fromState","toState","reason","observedAt","createdAt") VALUES (?,?,?,?,?,?,?,?,?,?)`,
  );
  const insertI = raw.prepare(
    `INSERT INTO "Incident" ("id","cluster","openedAt","confirmedAt","firstActionAt","remediatedAt","recoveredAt","closedAt","nodeCount","nodeNames","workloadCount","workloadsHit","actionCount","updatedAt") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
  );
  const insertM = raw.prepare(
    `INSERT INTO "IncidentNode" ("incidentId","cluster","node","nodeUid","state","firstSignAt","lastHeartbeatAt","confirmedAt","deletedAt","labels","transitionId") VALUES (?,?,?,?,?,?,?,?,?,?,?)`,
  );
  const insertW = raw.prepare(
    `INSERT INTO "IncidentWorkload" ("incidentId","cluster","kind","namespace","name","state","desired","ready","affectedAt","firstDegradedAt","wholeAt") VALUES (?,?,?,?,?,?,?,?,?,?,?)`,
  );
  const insertWT = raw.prepare(
    `INSERT INTO "WorkloadTransition" ("cluster","kind","namespace","name","seq","fromState","toState","desired","ready","observedAt","incidentId") VALUES (?,?,?,?,?,?,?,?,?,?,?)`,
  );
  const insertE = raw.prepare(`INSERT INTO "IncidentEvent" ("incidentId","cluster","type","at","dedupKey","payload") VALUES (?,?,?,?,?,?)`);
  const states = ["HeartbeatLate", "Unknown", "Deleted", "Ready"];
  const wseq = new Map<string, number>();
  raw.transaction(() => {
    // Transitions: each node cycles Ready → HeartbeatLate → Unknown → Deleted → Ready …, spread over the year.
    let id = 0;
    for (let n = 0; n < opts.nodes; n++) {
      const node = `node-${String(n).padStart(5, "0")}`;
      for (let s = 1; s <= perNode; s++) {
        const at = ts(start + Math.floor((s / perNode) * span) + n * 1000);
        const to = s === 1 ? "Ready" : (states[(s - 2) % 4] as string);
        const from = s === 1 ? null : s === 2 ? "Ready" : (states[(s - 3) % 4] as string);
        insertT.run(++id, CLUSTER, node, `uid-${n}`, s, from, to, "bench", at, at);
      }
    }
    for (let i = 1; i <= opts.incidents; i++) {
      const opened = start + Math.floor((i / opts.incidents) * span);
      const closed = opened + 300_000 + (i % 7) * 60_000;
      const size = i % 100 === 0 ? 20 : 1 + (i % 3);
      const names: string[] = [];
      for (let k = 0; k < size; k++) {
        const n = (i * 7 + k * 13) % opts.nodes;
        const node = `node-${String(n).padStart(5, "0")}`;
        if (names.includes(node)) continue;
        names.push(node);
        const transitionId = n * perNode + 1 + (i % (perNode - 1));
        insertM.run(
          i,
          CLUSTER,
          node,
          `uid-${n}`,
          "Deleted",
          ts(opened),
          ts(opened - 12_000),
          ts(opened + 40_000),
          ts(opened + 120_000),
          "{}",
          transitionId,
        );
      }
      const acted = i % 2 === 0;
      insertI.run(
        i,
        CLUSTER,
        ts(opened),
        ts(opened + 40_000),
        acted ? ts(opened + 90_000) : null,
        acted ? ts(opened + 120_000) : null,
        ts(closed),
        ts(closed),
        names.length,
        names.join(", "),
        2,
        2,
        acted ? 1 : 0,
        ts(closed),
      );
      for (const [kind, ns, name] of [
        ["StatefulSet", `team-${i % 40}`, `db-${i % 200}`],
        ["Deployment", `team-${i % 40}`, `web-${i % 300}`],
      ] as const) {
        insertW.run(i, CLUSTER, kind, ns, name, "whole", 1, 1, ts(opened), ts(opened + 40_000), ts(closed));
        const key = `${kind}/${ns}/${name}`;
        let seq = wseq.get(key) ?? 0;
        for (const [from, to, dt] of [
          [null, "down", 40_000],
          ["down", "whole", closed - opened],
        ] as const) {
          insertWT.run(CLUSTER, kind, ns, name, ++seq, seq === 1 ? null : from, to, 1, to === "whole" ? 1 : 0, ts(opened + dt), i);
        }
        wseq.set(key, seq);
      }
      for (const [type, key, dt] of [
        ["incident.opened", "opened", 0],
        ["node.dead", `dead:${i}`, 40_000],
        ["incident.closed", "closed", closed - opened],
      ] as const) {
        insertE.run(i, CLUSTER, type, ts(opened + dt), key, "{}");
      }
    }
  })();
  raw.pragma("optimize");
  raw.close();
}

function httpLatency(url: string, token: string) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const get = (path: string) =>
    new Promise<{ status: number; bytes: number }>((resolve, reject) => {
      const req = httpGet(`${url}${path}`, { agent, headers: { Authorization: `Bearer ${token}` } }, (res) => {
        let bytes = 0;
        res.on("data", (c: Buffer) => {
          bytes += c.length;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, bytes }));
        res.on("error", reject);
      });
      req.on("error", reject);
    });
  const measure = async (path: string, samples = 200) => {
    const ms: number[] = [];
    let last = { status: 0, bytes: 0 };
    for (let i = 0; i < 10 + samples; i++) {
      const t = performance.now();
      last = await get(path);
      if (last.status !== 200) return { path, status: last.status };
      if (i >= 10) ms.push(performance.now() - t);
    }
    return { path, status: last.status, bytes: last.bytes, ms: summarize(ms) };
  };
  return { get, measure, close: () => agent.destroy() };
}

export async function incidentHistoryBench(opts: { incidents?: number; transitions?: number; log: (l: string) => void }) {
  const incidents = opts.incidents ?? 10_000;
  const transitions = opts.transitions ?? 1_000_000;
  const dir = mkdtempSync(join(tmpdir(), "node-rescue-bench-incidents-"));
  const m = await migrateDatabase({ url: `file:${join(dir, "bench.db")}`, quiet: true });
  const t = performance.now();
  seedHistory(join(dir, "bench.db"), { incidents, transitions, nodes: 2_000 });
  const seedSeconds = round((performance.now() - t) / 1000);
  opts.log(`seeded ${incidents} incidents and ${transitions} transitions in ${seedSeconds}s`);
  const db = createDb(m.url);
  const { token } = await createApiToken({ db, name: "bench", role: "viewer" });
  await db.$disconnect();
  const [port] = await freeLoopbackPorts(1);
  // No cluster: the history routes read the database only.
  const app = await startAppServer({
    port: port as number,
    env: { DATABASE_URL: m.url, NODE_RESCUE_CLUSTER_NAME: CLUSTER, KUBECONFIG: undefined },
  });
  const client = httpLatency(app.url, token);
  try {
    const first = JSON.parse(
      await (await fetch(`${app.url}/api/incidents?limit=50`, { headers: { Authorization: `Bearer ${token}` } })).text(),
    ) as {
      nextCursor: string;
    };
    let cursor = first.nextCursor;
    for (let i = 0; i < 20; i++) {
      const page = (await (
        await fetch(`${app.url}/api/incidents?limit=50&cursor=${cursor}`, { headers: { Authorization: `Bearer ${token}` } })
      ).json()) as {
        nextCursor: string;
      };
      cursor = page.nextCursor;
    }
    const paths = [
      "/api/incidents",
      `/api/incidents?cursor=${cursor}`,
      "/api/incidents?node=node-00042",
      "/api/incidents?workload=db-17&status=closed",
      "/api/incidents?namespace=team-3&actions=with",
      "/api/incidents?from=2026-06-01T00:00:00Z&to=2026-07-01T00:00:00Z",
      `/api/incidents/${Math.floor(incidents / 2)}`,
      `/api/incidents/${incidents}`,
      `/api/incidents/${Math.floor(incidents / 2)}/export?format=md`,
      "/api/incidents/trends?weeks=12",
      "/incidents",
      `/incidents/${Math.floor(incidents / 2)}`,
    ];
    const results = [];
    for (const path of paths) {
      const r = await client.measure(path);
      opts.log(`${path}: ${JSON.stringify(r.ms ?? r.status)}`);
      results.push(r);
    }
    return { incidents, transitions, seedSeconds, routes: results, serverRssMiB: treeRssMiB(app.child.pid as number) };
  } finally {
    client.close();
    await app.stop();
  }
}

/** The recorder's commit of storm batches, with and without incidents, on fresh databases: SQLite
 *  and PostgreSQL (a private server, default settings, on loopback). */
export async function incidentStormBench(opts: { nodes: number; log: (l: string) => void }) {
  const sqlite = await incidentStormOn(opts, () => `file:${join(mkdtempSync(join(tmpdir(), "node-rescue-bench-storm-")), "storm.db")}`);
  const pg = await startPostgres();
  try {
    let n = 0;
    const postgresql = await incidentStormOn(opts, () => {
      n += 1;
      pg.sql(`CREATE DATABASE storm_${n}`);
      return pg.url(`storm_${n}`);
    });
    return { nodes: opts.nodes, sqlite, postgresql };
  } finally {
    pg.stop();
  }
}

async function incidentStormOn(opts: { nodes: number; log: (l: string) => void }, freshUrl: () => string) {
  const run = async (withIncidents: boolean) => {
    const m = await migrateDatabase({ url: freshUrl(), quiet: true });
    const db = createDb(m.url);
    const incidents = createIncidentRecorder({ db, cluster: CLUSTER });
    const recorder = createTransitionRecorder<() => null>({
      db,
      cluster: CLUSTER,
      inTransaction: withIncidents ? incidents.inTransaction : undefined,
    });
    await recorder.load();
    await incidents.load();
    const names = Array.from({ length: opts.nodes }, (_, i) => `storm-${String(i).padStart(5, "0")}`);
    const batch = async (to: "Ready" | "HeartbeatLate" | "Unknown", at: Date) => {
      const t = performance.now();
      const rows = await recorder.record(
        names.map((node) => ({ node, nodeUid: `uid-${node}`, to, reason: "bench", observedAt: at })),
        () => null,
      );
      return { rows: rows.length, ms: round(performance.now() - t) };
    };
    const t0 = Date.now();
    const ready = await batch("Ready", new Date(t0));
    const late = await batch("HeartbeatLate", new Date(t0 + 20_000));
    const unknown = await batch("Unknown", new Date(t0 + 50_000));
    const opened = await db.incident.findMany({ select: { nodeCount: true, confirmedAt: true } });
    await db.$disconnect();
    return {
      url: m.url,
      ready,
      heartbeatLate: late,
      unknown,
      incidents: opened.map((i) => ({ nodes: i.nodeCount, confirmed: i.confirmedAt !== null })),
    };
  };
  const without = await run(false);
  const withIncidents = await run(true);
  const result = {
    database: databaseKind(without.url),
    withoutIncidents: without,
    withIncidents,
    addedMs: {
      heartbeatLate: round(withIncidents.heartbeatLate.ms - without.heartbeatLate.ms),
      unknown: round(withIncidents.unknown.ms - without.unknown.ms),
    },
  };
  opts.log(`storm ${opts.nodes} on ${result.database}: ${JSON.stringify(result)}`);
  return result;
}
