// The open incidents of a cluster with their members, read inside the writer's transaction.
import type { Prisma } from "@/generated/prisma/client";
import { ZNodeState } from "@/lib/transitions/types";
import type { TMember, TOpenIncident } from "./plan-node-changes";

export async function loadOpenIncidents(tx: Prisma.TransactionClient, cluster: string): Promise<TOpenIncident[]> {
  const incidents = await tx.incident.findMany({ where: { cluster, closedAt: null }, orderBy: { id: "asc" } });
  if (incidents.length === 0) return [];
  const members = await tx.incidentNode.findMany({ where: { incidentId: { in: incidents.map((i) => i.id) } } });
  const byIncident = new Map<number, Map<string, TMember>>(incidents.map((i) => [i.id, new Map()]));
  for (const m of members) {
    byIncident.get(m.incidentId)?.set(m.node, {
      node: m.node,
      nodeUid: m.nodeUid,
      state: ZNodeState.parse(m.state),
      firstSignAt: m.firstSignAt,
      lastHeartbeatAt: m.lastHeartbeatAt,
      confirmedAt: m.confirmedAt,
      remediatedAt: m.remediatedAt,
      deletedAt: m.deletedAt,
      backAt: m.backAt,
      labels: JSON.parse(m.labels) as Record<string, string>,
      transitionId: m.transitionId,
    });
  }
  return incidents.map((i) => ({ id: i.id, openedAt: i.openedAt, confirmedAt: i.confirmedAt, members: byIncident.get(i.id) ?? new Map() }));
}
