// O(1) lookups of workload objects by namespace/name. Evaluations look up an owner for every
// pod: a linear search per pod is quadratic on a large cluster. The index is built once per list
// (the cache hands out a new array per evaluation) and remembered with the array.
import type { V1ObjectMeta } from "@kubernetes/client-node";

const indexes = new WeakMap<readonly unknown[], Map<string, unknown>>();

export const nsNameKey = (namespace: string | undefined, name: string | undefined) => `${namespace ?? ""}/${name ?? ""}`;

export function findByNsName<T extends { metadata?: V1ObjectMeta }>(
  list: readonly T[] | undefined,
  namespace: string | undefined,
  name: string | undefined,
): T | undefined {
  if (!list) return undefined;
  let index = indexes.get(list) as Map<string, T> | undefined;
  if (!index) {
    index = new Map(list.map((o) => [nsNameKey(o.metadata?.namespace, o.metadata?.name), o]));
    indexes.set(list, index);
  }
  return index.get(nsNameKey(namespace, name));
}
