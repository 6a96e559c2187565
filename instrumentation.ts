// Starts the cluster monitor once per server process, before the first request.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { ensureMonitorStarted } = await import("./lib/monitor/instance");
  ensureMonitorStarted();
}
