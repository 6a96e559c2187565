// The only module that reads process.env. Parsing is lazy (first call to `env()`), so importing
// this file never throws because some unrelated variable is missing.
//
// No `import "server-only"` here: prisma.config.ts (Prisma CLI), tsx scripts and vitest import
// this module outside Next's React Server bundling, where `server-only` throws.
import path from "node:path";
import { z } from "zod";
import { remember } from "./remember";

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

export const ZServerEnv = z
  .object({
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
    /** In-cluster detection (set by the kubelet in every pod). */
    KUBERNETES_SERVICE_HOST: optionalString,
    /** Several replicas: "on" elects one leader through a Lease (lib/leader); "off" (one replica) always leads. */
    NODE_RESCUE_LEADER_ELECTION: z
      .enum(["on", "off", "true", "false", "1", "0"])
      .default("off")
      .transform((value) => value === "on" || value === "true" || value === "1"),
    /** The Lease's namespace; default: the pod's own (service-account namespace file), else "default". */
    NODE_RESCUE_NAMESPACE: optionalString,
    NODE_RESCUE_LEADER_LEASE_NAME: z.string().trim().min(1).default("node-rescue-leader"),
    /** client-go's 15 s: a dead leader is replaced this long after its last renewal was seen. */
    NODE_RESCUE_LEADER_LEASE_SECONDS: z.coerce.number().int().min(3).max(300).default(15),
    /** This replica's name in the Lease and the Instance table; default: the hostname (the pod's name). */
    NODE_RESCUE_INSTANCE_NAME: optionalString,
    /** Safety gates (lib/remediation/gates.ts): dead-node actions need NotReady/Unknown this long. */
    NODE_RESCUE_DEAD_AFTER_SECONDS: z.coerce.number().int().min(0).default(300),
    /** Storm/partition guard: more unhealthy workers than this, or a larger share of nodes, locks dead-node actions. */
    NODE_RESCUE_STORM_MAX_WORKERS: z.coerce.number().int().min(0).default(1),
    NODE_RESCUE_STORM_MAX_SHARE: z.coerce.number().min(0).max(1).default(0.3),
    /** A watch reconnect within this window also locks dead-node actions (possible partition). */
    NODE_RESCUE_FLAP_WINDOW_SECONDS: z.coerce.number().int().min(0).default(600),
    /** Incidents (lib/incidents): a node going unhealthy this soon after an incident opened joins it. */
    NODE_RESCUE_INCIDENT_WINDOW_SECONDS: z.coerce.number().int().min(0).max(86_400).default(120),
    /** GET /metrics without credentials (for in-cluster scrapers behind a NetworkPolicy). */
    NODE_RESCUE_METRICS_PUBLIC: optionalString.transform((value) => value === "1" || value === "true"),
    /**
     * Signs session cookies (better-auth's secret). Unset: one is generated on first start and
     * kept next to the SQLite file (lib/auth/secret.ts). Never sent to the browser.
     */
    NODE_RESCUE_SECRET: optionalString.refine((value) => value === undefined || value.length >= 32, {
      message: "NODE_RESCUE_SECRET must be at least 32 characters (e.g. `openssl rand -base64 48`)",
    }),
    /** Notifications (lib/notifications/notifier.ts): the first retry's delay; each next one doubles, up to the cap. */
    NODE_RESCUE_NOTIFY_BACKOFF_MS: z.coerce.number().int().min(1).default(5_000),
    NODE_RESCUE_NOTIFY_BACKOFF_CAP_MS: z.coerce.number().int().min(1).default(600_000),
    /** A delivery is given up (status "failed") after this many attempts or this long after its event. */
    NODE_RESCUE_NOTIFY_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(20),
    NODE_RESCUE_NOTIFY_GIVE_UP_SECONDS: z.coerce.number().int().min(1).default(86_400),
    /** Each request's deadline. */
    NODE_RESCUE_NOTIFY_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
    /** Auto-repair (lib/repair/engine.ts): how often the engine looks at the cluster. */
    NODE_RESCUE_REPAIR_TICK_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
    /** The storm breaker trips when more than this share of all nodes went unhealthy within the window. */
    NODE_RESCUE_REPAIR_BREAKER_SHARE: z.coerce.number().min(0).max(1).default(0.3),
    NODE_RESCUE_REPAIR_BREAKER_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
    /** The node label naming a failure domain: a wholly dead domain is a partition (propose only). */
    NODE_RESCUE_FAILURE_DOMAIN_LABEL: z.string().trim().min(1).default("topology.kubernetes.io/zone"),
    /** The dashboard's public URL (sign-in redirects, OIDC callback); unset: taken from each request. */
    NODE_RESCUE_BASE_URL: optionalString.pipe(z.url().optional()),
    /**
     * Reverse proxies whose X-Forwarded-For / -Proto / -Host are believed (addresses or CIDR
     * ranges, comma-separated; checked by lib/http/client-address.ts). Unset: the socket address.
     */
    NODE_RESCUE_TRUSTED_PROXIES: optionalString,
    /** `npm run demo` sets it: the login page then shows the demo users' credentials. */
    NODE_RESCUE_DEMO: optionalString.transform((value) => value === "1" || value === "true"),
    /** Optional OIDC sign-in (better-auth generic OAuth); all of ISSUER, CLIENT_ID, CLIENT_SECRET or none. */
    NODE_RESCUE_OIDC_ISSUER: optionalString.pipe(z.url().optional()),
    NODE_RESCUE_OIDC_CLIENT_ID: optionalString,
    NODE_RESCUE_OIDC_CLIENT_SECRET: optionalString,
    NODE_RESCUE_OIDC_GROUPS_CLAIM: optionalString.transform((value) => value ?? "groups"),
    NODE_RESCUE_OIDC_SCOPES: optionalString.transform((value) => value ?? "openid email profile groups"),
    /** "idp-group=role,…" (roles viewer|operator|admin); a user in no mapped group is a viewer. */
    NODE_RESCUE_OIDC_ROLE_MAP: optionalString,
  })
  .superRefine((e, ctx) => {
    const oidc = [e.NODE_RESCUE_OIDC_ISSUER, e.NODE_RESCUE_OIDC_CLIENT_ID, e.NODE_RESCUE_OIDC_CLIENT_SECRET];
    if (oidc.some(Boolean) && !oidc.every(Boolean)) {
      ctx.addIssue({
        code: "custom",
        path: ["NODE_RESCUE_OIDC_ISSUER"],
        message: "OIDC needs all of NODE_RESCUE_OIDC_ISSUER, NODE_RESCUE_OIDC_CLIENT_ID and NODE_RESCUE_OIDC_CLIENT_SECRET",
      });
    }
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
