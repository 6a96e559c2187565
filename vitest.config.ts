import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));

/** What runs on PostgreSQL too (the whole integration suite twice does not fit CI's budget). */
const POSTGRES_FILES = [
  "tests/integration/db/{record,list,instances,anonymous-refusals}.test.ts",
  "tests/integration/audit/*.test.ts",
  "tests/integration/auth/users.test.ts",
  "tests/integration/notifications/outbox.test.ts",
  "tests/integration/incidents/seed-incident.test.ts",
  "tests/integration/remediation/remediation.test.ts",
  "tests/integration/security/attacks.test.ts",
  "tests/integration/leader/failover.test.ts",
  "tests/postgres/*.test.ts",
];

export default defineConfig({
  // server-only throws outside Next's server bundles; in tests these modules run in plain Node.
  resolve: { alias: { "@": root, "server-only": `${root}node_modules/server-only/empty.js` } },
  test: {
    projects: [
      {
        extends: true,
        test: { name: "unit", include: ["tests/unit/**/*.test.ts"], environment: "node" },
      },
      {
        extends: true,
        // Each integration file brings up its own lab; two cores run them one at a time.
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          globalSetup: ["tests/global-setup.ts"],
          environment: "node",
          fileParallelism: false,
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
      {
        extends: true,
        // The integration files whose database work differs on PostgreSQL (raw SQL, transactions,
        // unique keys under concurrency, the outbox, locks, reconciliation, better-auth, the
        // leader failover), run again on a private PostgreSQL server.
        test: {
          name: "postgres",
          include: POSTGRES_FILES,
          globalSetup: ["tests/global-setup.ts", "tests/global-setup-postgres.ts"],
          environment: "node",
          fileParallelism: false,
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
      {
        extends: true,
        // The suites on the modern control plane (integration and e2e alike), run last: its
        // binaries are built in the background while the 1.20 suites run.
        test: {
          name: "modern",
          include: ["tests/modern/**/*.test.ts"],
          globalSetup: ["tests/global-setup-modern.ts"],
          environment: "node",
          fileParallelism: false,
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["tests/e2e/**/*.test.ts"],
          globalSetup: ["tests/global-setup.ts"],
          environment: "node",
          fileParallelism: false,
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
