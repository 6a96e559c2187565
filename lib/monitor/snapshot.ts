// What the monitor publishes after each evaluation: the cluster's health from one consistent
// read of the cache, the connection state, and indexes the API views need.
import type { V1Node, V1Pod, V1VolumeAttachment } from "@kubernetes/client-node";
import type { TClusterHealth } from "@/lib/health";
import type { TConnection } from "@/lib/k8s/cluster-cache";
import type { TPolicyVersions } from "@/lib/k8s/resources";

export type TClusterInfo = { name: string; server: string; source: "kubeconfig" | "in-cluster"; context: string };

export type TSnapshot = {
  /** Increases with every published snapshot; clients use it to skip stale ones. */
  version: number;
  generatedAt: string;
  cluster: TClusterInfo;
  connection: TConnection;
  /** The policy versions the server serves (PDBs, Evictions); null until discovered. */
  policyVersions: TPolicyVersions | null;
  /** null until the first full sync; kept (stale) while disconnected. */
  health: TClusterHealth | null;
  /** When `health` was computed (differs from generatedAt while disconnected). */
  healthAt: string | null;
  podsByNode: ReadonlyMap<string, readonly V1Pod[]>;
  /** The Node objects behind `health`, for conditions, labels and annotations. */
  nodeObjects: ReadonlyMap<string, V1Node>;
  /** The VolumeAttachments read with `health` (a new array only when one changed). */
  volumeAttachments: readonly V1VolumeAttachment[];
};
