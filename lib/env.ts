// The only module that reads process.env. Parsing is lazy (first call to `env()`), so importing
// this file never throws because some unrelated variable is missing.
//
// No `import "server-only"` here: prisma.config.ts (Prisma CLI), tsx scripts and vitest import
// this module outside Next's React Server bundling, where `server-only` throws.
import path from "node:path";
import { z } from "zod";
import { forget, remember } from "./remember";

const DEFAULT_DATABASE_FILE = "data/node-rescue.db";

/**
 * Normalises a SQLite URL to an absolute `file:` URL. Relative paths (`file:./x.db`, `file:x.db`)
 * are resolved against process.cwd(): every entry point (next start, tsx scripts, vitest, the
 * Prisma CLI) runs from the repository root. Non-`file:` URLs (PostgreSQL later) pass through.
 */
export const resolveDatabaseUrl = (url: string, cwd: string = process.cwd()): string => {
  if (!url.startsWith("file:")) return url;
  const target = url.slice("file:".length);
  if (target === ":memory:" || path.isAbsolute(target)) return url;
  return `file:${path.resolve(cwd, target)}`;
};

/** The file path of a `file:` SQLite URL, or null for `:memory:` and non-SQLite URLs. */
export const sqliteFilePath = (url: string): string | null => {
  if (!url.startsWith("file:")) return null;
  const target = url.slice("file:".length).split("?")[0] ?? "";
  return target === "" || target === ":memory:" ? null : target;
};

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === "" ? undefined : value))
  .optional();

export const ZServerEnv = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  DATABASE_URL: z
    .string()
    .trim()
    .min(1)
    .default(`file:./${DEFAULT_DATABASE_FILE}`)
    .refine((url) => /^(file|postgres(ql)?):/.test(url), {
      message: "DATABASE_URL must start with file: (SQLite) or postgresql:",
    })
    .transform((url) => resolveDatabaseUrl(url)),
  KUBECONFIG: optionalString,
  KUBE_CONTEXT: optionalString,
  NODE_RESCUE_CLUSTER_NAME: z.string().trim().min(1).default("default"),
  PORT: z.coerce.number().int().min(1).max(65_535).default(3000),
});

export type TServerEnv = z.infer<typeof ZServerEnv>;

type TEnvSource = Record<string, string | undefined>;

/** Parses an env-like record; throws one readable error listing every bad variable. */
export const parseEnv = (source: TEnvSource): TServerEnv => {
  const result = ZServerEnv.safeParse(source);
  if (!result.success) {
    throw new Error(`Invalid environment:\n${z.prettifyError(result.error)}`);
  }
  return result.data;
};

/** The validated environment, parsed once per process on first use. */
export const env = (): TServerEnv => remember("env", () => parseEnv(process.env));

/** Forget the cached parse (tests that change process.env). */
export const resetEnvCache = (): void => forget("env");

/**
 * Ensures process.env.DATABASE_URL holds the resolved absolute URL, for tools that read it
 * themselves: the Prisma CLI evaluates `env("DATABASE_URL")` in schema.prisma, and
 * scripts/migrate.ts passes it to the CLI child process.
 */
export const exportDatabaseUrl = (): string => {
  const url = env().DATABASE_URL;
  process.env.DATABASE_URL = url;
  return url;
};
