// Process-wide singletons. Next.js may evaluate a module more than once in one server (route
// bundles, instrumentation), so long-lived state lives on globalThis under a well-known key.
const store = globalThis as unknown as { __nodeRescue?: Map<string, unknown> };

export function remember<T>(key: string, create: () => T): T {
  store.__nodeRescue ??= new Map();
  if (!store.__nodeRescue.has(key)) store.__nodeRescue.set(key, create());
  return store.__nodeRescue.get(key) as T;
}

export function forget(key: string) {
  store.__nodeRescue?.delete(key);
}
