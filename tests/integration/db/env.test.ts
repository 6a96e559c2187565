// lib/env.ts is pure enough to test here, next to the database it configures.
import path from "node:path";
import { describe, expect, test } from "vitest";
import { parseEnv, resolveDatabaseUrl, sqliteFilePath } from "@/lib/env";

describe("env", () => {
  test("defaults: data/node-rescue.db under the working directory, cluster 'default', port 3000", () => {
    const parsed = parseEnv({});
    expect(parsed.DATABASE_URL).toBe(`file:${path.resolve("data/node-rescue.db")}`);
    expect(parsed).toMatchObject({ NODE_RESCUE_CLUSTER_NAME: "default", PORT: 3000 });
    expect(parsed.KUBECONFIG).toBeUndefined();
  });

  test("relative file: URLs resolve against the cwd; absolute and :memory: pass through", () => {
    expect(resolveDatabaseUrl("file:./x/y.db", "/srv/app")).toBe("file:/srv/app/x/y.db");
    expect(resolveDatabaseUrl("file:y.db", "/srv/app")).toBe("file:/srv/app/y.db");
    expect(resolveDatabaseUrl("file:/abs/y.db", "/srv/app")).toBe("file:/abs/y.db");
    expect(resolveDatabaseUrl("file::memory:", "/srv/app")).toBe("file::memory:");
    expect(sqliteFilePath("file:/abs/y.db")).toBe("/abs/y.db");
    expect(sqliteFilePath("file::memory:")).toBeNull();
  });

  test("bad values fail with every variable named; empty optionals are unset", () => {
    expect(() => parseEnv({ PORT: "http", DATABASE_URL: "mysql://x" })).toThrow(/PORT[\s\S]*DATABASE_URL|DATABASE_URL[\s\S]*PORT/);
    expect(parseEnv({ KUBECONFIG: "", PORT: "8080" })).toMatchObject({ KUBECONFIG: undefined, PORT: 8080 });
  });
});
