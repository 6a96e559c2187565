// The node page's out-of-service block: the taint on the node, who applied it through node-rescue
// (the OutOfServiceTaint row, open until removed) and whether it may come off yet — the same rule
// (outOfServiceRelease) the removal gate enforces on the server.
import type { TDb } from "@/lib/db";
import type { TSnapshot } from "@/lib/monitor/snapshot";
import { OUT_OF_SERVICE_TAINT } from "./catalog";
import { outOfServiceRelease, releaseBlockers, type TOutOfServiceRelease } from "./out-of-service";

export type TOutOfServiceStatus = {
  /** When the API server recorded the taint (NoExecute taints carry timeAdded). */
  since: string | null;
  /** Applied through node-rescue: by whom, when, which attempt (audit). Null when applied elsewhere. */
  tracked: { appliedBy: string; appliedAt: string; actionId: string } | null;
  release: TOutOfServiceRelease;
  /** What still keeps the taint on; empty once removal is proposed. */
  blockers: string[];
};

/** Null when the node carries no out-of-service taint. */
export async function outOfServiceStatus(opts: { db: TDb; snapshot: TSnapshot; node: string }): Promise<TOutOfServiceStatus | null> {
  const { snapshot, node: name } = opts;
  const node = snapshot.health?.nodes.find((n) => n.name === name);
  const taint = node?.taints.find((t) => t.key === OUT_OF_SERVICE_TAINT.key);
  if (!node || !taint) return null;
  const row = await opts.db.outOfServiceTaint.findFirst({
    where: { cluster: snapshot.cluster.name, node: name, removedAt: null },
    orderBy: { appliedAt: "desc" },
  });
  const release = outOfServiceRelease({ node, pods: snapshot.podsByNode.get(name) ?? [], volumeAttachments: snapshot.volumeAttachments });
  return {
    since: taint.timeAdded,
    tracked: row ? { appliedBy: row.appliedBy, appliedAt: row.appliedAt.toISOString(), actionId: row.actionId } : null,
    release,
    blockers: releaseBlockers(release),
  };
}
