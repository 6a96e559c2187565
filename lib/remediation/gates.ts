// PURE: the safety gates an action must pass, evaluated on the server before anything is done.
// Each gate yields a check the UI can show; failed checks are refusals. Only the storm/partition
// and flapping gates can be overridden (by an admin, with a reason).
import type { TNodeHealth } from "@/lib/health";
import { DEAD_NODE_ACTIONS, EXCLUSION_KEYS, OUT_OF_SERVICE_TAINT, type TAction } from "./catalog";
import { releaseMessage, type TOutOfServiceRelease } from "./out-of-service";

export type TGateSettings = {
  /** Dead-node actions need the node NotReady/Unknown at least this long. */
  deadAfterMs: number;
  /** The storm guard locks dead-node actions when more workers than this are unhealthy… */
  maxUnhealthyWorkers: number;
  /** …or more than this share of all nodes. */
  maxUnhealthyShare: number;
  /** …or the watch connection came back from an outage this recently (a partition?). */
  flapWindowMs: number;
};

export const DEFAULT_GATE_SETTINGS: TGateSettings = {
  deadAfterMs: 5 * 60_000,
  maxUnhealthyWorkers: 1,
  maxUnhealthyShare: 0.3,
  flapWindowMs: 10 * 60_000,
};

export const GATES = ["connection", "excluded", "dead-long-enough", "storm", "flapping", "supported", "applicable", "recovered"] as const;
export type TGate = (typeof GATES)[number];

export type TGateCheck = { gate: TGate; passed: boolean; overridable: boolean; message: string };

export type TGateInput = {
  action: TAction;
  node: TNodeHealth;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  nodes: readonly TNodeHealth[];
  connected: boolean;
  reconnects: readonly Date[];
  /** e.g. "v1.20.2"; null when unknown. */
  serverVersion: string | null;
  terminatingPods: number;
  /** A node-rescue backup waiting to be restored onto this (re-registered) node. */
  restorableBackup: boolean;
  /** Whether the out-of-service taint may come off (lib/remediation/out-of-service.ts). */
  outOfService: TOutOfServiceRelease;
  settings: TGateSettings;
  now: Date;
};

const isControlPlane = (n: TNodeHealth) => n.roles.some((r) => r === "master" || r === "control-plane");

/** Minor version of "v1.20.2" → 20 (null when unparseable). */
export function minorVersion(version: string | null) {
  const m = version?.match(/^v?1\.(\d+)/);
  return m ? Number(m[1]) : null;
}

/** The out-of-service taint is acted on by Kubernetes from 1.26 (beta; GA 1.28). */
export const supportsOutOfService = (serverVersion: string | null) => (minorVersion(serverVersion) ?? 0) >= 26;

export function exclusionOf(labels: Record<string, string>, annotations: Record<string, string>) {
  for (const key of EXCLUSION_KEYS) {
    for (const [where, map] of [
      ["label", labels],
      ["annotation", annotations],
    ] as const) {
      const value = map[key];
      if (value !== undefined && value.toLowerCase() !== "false") return `${where} ${key}${value ? `=${value}` : ""}`;
    }
  }
  return null;
}

export function evaluateGates(input: TGateInput): TGateCheck[] {
  const { action, node, settings, now } = input;
  const checks: TGateCheck[] = [];
  const check = (gate: TGate, passed: boolean, message: string, overridable = false) => checks.push({ gate, passed, overridable, message });

  check(
    "connection",
    input.connected,
    input.connected ? "the watch is connected: the view is current" : "the API server connection is down: the view may be stale",
  );

  const excluded = exclusionOf(input.labels, input.annotations);
  check(
    "excluded",
    excluded === null,
    excluded ? `the node is excluded from remediation (${excluded})` : "the node is not excluded from remediation",
  );

  if (DEAD_NODE_ACTIONS.has(action)) {
    const dead = node.state === "NotReady" || node.state === "Unknown";
    const since = node.notReadySince ? Date.parse(node.notReadySince) : null;
    const forMs = since === null ? 0 : now.getTime() - since;
    const needS = Math.round(settings.deadAfterMs / 1000);
    check(
      "dead-long-enough",
      dead && forMs >= settings.deadAfterMs,
      !dead
        ? `the node is ${node.state}: this action is only for a dead node (NotReady/Unknown for ${needS}s)`
        : forMs >= settings.deadAfterMs
          ? `${node.state} for ${Math.round(forMs / 1000)}s (at least ${needS}s required)`
          : `${node.state} for only ${Math.floor(forMs / 1000)}s: wait until ${needS}s have passed`,
    );

    const unhealthy = input.nodes.filter((n) => n.state !== "Ready");
    const unhealthyWorkers = unhealthy.filter((n) => !isControlPlane(n)).length;
    const share = input.nodes.length ? unhealthy.length / input.nodes.length : 0;
    const storm = unhealthyWorkers > settings.maxUnhealthyWorkers || share > settings.maxUnhealthyShare;
    check(
      "storm",
      !storm,
      storm
        ? `${unhealthy.length} of ${input.nodes.length} nodes are unhealthy (${unhealthyWorkers} workers, ${Math.round(share * 100)}%): ` +
            "that looks like a network partition or a control-plane problem, not one dead node"
        : `${unhealthy.length} of ${input.nodes.length} nodes unhealthy (limits: ${settings.maxUnhealthyWorkers} worker, ${Math.round(settings.maxUnhealthyShare * 100)}%)`,
      true,
    );

    const recent = input.reconnects.filter((d) => now.getTime() - d.getTime() < settings.flapWindowMs);
    check(
      "flapping",
      recent.length === 0,
      recent.length
        ? `the watch connection to the API server dropped and came back ${recent.length}× in the last ${Math.round(settings.flapWindowMs / 60_000)} min: node states may be partition artefacts`
        : "the watch connection has been stable",
      true,
    );
  }

  const applicable = applicability(input);
  if (applicable) check(applicable.gate, applicable.passed, applicable.message);
  // Off only once the node is back and empty: removed early, the scheduler would send pods back to
  // a node whose kubelet is still gone, or whose old volumes are still attached.
  if (action === "node.out-of-service.remove" && applicable?.passed) {
    check("recovered", input.outOfService.releasable, releaseMessage(input.outOfService));
  }
  return checks;
}

function applicability(input: TGateInput): { gate: TGate; passed: boolean; message: string } | null {
  const hasOos = input.node.taints.some((t) => t.key === OUT_OF_SERVICE_TAINT.key);
  switch (input.action) {
    case "node.out-of-service.apply":
      if (!supportsOutOfService(input.serverVersion)) {
        return {
          gate: "supported",
          passed: false,
          message: `Kubernetes ${input.serverVersion ?? "(unknown version)"} does not act on the out-of-service taint (non-graceful node shutdown is beta from 1.26): delete the node instead`,
        };
      }
      return {
        gate: "applicable",
        passed: !hasOos,
        message: hasOos ? "the out-of-service taint is already applied" : "the taint is not applied yet",
      };
    case "node.out-of-service.remove":
      return {
        gate: "applicable",
        passed: hasOos,
        message: hasOos ? "the out-of-service taint is applied" : "the node has no out-of-service taint",
      };
    case "pods.force-delete":
      return {
        gate: "applicable",
        passed: input.terminatingPods > 0,
        message: input.terminatingPods ? `${input.terminatingPods} Terminating pods to force-delete` : "no pod on this node is Terminating",
      };
    case "node.restore":
      return {
        gate: "applicable",
        passed: input.restorableBackup,
        message: input.restorableBackup
          ? "a backup from before node-rescue deleted this node is waiting"
          : "no backup to restore for this node",
      };
    default:
      return null;
  }
}

/** Refusals: failed checks, minus the overridable ones when an admin overrides. */
export function refusalsOf(checks: readonly TGateCheck[], overridden: boolean) {
  return checks.filter((c) => !c.passed && !(overridden && c.overridable));
}
