// Names and colours of what an incident shows, shared by its page, the list and the node page.
import { nodeStateStyle } from "@/components/ui/state-badge";
import { NODE_STATES, type TNodeState } from "@/lib/health/states";
import { type TWorkloadState, WORKLOAD_STATES } from "@/lib/incidents/types";
import type { TPhaseName } from "@/lib/incidents/view";

export const PHASE_LABELS: Record<TPhaseName, string> = {
  "first-sign": "First sign",
  "confirmed-dead": "Confirmed dead",
  "first-action": "First action",
  remediated: "Remediated",
  "workload-whole": "Workload whole",
  "node-back": "Node back",
  closed: "Closed",
};

const WORKLOAD_STYLES: Record<TWorkloadState, { label: string; fill: string }> = {
  whole: { label: "whole", fill: "fill-emerald-500" },
  degraded: { label: "degraded", fill: "fill-amber-400 dark:fill-amber-500" },
  down: { label: "down", fill: "fill-red-500" },
  gone: { label: "gone (deleted)", fill: "fill-zinc-400 dark:fill-zinc-500" },
};

const isNodeState = (s: string): s is TNodeState => (NODE_STATES as readonly string[]).includes(s);
const isWorkloadState = (s: string): s is TWorkloadState => (WORKLOAD_STATES as readonly string[]).includes(s);

const UNKNOWN_FILL = "fill-zinc-300 dark:fill-zinc-600";
export const nodeFill = (s: string) => (isNodeState(s) ? nodeStateStyle(s).fill : UNKNOWN_FILL);
export const nodeLabel = (s: string) => (isNodeState(s) ? nodeStateStyle(s).label : s);
export const workloadFill = (s: string) => (isWorkloadState(s) ? WORKLOAD_STYLES[s].fill : UNKNOWN_FILL);
export const workloadLabel = (s: string) => (isWorkloadState(s) ? WORKLOAD_STYLES[s].label : s);

export const NODE_LEGEND = NODE_STATES.map((s) => ({ label: nodeLabel(s), fill: nodeFill(s) }));
export const WORKLOAD_LEGEND = WORKLOAD_STATES.map((s) => ({ label: `workload ${workloadLabel(s)}`, fill: workloadFill(s) }));

/** A duration or an em dash. */
export const maybeDuration = (ms: number | null | undefined, format: (ms: number) => string) => (ms == null ? "—" : format(ms));
