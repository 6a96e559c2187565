// Notification endpoints: the admin's changes, each audited in the transaction that makes it (a
// diff in the message, masked before/after in the results), and the masked view the API returns.
// Secrets are written here and never leave the server in full.

import type { NotificationEndpoint } from "@/generated/prisma/client";
import { Prisma } from "@/generated/prisma/client";
import { ApiError } from "@/lib/api/errors";
import type { TAuditAttempt } from "@/lib/audit/write";
import { writeOutcome } from "@/lib/audit/write";
import type { TDb } from "@/lib/db";
import { formatSupports } from "./format";
import { maskSecret, maskUrl } from "./mask";
import type { TCreateEndpoint, TUpdateEndpoint } from "./schemas";
import { DEFAULT_EVENTS, PAGERDUTY_DEFAULT_URL, type TNotificationFormat, ZNotificationFormat } from "./types";

export type TEndpointView = {
  id: number;
  name: string;
  format: TNotificationFormat;
  enabled: boolean;
  events: string[];
  /** Masked for Slack and webhooks (the URL is the credential); PagerDuty's URL in full. */
  url: string;
  /** PagerDuty's routing key, masked; null for other formats. */
  routingKey: string | null;
  /** Whether a webhook signs its requests (the secret itself is never shown). */
  signed: boolean;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
};

export type TEndpointStats = {
  pending: number;
  delivered: number;
  failed: number;
  /** Failed deliveries of incident events (not test sends): what "retry failed" sends again. */
  retryable: number;
  lastAttemptAt: string | null;
  lastStatus: string | null;
  lastError: string | null;
};

const parseEvents = (json: string): string[] => {
  const v: unknown = JSON.parse(json);
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
};

export function endpointView(row: NotificationEndpoint): TEndpointView {
  const format = ZNotificationFormat.parse(row.format);
  return {
    id: row.id,
    name: row.name,
    format,
    enabled: row.enabled,
    events: parseEvents(row.events),
    url: format === "pagerduty" ? row.url : maskUrl(row.url),
    routingKey: format === "pagerduty" && row.secret ? maskSecret(row.secret) : null,
    signed: format === "cloudevents" && Boolean(row.secret),
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Every endpoint of the cluster with its delivery counts and latest attempt. */
export async function listEndpoints(db: TDb, cluster: string) {
  const rows = await db.notificationEndpoint.findMany({ where: { cluster }, orderBy: { id: "asc" } });
  const ids = rows.map((r) => r.id);
  const [counts, retryable, latest] = await Promise.all([
    db.notificationDelivery.groupBy({ by: ["endpointId", "status"], where: { endpointId: { in: ids } }, _count: { _all: true } }),
    db.notificationDelivery.groupBy({
      by: ["endpointId"],
      where: { endpointId: { in: ids }, status: "failed", eventId: { not: null } },
      _count: { _all: true },
    }),
    Promise.all(
      ids.map((endpointId) =>
        db.notificationDelivery.findFirst({ where: { endpointId, lastAttemptAt: { not: null } }, orderBy: { lastAttemptAt: "desc" } }),
      ),
    ),
  ]);
  return rows.map((row, i): TEndpointView & { stats: TEndpointStats } => {
    const count = (status: string) => counts.find((c) => c.endpointId === row.id && c.status === status)?._count._all ?? 0;
    const last = latest[i];
    return {
      ...endpointView(row),
      stats: {
        pending: count("pending"),
        delivered: count("delivered"),
        failed: count("failed"),
        retryable: retryable.find((c) => c.endpointId === row.id)?._count._all ?? 0,
        lastAttemptAt: last?.lastAttemptAt?.toISOString() ?? null,
        lastStatus: last?.status ?? null,
        lastError: last?.lastError ?? null,
      },
    };
  });
}

const eventsFor = (format: TNotificationFormat, chosen: readonly string[] | undefined) =>
  chosen ?? DEFAULT_EVENTS.filter((t) => formatSupports(format, t));

/** The readable difference between two views (secrets only as "changed"). */
export function describeChange(before: TEndpointView | null, after: TEndpointView | null, secretChanged = false): string {
  if (!before && after)
    return `created ${after.format} endpoint "${after.name}" → ${after.url}${after.routingKey ? ` (routing key ${after.routingKey})` : ""}, events ${after.events.join(", ")}${after.enabled ? "" : ", disabled"}${after.signed ? ", signed" : ""}`;
  if (before && !after) return `deleted ${before.format} endpoint "${before.name}" (${before.url})`;
  if (!before || !after) return "no change";
  const parts: string[] = [];
  const fields = ["name", "enabled", "url", "routingKey", "signed"] as const;
  for (const f of fields) if (before[f] !== after[f]) parts.push(`${f}: ${JSON.stringify(before[f])} → ${JSON.stringify(after[f])}`);
  if (before.events.join() !== after.events.join()) parts.push(`events: ${before.events.join(", ")} → ${after.events.join(", ")}`);
  if (secretChanged && before.signed === after.signed && before.routingKey === after.routingKey && before.url === after.url)
    parts.push("secret: changed");
  return parts.length ? `updated endpoint "${after.name}": ${parts.join("; ")}` : `updated endpoint "${after.name}": no change`;
}

const conflict = (err: unknown, name: string) =>
  err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002"
    ? new ApiError("conflict", `name: an endpoint named "${name}" exists already`)
    : err;

export async function createEndpoint(db: TDb, attempt: TAuditAttempt, input: TCreateEndpoint) {
  const data = {
    cluster: attempt.cluster,
    name: input.name,
    format: input.format,
    enabled: input.enabled ?? true,
    events: JSON.stringify(eventsFor(input.format, input.events)),
    url: input.format === "pagerduty" ? (input.url ?? PAGERDUTY_DEFAULT_URL) : input.url,
    secret: input.format === "pagerduty" ? input.routingKey : input.format === "cloudevents" ? (input.secret ?? null) : null,
    createdBy: attempt.actor?.name ?? "unknown",
  };
  try {
    return await db.$transaction(async (tx) => {
      const row = await tx.notificationEndpoint.create({ data });
      const view = endpointView(row);
      await writeOutcome(tx, {
        ...attempt,
        target: row.name,
        outcome: "succeeded",
        message: describeChange(null, view),
        results: { after: view },
      });
      return view;
    });
  } catch (err) {
    throw conflict(err, input.name);
  }
}

export async function updateEndpoint(db: TDb, attempt: TAuditAttempt, id: number, input: TUpdateEndpoint) {
  try {
    return await db.$transaction(async (tx) => {
      const row = await tx.notificationEndpoint.findFirst({ where: { id, cluster: attempt.cluster } });
      if (!row) throw new ApiError("not_found", `notification endpoint ${id} does not exist`);
      const format = ZNotificationFormat.parse(row.format);
      if (input.routingKey !== undefined && format !== "pagerduty")
        throw new ApiError("bad_request", "routingKey: only PagerDuty endpoints have one");
      if (input.secret !== undefined && format !== "cloudevents")
        throw new ApiError(
          "bad_request",
          `secret: only webhook (cloudevents) endpoints have a signing secret${format === "pagerduty" ? "; use routingKey" : ""}`,
        );
      const secret = format === "pagerduty" ? (input.routingKey ?? row.secret) : input.secret === undefined ? row.secret : input.secret;
      const updated = await tx.notificationEndpoint.update({
        where: { id },
        data: {
          name: input.name ?? row.name,
          enabled: input.enabled ?? row.enabled,
          events: input.events ? JSON.stringify(input.events) : row.events,
          url: input.url ?? row.url,
          secret,
        },
      });
      const before = endpointView(row);
      const after = endpointView(updated);
      const message = describeChange(before, after, secret !== row.secret || updated.url !== row.url);
      await writeOutcome(tx, { ...attempt, target: updated.name, outcome: "succeeded", message, results: { before, after } });
      return after;
    });
  } catch (err) {
    throw conflict(err, input.name ?? "");
  }
}

export async function deleteEndpoint(db: TDb, attempt: TAuditAttempt, id: number) {
  return db.$transaction(async (tx) => {
    const row = await tx.notificationEndpoint.findFirst({ where: { id, cluster: attempt.cluster } });
    if (!row) throw new ApiError("not_found", `notification endpoint ${id} does not exist`);
    const dropped = await tx.notificationDelivery.deleteMany({ where: { endpointId: id } });
    await tx.notificationEndpoint.delete({ where: { id } });
    const before = endpointView(row);
    await writeOutcome(tx, {
      ...attempt,
      target: row.name,
      outcome: "succeeded",
      message: `${describeChange(before, null)} with its ${dropped.count} deliveries`,
      results: { before },
    });
    return { deleted: before, deliveriesDeleted: dropped.count };
  });
}
