// Whether another tool is repairing a node, so auto-repair leaves it alone and says so:
// - medik8s (NodeHealthCheck and its remediators) holds a Lease "node-<name>" in the
//   medik8s-leases namespace while it remediates the node;
// - Cluster API remediates a Machine: the Node's cluster.x-k8s.io/machine and
//   cluster-namespace annotations name it, and MachineHealthCheck marks it with the
//   cluster.x-k8s.io/remediate-machine annotation (or deletes it).
// Read from the API server when a node qualifies (neither is in the watch cache). A 404 (no
// such Lease or Machine, no such API) means no; an error we cannot interpret is logged and
// counts as no, so a missing permission cannot stall every repair.
import "server-only";
import { CoordinationV1Api, CustomObjectsApi, type KubeConfig, type V1Node } from "@kubernetes/client-node";
import { abortableCall } from "@/lib/k8s/call-options";
import { k8sStatusOf } from "@/lib/k8s/errors";

export const MEDIK8S_LEASE_NAMESPACE = "medik8s-leases";
const CAPI_MACHINE = "cluster.x-k8s.io/machine";
const CAPI_NAMESPACE = "cluster.x-k8s.io/cluster-namespace";
const CAPI_REMEDIATE = "cluster.x-k8s.io/remediate-machine";

const missing = (err: unknown) => k8sStatusOf(err).code === 404;
/** Each kind of failure is logged once per process, not on every tick (a missing permission stays missing). */
const warned = new Set<string>();

async function medik8sHolder(kc: KubeConfig, node: string, now: Date, signal: AbortSignal): Promise<string | null> {
  const lease = await kc
    .makeApiClient(CoordinationV1Api)
    .readNamespacedLease({ name: `node-${node}`, namespace: MEDIK8S_LEASE_NAMESPACE }, abortableCall(signal));
  const { holderIdentity, renewTime, acquireTime, leaseDurationSeconds } = lease.spec ?? {};
  if (!holderIdentity) return null;
  const renewed = renewTime ?? acquireTime;
  const expires = renewed ? new Date(renewed).getTime() + (leaseDurationSeconds ?? 0) * 1000 : null;
  if (expires !== null && expires < now.getTime()) return null;
  return `medik8s holds the Lease ${MEDIK8S_LEASE_NAMESPACE}/node-${node} (holder ${holderIdentity})`;
}

async function clusterApiRemediation(kc: KubeConfig, node: V1Node, signal: AbortSignal): Promise<string | null> {
  const annotations = node.metadata?.annotations ?? {};
  const name = annotations[CAPI_MACHINE];
  const namespace = annotations[CAPI_NAMESPACE];
  if (!name || !namespace) return null;
  const machine = (await kc
    .makeApiClient(CustomObjectsApi)
    .getNamespacedCustomObject(
      { group: "cluster.x-k8s.io", version: "v1beta1", namespace, plural: "machines", name },
      abortableCall(signal),
    )) as { metadata?: { annotations?: Record<string, string>; deletionTimestamp?: string } };
  if (machine.metadata?.deletionTimestamp) return `Cluster API is deleting its Machine ${namespace}/${name}`;
  if (machine.metadata?.annotations?.[CAPI_REMEDIATE] !== undefined) return `Cluster API is remediating its Machine ${namespace}/${name}`;
  return null;
}

/** Who else is repairing `node`, in a sentence, or null. */
export async function otherToolRepairing(opts: {
  kc: KubeConfig;
  node: V1Node;
  now: Date;
  signal: AbortSignal;
  log?: (message: string) => void;
}): Promise<string | null> {
  const name = opts.node.metadata?.name ?? "";
  const log = opts.log ?? ((m: string) => console.warn(`[node-rescue] ${m}`));
  const checks = [
    ["medik8s", () => medik8sHolder(opts.kc, name, opts.now, opts.signal)],
    ["Cluster API", () => clusterApiRemediation(opts.kc, opts.node, opts.signal)],
  ] as const;
  for (const [tool, check] of checks) {
    try {
      const found = await check();
      if (found) return found;
    } catch (err) {
      const status = k8sStatusOf(err);
      if (missing(err) || warned.has(`${tool}/${status.code}`)) continue;
      warned.add(`${tool}/${status.code}`);
      log(`auto-repair: could not tell whether ${tool} is repairing ${name} (logged once): ${status.message}`);
    }
  }
  return null;
}
