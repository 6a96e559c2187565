import type { V1PersistentVolume, V1PersistentVolumeClaim, V1Pod, V1VolumeAttachment } from "@kubernetes/client-node";
import { evaluateEviction, type TEviction } from "./evaluate-eviction";
import type { TNodeHealth } from "./evaluate-node";
import { isMirrorPod, resolveOwner, type TOwner, type TOwnerObjects } from "./resolve-owner";
import { resolvePodVolumes, type TPodVolume } from "./resolve-pod-volumes";
import type { TNodeState } from "./states";
import { formatDuration, toMs } from "./time";

export type TTerminating = {
  /** When the delete was requested: deletionTimestamp − deletionGracePeriodSeconds. */
  requestedAt: string;
  forMs: number;
  gracePeriodSeconds: number;
  /** The pod's deletionTimestamp: the end of its grace period, not the start. */
  graceEndsAt: string;
  /** now − graceEndsAt: positive once the kubelet should have finished. */
  graceOverdueMs: number;
};

/**
 * automatic: its controller creates a replacement once the pod is evicted.
 * blocked: a replacement cannot run until someone acts (StatefulSet identity, attached RWO volume,
 *   node-local data, eviction that never comes).
 * none: nothing replaces it elsewhere (DaemonSet, static pod, bare pod).
 * unknown: a controller we do not know owns it.
 */
export const REPLACEMENTS = ["automatic", "blocked", "none", "unknown"] as const;
export type TReplacement = (typeof REPLACEMENTS)[number];

export type TStuckPod = {
  namespace: string;
  name: string;
  uid: string | null;
  nodeName: string;
  nodeState: TNodeState;
  phase: string | null;
  ready: boolean;
  terminating: TTerminating | null;
  owner: TOwner | null;
  mirror: boolean;
  volumes: TPodVolume[];
  eviction: TEviction;
  replacement: TReplacement;
  /** True when the workload does not come back on a healthy node without an operator. */
  needsAction: boolean;
  /** Sentences for the operator explaining `replacement` and `needsAction`. */
  reasons: string[];
  /** The time the durations above are measured at (see stuckPodAt). */
  evaluatedAt: string;
};

/** Controllers that create a new pod (new name) once the old one is evicted. */
const REPLACING_KINDS = new Set(["Deployment", "ReplicaSet", "ReplicationController", "Job"]);

export function isPodReady(pod: V1Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") === true;
}

export function terminatingOf(pod: V1Pod, now: Date): TTerminating | null {
  const endMs = toMs(pod.metadata?.deletionTimestamp);
  if (endMs === null) return null;
  const gracePeriodSeconds = pod.metadata?.deletionGracePeriodSeconds ?? 0;
  const requestedMs = endMs - gracePeriodSeconds * 1000;
  return {
    requestedAt: new Date(requestedMs).toISOString(),
    forMs: now.getTime() - requestedMs,
    gracePeriodSeconds,
    graceEndsAt: new Date(endMs).toISOString(),
    graceOverdueMs: now.getTime() - endMs,
  };
}

/** Why a replacement cannot run elsewhere; empty when nothing pins the pod to its node. */
function blockersOf(options: { pod: V1Pod; owner: TOwner | null; volumes: TPodVolume[]; node: string }) {
  const { owner, volumes, node } = options;
  const name = options.pod.metadata?.name ?? "";
  const blockers: string[] = [];
  if (owner?.kind === "StatefulSet") {
    blockers.push(
      `StatefulSet pod: its name stays taken until the pod is deleted, so StatefulSet ${owner.name} cannot start ${name} on another node.`,
    );
  }
  for (const v of volumes) {
    const pv = v.volumeName ?? v.claimName;
    if (v.local) {
      blockers.push(`Volume ${v.claimName} is a local volume (${pv}): its data lives on ${node}, so the pod can only run there.`);
    } else if (v.rwo && v.attachments.length > 0) {
      const names = v.attachments.map((a) => a.name).join(", ");
      blockers.push(
        `Volume ${v.claimName} (${v.accessModes.join(", ")}) is still attached to ${node} (VolumeAttachment ${names}): a replacement elsewhere cannot attach ${pv} until it is detached.`,
      );
    }
  }
  return blockers;
}

function automaticReason(options: { owner: TOwner; eviction: TEviction; terminating: TTerminating | null; node: string }): string {
  const { owner, eviction, terminating, node } = options;
  const who = `${owner.kind} ${owner.name}`;
  if (terminating) return `${who}: the pod is being deleted, so the controller already counts it gone and creates a replacement.`;
  if (eviction.status === "none") return `${who}: replaced automatically once the node controller taints ${node} and the pod is evicted.`;
  if (eviction.status === "unknown")
    return `${who}: replaced automatically once the pod is evicted (the taint has no timeAdded, so the time is unknown).`;
  const inMs = eviction.evictInMs ?? 0;
  if (inMs > 0) return `${who}: replaced automatically once the pod is evicted, in ${formatDuration(inMs)}.`;
  return `${who}: eviction was due ${formatDuration(-inMs)} ago; the controller replaces the pod once it is deleted.`;
}

/**
 * The verdict for one pod bound to a node that is not healthy: how long it has been terminating,
 * who owns it, which volumes hold it, when it is evicted, and whether it needs an operator.
 */
export function evaluateStuckPod(options: {
  pod: V1Pod;
  node: TNodeHealth;
  pvcs: readonly V1PersistentVolumeClaim[];
  pvs: readonly V1PersistentVolume[];
  volumeAttachments: readonly V1VolumeAttachment[];
  owners: TOwnerObjects;
  now: Date;
}): TStuckPod {
  const { pod, node, now } = options;
  const owner = resolveOwner({ pod, owners: options.owners });
  const mirror = isMirrorPod(pod);
  const terminating = terminatingOf(pod, now);
  const eviction = evaluateEviction({ tolerations: pod.spec?.tolerations, taints: node.taints, now });
  const volumes = resolvePodVolumes({
    pod,
    nodeName: node.name,
    pvcs: options.pvcs,
    pvs: options.pvs,
    volumeAttachments: options.volumeAttachments,
  });
  const verdict = decide({ pod, owner, mirror, terminating, eviction, volumes, node: node.name });

  return {
    namespace: pod.metadata?.namespace ?? "",
    name: pod.metadata?.name ?? "",
    uid: pod.metadata?.uid ?? null,
    nodeName: node.name,
    nodeState: node.state,
    phase: pod.status?.phase ?? null,
    ready: isPodReady(pod),
    terminating,
    owner,
    mirror,
    volumes,
    eviction,
    ...verdict,
    evaluatedAt: now.toISOString(),
  };
}

function decide(options: {
  pod: V1Pod;
  owner: TOwner | null;
  mirror: boolean;
  terminating: TTerminating | null;
  eviction: TEviction;
  volumes: TPodVolume[];
  node: string;
}): { replacement: TReplacement; needsAction: boolean; reasons: string[] } {
  const { owner, eviction, node } = options;
  if (options.mirror) {
    return {
      replacement: "none",
      needsAction: false,
      reasons: [`Static pod: ${node}'s kubelet runs it from a manifest; it is not evicted and comes back with the node.`],
    };
  }
  if (owner?.kind === "DaemonSet") {
    return {
      replacement: "none",
      needsAction: false,
      reasons: [`DaemonSet pod: DaemonSet ${owner.name} runs one per node; it is not evicted and comes back with the node.`],
    };
  }

  const blockers = blockersOf({ pod: options.pod, owner, volumes: options.volumes, node });
  if (blockers.length > 0) return { replacement: "blocked", needsAction: true, reasons: blockers };
  if (!owner) {
    return {
      replacement: "none",
      needsAction: true,
      reasons: ["Bare pod: no controller recreates it; recreate it elsewhere if it is still needed."],
    };
  }
  if (!REPLACING_KINDS.has(owner.kind)) {
    return {
      replacement: "unknown",
      needsAction: false,
      reasons: [`${owner.kind} ${owner.name}: whether it replaces the pod is up to that controller.`],
    };
  }
  if (eviction.status === "never" && !options.terminating) {
    return {
      replacement: "blocked",
      needsAction: true,
      reasons: [
        `${owner.kind} ${owner.name}: the pod tolerates ${eviction.taintKeys.join(", ")} forever, so it is never evicted and never replaced.`,
      ],
    };
  }
  return {
    replacement: "automatic",
    needsAction: false,
    reasons: [automaticReason({ owner, eviction, terminating: options.terminating, node })],
  };
}

/**
 * The same verdict at another time: what evaluateStuckPod returns at `now` for the same pod, node
 * and objects. Only durations and the countdown sentence move with time, so a verdict is judged
 * once and read at any later time without judging owners and volumes again.
 */
export function stuckPodAt(pod: TStuckPod, now: Date): TStuckPod {
  const elapsedMs = now.getTime() - Date.parse(pod.evaluatedAt);
  if (elapsedMs === 0) return pod;
  const terminating = pod.terminating && {
    ...pod.terminating,
    forMs: pod.terminating.forMs + elapsedMs,
    graceOverdueMs: pod.terminating.graceOverdueMs + elapsedMs,
  };
  const eviction = pod.eviction.evictInMs === null ? pod.eviction : { ...pod.eviction, evictInMs: pod.eviction.evictInMs - elapsedMs };
  const reasons =
    pod.replacement === "automatic" && pod.owner && !terminating
      ? [automaticReason({ owner: pod.owner, eviction, terminating, node: pod.nodeName })]
      : pod.reasons;
  return { ...pod, terminating, eviction, reasons, evaluatedAt: now.toISOString() };
}
