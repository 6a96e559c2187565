// The postgres project's database: one private PostgreSQL server (Debian's package, loopback
// port, temporary directory) for the whole run, and a template database migrated once with the
// same scripts/migrate.ts the app runs; tests/helpers/database.ts copies it for each test file.
import type { TestProject } from "vitest/node";
import { startPostgres } from "@/scripts/db/postgres-server";
import { migrateDatabase } from "@/scripts/migrate";

const TEMPLATE = "node_rescue_template";

export default async function setup(project: TestProject) {
  const server = await startPostgres({ log: console.log });
  try {
    server.sql(`CREATE DATABASE ${TEMPLATE}`);
    await migrateDatabase({ url: server.url(TEMPLATE), quiet: true });
  } catch (error) {
    server.stop();
    throw error;
  }
  project.provide("postgresServer", server.url("").replace(/\/$/, ""));
  project.provide("postgresTemplate", TEMPLATE);
  return () => server.stop();
}
