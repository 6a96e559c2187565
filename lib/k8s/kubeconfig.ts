// Loads cluster credentials explicitly: KUBECONFIG (and optional context), else the in-cluster
// service account. Never KubeConfig.loadFromDefault(), which silently falls back to localhost:8080.

import { existsSync } from "node:fs";
import { KubeConfig } from "@kubernetes/client-node";

const SERVICE_ACCOUNT_TOKEN = "/var/run/secrets/kubernetes.io/serviceaccount/token";

export class ClusterConfigError extends Error {
  override name = "ClusterConfigError";
}

export type TClusterConnection = { kc: KubeConfig; source: "kubeconfig" | "in-cluster"; server: string; context: string };

export function loadClusterConfig(opts: { kubeconfig?: string; context?: string; inClusterHost?: string }): TClusterConnection {
  const kc = new KubeConfig();
  if (opts.kubeconfig) {
    if (!existsSync(opts.kubeconfig)) throw new ClusterConfigError(`KUBECONFIG points to ${opts.kubeconfig}, which does not exist`);
    try {
      kc.loadFromFile(opts.kubeconfig);
    } catch (err) {
      throw new ClusterConfigError(`cannot read the kubeconfig ${opts.kubeconfig}: ${err instanceof Error ? err.message : err}`);
    }
    if (opts.context) {
      if (!kc.getContextObject(opts.context)) {
        const known =
          kc
            .getContexts()
            .map((c) => c.name)
            .join(", ") || "none";
        throw new ClusterConfigError(`context "${opts.context}" is not in ${opts.kubeconfig} (contexts: ${known})`);
      }
      kc.setCurrentContext(opts.context);
    }
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new ClusterConfigError(`the kubeconfig ${opts.kubeconfig} has no current context with a cluster`);
    return { kc, source: "kubeconfig", server: cluster.server, context: kc.getCurrentContext() };
  }
  if (opts.inClusterHost && existsSync(SERVICE_ACCOUNT_TOKEN)) {
    kc.loadFromCluster();
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new ClusterConfigError("in-cluster configuration produced no cluster");
    return { kc, source: "in-cluster", server: cluster.server, context: "in-cluster" };
  }
  throw new ClusterConfigError(
    "no cluster is configured: set KUBECONFIG to a kubeconfig file (and KUBE_CONTEXT to pick a context), " +
      "or run node-rescue inside the cluster with a service account. `npm run demo` starts a built-in lab cluster.",
  );
}
