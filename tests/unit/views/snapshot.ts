// A monitor snapshot for the view tests: a verdict (or none yet), the pods it was judged with, and
// the fixed cluster/connection around them.
import type { V1Node, V1Pod, V1VolumeAttachment } from "@kubernetes/client-node";
import type { TClusterHealth } from "@/lib/health";
import type { TSnapshot } from "@/lib/monitor/snapshot";
import { ago, iso, MINUTE, NOW } from "../health/fixtures";

/** One array for every snapshot, as the cache hands out while no VolumeAttachment changes. */
const NO_ATTACHMENTS: readonly V1VolumeAttachment[] = [];

export function snapshotOf(options: {
  health: TClusterHealth | null;
  pods?: readonly V1Pod[];
  nodes?: readonly V1Node[];
  /** When the verdict was computed (healthAt and generatedAt). */
  at?: Date;
  version?: number;
  volumeAttachments?: readonly V1VolumeAttachment[];
}): TSnapshot {
  const at = options.at ?? NOW;
  const podsByNode = new Map<string, V1Pod[]>();
  for (const p of options.pods ?? []) {
    const node = p.spec?.nodeName ?? "";
    podsByNode.set(node, [...(podsByNode.get(node) ?? []), p]);
  }
  return {
    version: options.version ?? 1,
    generatedAt: iso(at),
    cluster: { name: "test", server: "https://127.0.0.1:6443", source: "kubeconfig", context: "lab" },
    connection: { status: "connected", since: ago(10 * MINUTE), serverVersion: "v1.20.2" },
    policyVersions: { pdb: "v1beta1", eviction: "v1beta1" },
    health: options.health,
    healthAt: options.health ? iso(at) : null,
    podsByNode,
    nodeObjects: new Map((options.nodes ?? []).map((n) => [n.metadata?.name ?? "", n])),
    volumeAttachments: options.volumeAttachments ?? NO_ATTACHMENTS,
  };
}
