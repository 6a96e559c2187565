// This process's leadership, from the environment: with NODE_RESCUE_LEADER_ELECTION off (one
// replica) it always leads; on, it runs for the Lease NODE_RESCUE_LEADER_LEASE_NAME in node-rescue's
// namespace, as "<instance name>_<Instance id>", and a holder whose Instance row says it is gone
// is replaced at once.
import { existsSync, readFileSync } from "node:fs";
import type { KubeConfig } from "@kubernetes/client-node";
import type { TDb } from "@/lib/db";
import type { TServerEnv } from "@/lib/env";
import { isInstanceGone, type TSelf } from "@/lib/instance/instance";
import { instanceIdOf, leaderIdentity } from "./decide";
import { alwaysLeader, startLeaderElection, type TLeaderElection } from "./elector";

const SERVICE_ACCOUNT_NAMESPACE = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";

/** NODE_RESCUE_NAMESPACE, else the pod's own namespace, else "default". */
export function leaseNamespace(e: Pick<TServerEnv, "NODE_RESCUE_NAMESPACE">, file = SERVICE_ACCOUNT_NAMESPACE): string {
  if (e.NODE_RESCUE_NAMESPACE) return e.NODE_RESCUE_NAMESPACE;
  return existsSync(file) ? readFileSync(file, "utf8").trim() || "default" : "default";
}

export function startLeadership(options: { e: TServerEnv; kc: KubeConfig; db: TDb; self: TSelf }): TLeaderElection {
  const { e, kc, db, self } = options;
  const identity = leaderIdentity(self.host, self.id);
  if (!e.NODE_RESCUE_LEADER_ELECTION) return alwaysLeader(identity);
  const leaseSeconds = e.NODE_RESCUE_LEADER_LEASE_SECONDS;
  return startLeaderElection({
    kc,
    namespace: leaseNamespace(e),
    name: e.NODE_RESCUE_LEADER_LEASE_NAME,
    identity,
    // client-go's proportions: 15 s Lease, 10 s renew deadline, 2 s between tries.
    timings: { leaseSeconds, renewDeadlineSeconds: (leaseSeconds * 2) / 3, retrySeconds: Math.max(1, leaseSeconds / 7.5) },
    isHolderGone: async (holder) => {
      const id = instanceIdOf(holder);
      if (!id) return false; // not one of ours: wait for its Lease to expire
      const row = await db.instance.findUnique({ where: { id } });
      return row !== null && isInstanceGone(row, self, new Date());
    },
  });
}
