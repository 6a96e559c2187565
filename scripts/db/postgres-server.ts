// A private PostgreSQL server (Debian's package) on a loopback port in a temporary directory,
// for the tests and the benchmarks: `initdb` + `pg_ctl start`, trust authentication on
// 127.0.0.1 only, stopped and deleted by stop(). initdb refuses to run as root, so as root the
// server's processes run as the `postgres` system user the package creates.
import { spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freeLoopbackPorts } from "../lab/processes";
import { ensureDebianPackages } from "../system-packages";

const BIN = "/usr/lib/postgresql/15/bin";

export type TPostgresServer = {
  port: number;
  /** A connection URL for database `name` on this server (user postgres, no password). */
  url: (name: string) => string;
  /** Runs SQL as the superuser in database `postgres` (psql, stops at the first error). */
  sql: (statement: string) => string;
  stop: () => void;
};

/** The uid/gid to run the server as: our own, or postgres' when we are root. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(spawnSync("id", [flag, "postgres"], { encoding: "utf8" }).stdout.trim());
  const uid = id("-u");
  if (!Number.isInteger(uid) || uid <= 0) throw new Error("running as root needs the postgres system user (Debian's postgresql package)");
  return { uid, gid: id("-g") };
}

export async function startPostgres(opts: { log?: (line: string) => void } = {}): Promise<TPostgresServer> {
  if (!existsSync(join(BIN, "initdb"))) ensureDebianPackages(["postgresql"], opts.log);
  const user = serverUser();
  const dir = mkdtempSync(join(tmpdir(), "node-rescue-pg-"));
  if (user) chownSync(dir, user.uid, user.gid);
  const [port] = await freeLoopbackPorts(1);
  if (port === undefined) throw new Error("no free loopback port for PostgreSQL");
  const run = (cmd: string, args: string[]) => {
    const r = spawnSync(join(BIN, cmd), args, { cwd: dir, encoding: "utf8", ...user });
    if (r.status !== 0) {
      const log = existsSync(join(dir, "server.log")) ? readFileSync(join(dir, "server.log"), "utf8").slice(-2000) : "";
      throw new Error(`${cmd} failed (exit ${r.status ?? r.signal}): ${r.stderr || r.stdout}${log}`);
    }
    return r.stdout;
  };
  run("initdb", ["-D", join(dir, "data"), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]);
  // The socket goes into our directory (no /run/postgresql here); TCP on loopback only.
  const options = [`-k ${dir}`, `-p ${port}`, "-c listen_addresses=127.0.0.1", "-c max_connections=200"].join(" ");
  run("pg_ctl", ["-D", join(dir, "data"), "-o", options, "-l", join(dir, "server.log"), "-w", "-t", "60", "start"]);
  opts.log?.(`postgres: 127.0.0.1:${port} (${dir})`);

  return {
    port,
    url: (name) => `postgresql://postgres@127.0.0.1:${port}/${name}`,
    sql: (statement) =>
      run("psql", ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-Atc", statement]),
    stop: () => {
      spawnSync(join(BIN, "pg_ctl"), ["-D", join(dir, "data"), "-m", "fast", "-w", "stop"], { cwd: dir, stdio: "ignore", ...user });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
