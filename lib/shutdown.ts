// Work that must run when the server stops on purpose (SIGTERM): the server started by
// scripts/server.ts runs every hook before it exits. Kept on globalThis: the server and Next's
// bundles load their own copies of this module in one process.
import { remember } from "@/lib/remember";

const hooks = () => remember("shutdown-hooks", () => [] as Array<() => Promise<void>>);

export const onShutdown = (hook: () => Promise<void>): void => {
  hooks().push(hook);
};

/** Runs every hook, each at most `timeoutMs`; failures are logged, never thrown. */
export async function runShutdownHooks(timeoutMs = 2_000): Promise<void> {
  await Promise.all(
    hooks().map((hook) =>
      Promise.race([hook(), new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref())]).catch((err: unknown) =>
        console.error("[node-rescue] a shutdown hook failed", err),
      ),
    ),
  );
}
