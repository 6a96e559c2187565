// Everything a remediation decision needs about one node, read from the monitor's cache and
// snapshot (never from the cluster per request) and from the database (backups).
import { ApiError } from "@/lib/api/errors";
import type { TDb } from "@/lib/db";
import { env } from "@/lib/env";
import type { TMonitor } from "@/lib/monitor/monitor";
import type { TAction } from "./catalog";
import { DEFAULT_GATE_SETTINGS, evaluateGates, type TGateSettings } from "./gates";
import { outOfServiceRelease } from "./out-of-service";
import { planAction } from "./plan";
import type { TNodeBackupData } from "./restore-diff";

export function gateSettings(): TGateSettings {
  const e = env();
  return {
    ...DEFAULT_GATE_SETTINGS,
    deadAfterMs: e.NODE_RESCUE_DEAD_AFTER_SECONDS * 1000,
    maxUnhealthyWorkers: e.NODE_RESCUE_STORM_MAX_WORKERS,
    maxUnhealthyShare: e.NODE_RESCUE_STORM_MAX_SHARE,
    flapWindowMs: e.NODE_RESCUE_FLAP_WINDOW_SECONDS * 1000,
  };
}

/** The newest backup node-rescue took of `node` that was not restored yet. */
export async function pendingBackup(db: TDb, cluster: string, node: string) {
  const row = await db.nodeBackup.findFirst({ where: { cluster, node, restoredAt: null }, orderBy: { takenAt: "desc" } });
  if (!row) return null;
  const data: TNodeBackupData = {
    labels: JSON.parse(row.labels),
    annotations: JSON.parse(row.annotations),
    taints: JSON.parse(row.taints),
  };
  return { row, data };
}

export async function assessAction(opts: { monitor: TMonitor; db: TDb; node: string; action: TAction; now?: Date }) {
  const { monitor, node: name, action } = opts;
  const snapshot = monitor.snapshot();
  const health = snapshot?.health;
  if (!snapshot || !health) throw new ApiError("unavailable", "connecting to the cluster: no data yet");
  const node = health.nodes.find((n) => n.name === name);
  const nodeObject = snapshot.nodeObjects.get(name);
  if (!node || !nodeObject) throw new ApiError("not_found", `node "${name}" is not in the cluster`);
  const now = opts.now ?? new Date();
  const pods = snapshot.podsByNode.get(name) ?? [];
  const backup = await pendingBackup(opts.db, monitor.cluster, name);
  // A backup is restorable once the node is back as a new object (the kubelet re-registered it).
  const restorable = backup !== null && backup.row.nodeUid !== (nodeObject.metadata?.uid ?? null);
  const cache = monitor.cache;
  const policyVersions = snapshot.policyVersions;
  if (!policyVersions) throw new ApiError("unavailable", "connecting to the cluster: its policy API versions are not discovered yet");
  const volumeAttachments = snapshot.volumeAttachments;
  const plan = planAction({
    action,
    node,
    pods,
    allPods: cache.list("pods"),
    nodes: health.nodes,
    nodeObjects: snapshot.nodeObjects,
    owners: { replicaSets: cache.list("replicaSets") },
    pvcs: cache.list("pvcs"),
    pvs: cache.list("pvs"),
    volumeAttachments,
    pdbs: cache.list("pdbs"),
    evictionVersion: policyVersions.eviction,
    backup: restorable ? backup.data : null,
  });
  const connection = snapshot.connection;
  const checks = evaluateGates({
    action,
    node,
    labels: nodeObject.metadata?.labels ?? {},
    annotations: nodeObject.metadata?.annotations ?? {},
    nodes: health.nodes,
    connected: connection.status === "connected",
    reconnects: cache.reconnects(),
    serverVersion: connection.status === "connected" ? connection.serverVersion : null,
    terminatingPods: pods.filter((p) => p.metadata?.deletionTimestamp).length,
    restorableBackup: restorable,
    outOfService: outOfServiceRelease({ node, pods, volumeAttachments }),
    settings: gateSettings(),
    now,
  });
  return { node, nodeObject, plan, checks, backup: restorable ? backup : null, policyVersions };
}
