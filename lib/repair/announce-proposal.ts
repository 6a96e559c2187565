// A proposal is news: it joins the node's open incident as a `repair.proposed` event, and so the
// notification outbox (Slack, CloudEvents; PagerDuty keeps to trigger/resolve). Called when a
// proposal is made and again on every tick it waits: the event's dedupKey (run and step) makes
// the repeats no-ops, so a crash between the decision and the event loses nothing.
import "server-only";
import type { RepairRun } from "@/generated/prisma/client";
import { insertIncidentEvents } from "@/lib/incidents/insert-events";
import type { TTick } from "./tick";

export async function announceProposal(t: Pick<TTick, "db" | "cluster" | "now">, run: RepairRun, message: string): Promise<void> {
  const open = await t.db.incident.findMany({ where: { cluster: t.cluster, closedAt: null }, select: { id: true } });
  if (open.length === 0) return;
  const member = await t.db.incidentNode.findFirst({
    where: { cluster: t.cluster, node: run.node, incidentId: { in: open.map((i) => i.id) } },
    orderBy: { incidentId: "desc" },
    select: { incidentId: true },
  });
  if (!member) return;
  const ladder = (JSON.parse(run.policy) as { ladder?: { action: string }[] }).ladder ?? [];
  await t.db.$transaction((tx) =>
    insertIncidentEvents(tx, t.cluster, [
      {
        incidentId: member.incidentId,
        event: {
          type: "repair.proposed",
          at: t.now,
          dedupKey: `repair-proposed:${run.id}:${run.step}`,
          payload: {
            runId: run.id,
            policy: run.policyName,
            node: run.node,
            steps: ladder.slice(run.step).map((s) => s.action),
            cause: run.cause,
            message,
          },
        },
      },
    ]),
  );
}
