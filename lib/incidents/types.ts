// The vocabulary of incidents, shared by the recorder, the API and the pages.
//
// No `import "server-only"` in lib/incidents/*: the integration tests and tsx scripts import
// these modules directly (as with lib/transitions).
import { z } from "zod";
import type { TNodeState } from "@/lib/health/states";

/** A workload's service as the incident records it (from its controller's own status). */
export const WORKLOAD_STATES = ["whole", "degraded", "down", "gone"] as const;
export type TWorkloadState = (typeof WORKLOAD_STATES)[number];
export const ZWorkloadState = z.enum(WORKLOAD_STATES);

/** What notifications and the timeline's markers are made of; each written once per incident. */
export const INCIDENT_EVENT_TYPES = [
  "incident.opened",
  "node.dead",
  "repair.proposed",
  "action.taken",
  "workload.recovered",
  "incident.closed",
] as const;
export type TIncidentEventType = (typeof INCIDENT_EVENT_TYPES)[number];
export const ZIncidentEventType = z.enum(INCIDENT_EVENT_TYPES);

/** Actions after which the dead node's pods are free to start elsewhere. */
export const REMEDIATING_ACTIONS: ReadonlySet<string> = new Set(["node.delete", "node.out-of-service.apply", "pods.force-delete"]);

/** The correlation window: a node going unhealthy this soon after an incident opened joins it. */
export const DEFAULT_CORRELATION_WINDOW_MS = 2 * 60_000;

/** States that open an incident or keep a node in one. */
export const isUnhealthy = (s: TNodeState) => s === "HeartbeatLate" || s === "NotReady" || s === "Unknown";
/** States that confirm a death (the API itself says so). */
export const isDead = (s: TNodeState) => s === "NotReady" || s === "Unknown";
/** States in which a node no longer holds an incident open. */
export const isSettled = (s: TNodeState) => s === "Ready" || s === "Deleted";
export const isWorkloadSettled = (s: TWorkloadState) => s === "whole" || s === "gone";

/** A workload's identity in an incident. */
export type TWorkloadRef = { kind: string; namespace: string; name: string };
export const workloadKey = (w: TWorkloadRef) => `${w.kind}/${w.namespace}/${w.name}`;

export type TIncidentEventDraft = {
  type: TIncidentEventType;
  at: Date;
  dedupKey: string;
  payload: Record<string, unknown>;
};
