// Once per server process, before the first request: says where sign-in takes its origin from
// (when NODE_RESCUE_BASE_URL is unset) and starts the cluster monitor.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { env } = await import("./lib/env");
  const { baseUrlWarning } = await import("./lib/auth/base-url");
  const warning = baseUrlWarning(env());
  if (warning) console.warn(warning);
  const { ensureMonitorStarted } = await import("./lib/monitor/instance");
  ensureMonitorStarted();
}
