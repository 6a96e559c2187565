// The container image, run as the chart runs it: built from the Containerfile with buildah (in the
// background by npm test, or here), its entrypoint started against the modern lab with a read-only
// root, writable /data and /tmp, and the image's own user. It applies its migrations to an empty
// database, serves /api/health, signs a user in over HTTP and shows the lab's nodes to that session;
// then the same on PostgreSQL.
import { randomBytes } from "node:crypto";
import { chownSync, copyFileSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TNodesView } from "@/lib/views/nodes";
import { startPostgres } from "@/scripts/db/postgres-server";
import { imageReady } from "@/scripts/image/build";
import { imageSize, inspectImage } from "@/scripts/image/buildah";
import { isIgnored, parseIgnore } from "@/scripts/image/context";
import { runContainer, type TContainer, uidOf } from "@/scripts/image/run-container";
import { freeLoopbackPorts } from "@/scripts/lab/processes";
import { createTestUser, postAuth, sessionCookieFrom } from "../helpers/app";
import { startTestLab } from "../helpers/lab";
import { waitUntil } from "../helpers/wait";

const UID = 10001;
/** A directory or file the container's user owns (it is not root). */
const ownedByContainer = (path: string) => {
  chownSync(path, UID, UID);
  return path;
};

describe("the container image against the modern lab", () => {
  let image: string;
  let lab: Awaited<ReturnType<typeof startTestLab>>;
  let container: TContainer;
  let url: string;
  let dataDir: string;
  /** The lab's kubeconfig, readable by the container's user. */
  let kubeconfig: string;
  const dirs: string[] = [];

  beforeAll(async () => {
    const started = Date.now();
    const built = await imageReady(console.log);
    image = built.image;
    console.log(
      `[image] ${image} ${built.built ? "built" : "current"}, ready after ${Math.round((Date.now() - started) / 1000)} s, ${imageSize(image)}`,
    );
    lab = await startTestLab({ kube: "modern", scenario: "seed" });
    const scratch = () => {
      const dir = ownedByContainer(mkdtempSync(join(tmpdir(), "node-rescue-image-")));
      dirs.push(dir);
      return dir;
    };
    dataDir = scratch();
    kubeconfig = join(scratch(), "kubeconfig");
    copyFileSync(lab.kubeconfig, kubeconfig);
    ownedByContainer(kubeconfig);
    const [port] = await freeLoopbackPorts(1);
    url = `http://127.0.0.1:${port}`;
    container = runContainer({
      image,
      args: ["--host", "127.0.0.1", "--port", String(port)],
      env: { KUBECONFIG: "/kube/config", NODE_RESCUE_SECRET: randomBytes(36).toString("base64"), NODE_RESCUE_CLUSTER_NAME: "image-test" },
      volumes: { [dataDir]: "/data", [scratch()]: "/tmp", [kubeconfig]: "/kube/config:ro" },
    });
    await waitUntil(
      `${url}/api/health from the container`,
      async () => {
        if (container.child.exitCode !== null)
          throw new Error(`the container exited (${container.child.exitCode}):\n${container.output.join("")}`);
        return (await fetch(`${url}/api/health`).catch(() => null))?.ok;
      },
      120_000,
      500,
    );
  }, 1_800_000);

  afterAll(async () => {
    await container?.stop();
    await lab?.down();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it("is configured as the chart expects: user 10001, the entrypoint taking --host/--port, no health check", () => {
    const config = inspectImage(image)?.OCIv1.config;
    expect(config?.User).toBe(`${UID}:${UID}`);
    expect(config?.Entrypoint).toEqual(["/app/.next/node-rescue-entrypoint.sh"]);
    expect(config?.Cmd).toEqual(["--host", "0.0.0.0", "--port", "3000"]);
    expect(JSON.stringify(config)).not.toMatch(/Healthcheck/i);
  });

  it("runs its server as uid 10001, on a read-only root, having migrated the empty database in /data", () => {
    const server = container.processes().find((pid) => readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("node-rescue-server.mjs"));
    expect(server, container.output.join("")).toBeDefined();
    expect(uidOf(server as number)).toBe(UID);
    expect(readFileSync(`/proc/${server}/cmdline`, "utf8").split("\0")).toContain("--heap-growing-percent=30");
    // As the server sees its filesystem: the image's directories read-only, /data and /tmp the host's.
    const mounts = new Map(
      readFileSync(`/proc/${server}/mountinfo`, "utf8")
        .split("\n")
        .map((line) => line.split(" "))
        .map((fields) => [fields[4], fields[5]] as const),
    );
    expect(container.readOnly).toEqual(expect.arrayContaining(["/app", "/etc", "/usr", "/var"]));
    for (const path of container.readOnly) expect(mounts.get(path), path).toMatch(/^ro\b/);
    for (const path of ["/data", "/tmp"]) expect(mounts.get(path), path).toMatch(/^rw\b/);
    expect(statSync(join(dataDir, "node-rescue.db")).uid).toBe(UID);
    expect(container.output.join("")).toMatch(/migrate: file:\/data\/node-rescue\.db: applied/);
  });

  it("signs a user in and shows that session the lab's nodes", async () => {
    const user = await createTestUser(`file:${join(dataDir, "node-rescue.db")}`, "viewer");
    const signIn = await postAuth(url, "/api/auth/sign-in/email", user);
    expect(signIn.status).toBe(200);
    const cookie = sessionCookieFrom(signIn);
    expect(cookie).not.toBe("");
    expect((await fetch(`${url}/api/nodes`)).status).toBe(401);
    const names = await waitUntil("the lab's nodes from the container's API", async () => {
      const res = await fetch(`${url}/api/nodes`, { headers: { Cookie: cookie } });
      if (!res.ok) throw new Error(`GET /api/nodes: ${res.status} ${await res.text()}`);
      const nodes = ((await res.json()) as TNodesView).nodes.map((n) => n.name).sort();
      return nodes.length === lab.nodeNames.length && nodes;
    });
    expect(names).toEqual([...lab.nodeNames].sort());
  });

  it("leaves no process behind when stopped", async () => {
    await container.stop();
    expect(container.processes()).toEqual([]);
  });

  it("on PostgreSQL (the ha profile's database): migrates an empty database at start and signs a user in", async () => {
    const pg = await startPostgres();
    const tmp = ownedByContainer(mkdtempSync(join(tmpdir(), "node-rescue-image-pg-")));
    dirs.push(tmp);
    let second: TContainer | undefined;
    try {
      pg.sql("CREATE DATABASE rescue");
      const databaseUrl = pg.url("rescue");
      const [port] = await freeLoopbackPorts(1);
      const pgUrl = `http://127.0.0.1:${port}`;
      second = runContainer({
        image,
        args: ["--host", "127.0.0.1", "--port", String(port)],
        env: {
          KUBECONFIG: "/kube/config",
          DATABASE_URL: databaseUrl,
          NODE_RESCUE_SECRET: randomBytes(36).toString("base64"),
          NODE_RESCUE_CLUSTER_NAME: "image-test-pg",
        },
        // No /data: nothing is kept on the pod's disk with PostgreSQL.
        volumes: { [tmp]: "/tmp", [kubeconfig]: "/kube/config:ro" },
      });
      const running = second;
      await waitUntil(
        `${pgUrl}/api/health from the container on PostgreSQL`,
        async () => {
          if (running.child.exitCode !== null)
            throw new Error(`the container exited (${running.child.exitCode}):\n${running.output.join("")}`);
          return (await fetch(`${pgUrl}/api/health`).catch(() => null))?.ok;
        },
        120_000,
        500,
      );
      expect(running.output.join("")).toMatch(/migrate: postgresql:\/\/postgres@127\.0\.0\.1:\d+\/rescue: applied \d+_init/);
      const user = await createTestUser(databaseUrl, "viewer");
      const signIn = await postAuth(pgUrl, "/api/auth/sign-in/email", user);
      expect(signIn.status).toBe(200);
      const res = await waitUntil("the lab's nodes from the container on PostgreSQL", async () => {
        const r = await fetch(`${pgUrl}/api/nodes`, { headers: { Cookie: sessionCookieFrom(signIn) } });
        const body = r.ok ? ((await r.json()) as TNodesView) : null;
        return body && body.nodes.length === lab.nodeNames.length && body;
      });
      expect(res.nodes.map((n) => n.name).sort()).toEqual([...lab.nodeNames].sort());
    } finally {
      await second?.stop();
      pg.stop();
    }
  });

  it("reads .containerignore as buildah does: the last matching line wins, a directory takes its contents", () => {
    const rules = parseIgnore("# c\nnode_modules\n**/*.md\ntests\n!tests/keep.ts\n");
    expect(isIgnored(rules, "node_modules/next/package.json")).toBe(true);
    expect(isIgnored(rules, "lib/README.md")).toBe(true);
    expect(isIgnored(rules, "README.md")).toBe(true);
    expect(isIgnored(rules, "tests/unit/a.test.ts")).toBe(true);
    expect(isIgnored(rules, "tests/keep.ts")).toBe(false);
    expect(isIgnored(rules, "lib/db.ts")).toBe(false);
    expect(isIgnored(rules, "node_modules2/x")).toBe(false);
  });
});
