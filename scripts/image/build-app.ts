// Runs inside the Containerfile's build stage (`npx tsx scripts/image/build-app.ts`): the same
// build as `npm start` (next build, then the server bundle), plus what the image runs besides it —
// scripts/migrate.ts as plain JavaScript and the entrypoint that applies migrations and then becomes
// the server with SERVER_NODE_FLAGS, so the image and `npm start` cannot drift apart.
import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildSync } from "esbuild";
import { buildIfNeeded, REPO, SERVER_BUNDLE, SERVER_NODE_FLAGS } from "../app-server";

const MIGRATE_BUNDLE = join(REPO, ".next", "node-rescue-migrate.mjs");
const ENTRYPOINT = join(REPO, ".next", "node-rescue-entrypoint.sh");

/** The image's entrypoint: its arguments are the server's (the chart passes --host and --port). */
const entrypointScript = (opts: { dir: string; nodeFlags: string[] }) =>
  [
    "#!/bin/sh",
    "# Written by scripts/image/build-app.ts. Pending migrations first; then exec, so node is PID 1",
    "# and receives SIGTERM itself.",
    "set -e",
    `cd ${opts.dir}`,
    `node .next/${MIGRATE_BUNDLE.split("/").at(-1)}`,
    `exec node ${opts.nodeFlags.join(" ")} .next/${SERVER_BUNDLE.split("/").at(-1)} --dir ${opts.dir} "$@"`,
    "",
  ].join("\n");

function main() {
  buildIfNeeded({ force: true, log: console.log });
  // Run as a file, scripts/migrate.ts migrates DATABASE_URL; it finds the repository (prisma/,
  // node_modules/prisma) one directory up from itself, as from .next/.
  buildSync({
    entryPoints: [join(REPO, "scripts", "migrate.ts")],
    outfile: MIGRATE_BUNDLE,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    logLevel: "warning",
    packages: "external",
  });
  writeFileSync(ENTRYPOINT, entrypointScript({ dir: REPO, nodeFlags: SERVER_NODE_FLAGS }));
  chmodSync(ENTRYPOINT, 0o755);
}

main();
