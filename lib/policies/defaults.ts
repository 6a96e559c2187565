// What a repair policy may say and what it says when a field is left out: the vocabulary and the
// defaults, as named constants for the schema, the engine that will run policies, the page and
// the README. The defaults follow GKE's node auto-repair and medik8s' minHealthy.
import type { TAction } from "@/lib/remediation/catalog";

export const POLICY_MODES = ["act", "propose"] as const;
export type TPolicyMode = (typeof POLICY_MODES)[number];

/** node-rescue's pseudo-condition: no Lease renewal and no status update for `forSeconds`. */
export const HEARTBEAT_CONDITION = "Heartbeat";
export const CONDITION_STATUSES = ["True", "False", "Unknown"] as const;
export const HEARTBEAT_STATUSES = ["Stale"] as const;
/** The kubelet's own condition types; a type that differs from one only in case is a typo. */
export const KUBELET_CONDITIONS = ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure", "NetworkUnavailable"] as const;

/** The actions that repair a node (lib/remediation/catalog.ts), the only ones a ladder may use. */
export const LADDER_ACTIONS = [
  "node.cordon",
  "node.drain",
  "pods.force-delete",
  "node.out-of-service.apply",
  "node.delete",
] as const satisfies readonly TAction[];
export type TLadderAction = (typeof LADDER_ACTIONS)[number];

export const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] as const;

/** Nodes with one of these labels never match a policy unless it sets includeControlPlane. */
export const CONTROL_PLANE_LABELS = ["node-role.kubernetes.io/control-plane", "node-role.kubernetes.io/master"] as const;

export const DEFAULT_MODE: TPolicyMode = "propose";
/** Opt-in: a new policy does nothing until an admin enables it. */
export const DEFAULT_ENABLED = false;
/** Every node (but the control plane, see includeControlPlane). */
export const DEFAULT_SELECTOR = { matchLabels: {}, matchExpressions: [] } as const;

/** GKE's: Ready False/Unknown for 10 min, no heartbeat for 10 min, DiskPressure for 30 min. */
export const DEFAULT_CRITERIA = [
  { type: "Ready", status: ["False", "Unknown"], forSeconds: 600 },
  { type: HEARTBEAT_CONDITION, status: ["Stale"], forSeconds: 600 },
  { type: "DiskPressure", status: ["True"], forSeconds: 1800 },
] as const;

/** Cordon, force-delete the stuck pods, then the out-of-service taint (delete the node where the server lacks it). */
export const DEFAULT_LADDER = [
  { action: "node.cordon", timeoutSeconds: 60 },
  { action: "pods.force-delete", timeoutSeconds: 120 },
  { action: "node.out-of-service.apply", timeoutSeconds: 300 },
] as const;

/** medik8s' minHealthy: act only while at least this share of the selected nodes is healthy. */
export const DEFAULT_MIN_HEALTHY_PERCENT = 51;
export const DEFAULT_MAX_REPAIRS_PER_HOUR = 3;
export const DEFAULT_MAX_CONCURRENT = 1;
/** Cordoned this long after the node returns, then uncordoned. */
export const DEFAULT_QUARANTINE_SECONDS = 600;
/** A node with this many incidents within the window is flapping: left to a person. */
export const DEFAULT_FLAPPING = { incidents: 3, withinSeconds: 86_400 } as const;

/** The bounds the schema enforces. */
export const POLICY_LIMITS = {
  nameLength: 63,
  descriptionLength: 500,
  criteria: 20,
  forSeconds: 604_800,
  ladderSteps: 6,
  timeoutSeconds: 86_400,
  matchExpressions: 20,
  maxRepairsPerHour: 1_000,
  maxConcurrent: 100,
  maintenanceWindows: 20,
  quarantineSeconds: 604_800,
  flappingIncidents: { min: 2, max: 100 },
  flappingWithinSeconds: { min: 60, max: 2_592_000 },
} as const;
