import "server-only";
import { ensureMonitorStarted } from "@/lib/monitor/instance";

/**
 * Server component: when no cluster is configured, an explanation instead of an empty table.
 * Otherwise the live view (app/(dashboard)/layout.tsx subscribes every page to server-sent events).
 */
export function ClusterGate({ children }: { children: React.ReactNode }) {
  const state = ensureMonitorStarted();
  if (state.error) {
    return (
      <div
        className="mx-auto max-w-2xl rounded-lg border border-red-300 bg-red-50 p-6 text-red-900 dark:border-red-500/40 dark:bg-red-500/10 dark:text-red-200"
        data-testid="config-error"
      >
        <h1 className="text-lg font-semibold">No cluster to watch</h1>
        <p className="mt-2 text-sm">{state.error.message}</p>
        <pre className="mt-4 rounded bg-white/70 p-3 text-xs text-zinc-800 dark:bg-black/30 dark:text-zinc-200">
          KUBECONFIG=/path/to/kubeconfig npm start{"\n"}# or, with the built-in lab cluster:{"\n"}npm run demo
        </pre>
      </div>
    );
  }
  return children;
}
