// The workload and stuck-pod facts of one evaluation, written in multi-row statements inside the
// recorder's transaction: a 5,000-node storm follows 30,000 pods, so one statement per row would
// hold the write lock for seconds. Plain SQL with quoted identifiers and ON CONFLICT, which
// SQLite and PostgreSQL both accept.
import { Prisma } from "@/generated/prisma/client";
import type { TWorkloadChange } from "./plan-workload-changes";
import type { TNewStuckPod, TTrackedPod } from "./track-stuck-pods";
import type { TWorkloadState } from "./types";

const CHUNK = 300;

function* chunks<T>(items: readonly T[]): Generator<T[]> {
  for (let i = 0; i < items.length; i += CHUNK) yield items.slice(i, i + CHUNK);
}

export type TWorkloadRow = TWorkloadChange & { seq: number | null };

/**
 * The WorkloadTransition rows (for changes whose seq is set: the state differs from the last one
 * recorded) and the IncidentWorkload rows of `changes`, all observed at `now`.
 */
export async function writeWorkloadChanges(tx: Prisma.TransactionClient, cluster: string, changes: readonly TWorkloadRow[], now: Date) {
  const transitions = changes.filter((c) => c.seq !== null);
  for (const batch of chunks(transitions)) {
    const values = batch.map(
      (c) =>
        Prisma.sql`(${cluster}, ${c.ref.kind}, ${c.ref.namespace}, ${c.ref.name}, ${c.seq}, ${c.lastRecorded}, ${c.reading.state},
          ${c.reading.desired}, ${c.reading.ready}, ${now}, ${c.incidentId})`,
    );
    await tx.$executeRaw(Prisma.sql`
      INSERT INTO "WorkloadTransition" ("cluster", "kind", "namespace", "name", "seq", "fromState", "toState", "desired", "ready", "observedAt", "incidentId")
      VALUES ${Prisma.join(values)}
    `);
  }
  const hit = (s: TWorkloadState) => s === "down" || s === "degraded";
  for (const batch of chunks(changes)) {
    const values = batch.map((c) => {
      const { state, desired, ready } = c.reading;
      // On insert: first degraded now if it is; never whole yet. On update: the COALESCE and CASE below.
      const wholeAt = c.previous !== null && state === "whole" ? now : null;
      return Prisma.sql`(${c.incidentId}, ${cluster}, ${c.ref.kind}, ${c.ref.namespace}, ${c.ref.name}, ${state}, ${desired}, ${ready},
        ${now}, ${hit(state) ? now : null}, ${wholeAt})`;
    });
    await tx.$executeRaw(Prisma.sql`
      INSERT INTO "IncidentWorkload" ("incidentId", "cluster", "kind", "namespace", "name", "state", "desired", "ready", "affectedAt", "firstDegradedAt", "wholeAt")
      VALUES ${Prisma.join(values)}
      ON CONFLICT ("incidentId", "kind", "namespace", "name") DO UPDATE SET
        "state" = excluded."state", "desired" = excluded."desired", "ready" = excluded."ready",
        "firstDegradedAt" = COALESCE("IncidentWorkload"."firstDegradedAt", excluded."firstDegradedAt"),
        "wholeAt" = CASE WHEN excluded."state" = 'whole' THEN excluded."wholeAt" ELSE "IncidentWorkload"."wholeAt" END
    `);
  }
}

/** New stuck pods (a repeat is ignored) and the gone ones' goneAt. */
export async function writeStuckPods(
  tx: Prisma.TransactionClient,
  started: readonly TNewStuckPod[],
  gone: readonly TTrackedPod[],
  now: Date,
) {
  for (const batch of chunks(started)) {
    const values = batch.map(
      (p) =>
        Prisma.sql`(${p.incidentId}, ${p.podKey}, ${p.namespace}, ${p.name}, ${p.node}, ${p.ownerKind}, ${p.ownerName}, ${p.deletionAt}, ${now})`,
    );
    await tx.$executeRaw(Prisma.sql`
      INSERT INTO "IncidentPod" ("incidentId", "podKey", "namespace", "name", "node", "ownerKind", "ownerName", "deletionAt", "stuckSeenAt")
      VALUES ${Prisma.join(values)}
      ON CONFLICT ("incidentId", "podKey") DO NOTHING
    `);
  }
  const byIncident = new Map<number, string[]>();
  for (const p of gone) byIncident.set(p.incidentId, [...(byIncident.get(p.incidentId) ?? []), p.podKey]);
  for (const [incidentId, keys] of byIncident) {
    for (const batch of chunks(keys)) {
      await tx.$executeRaw(Prisma.sql`
        UPDATE "IncidentPod" SET "goneAt" = ${now}
        WHERE "incidentId" = ${incidentId} AND "goneAt" IS NULL AND "podKey" IN (${Prisma.join(batch)})
      `);
    }
  }
}
