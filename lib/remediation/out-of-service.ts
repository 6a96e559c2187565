// PURE: which pods the out-of-service taint frees, and when the taint may come off again.
// Kubernetes (1.26+) acts on node.kubernetes.io/out-of-service:NoExecute: the taint manager
// evicts the pods that do not tolerate it, the pod garbage collector force-deletes them, and the
// attach/detach controller detaches their volumes without waiting for an unmount. It never removes
// the taint: the node stays out of service until someone does. node-rescue proposes that only when
// the node is back (Ready) and nothing that was moved off it is left there.
import type { V1Pod, V1VolumeAttachment } from "@kubernetes/client-node";
import { findToleration, isMirrorPod, type TNodeHealth, type TNodeState } from "@/lib/health";
import { OUT_OF_SERVICE_TAINT } from "./catalog";

/** A pod that tolerates the taint (a DaemonSet's `operator: Exists`) stays where it is. */
export const toleratesOutOfService = (pod: V1Pod) =>
  findToleration({ tolerations: pod.spec?.tolerations ?? [], taint: OUT_OF_SERVICE_TAINT }) !== null;

export const hasOutOfServiceTaint = (node: Pick<TNodeHealth, "taints">) => node.taints.some((t) => t.key === OUT_OF_SERVICE_TAINT.key);

export type TOutOfServiceRelease = {
  node: string;
  /** The node carries the taint now. */
  tainted: boolean;
  state: TNodeState;
  /** Ready (and heartbeating on time): its kubelet is back. */
  ready: boolean;
  /** Pods still bound to the node that the taint moves off it: namespace/name. */
  pods: string[];
  /** VolumeAttachments that still name the node, detached or not. */
  attachments: string[];
  /** The taint may be removed: tainted, Ready, no such pods, no attachments. */
  releasable: boolean;
};

const finished = (p: V1Pod) => p.status?.phase === "Succeeded" || p.status?.phase === "Failed";

export function outOfServiceRelease(input: {
  node: TNodeHealth;
  /** The pods bound to the node. */
  pods: readonly V1Pod[];
  volumeAttachments: readonly V1VolumeAttachment[];
}): TOutOfServiceRelease {
  const { node } = input;
  const pods = input.pods
    .filter((p) => !isMirrorPod(p) && !toleratesOutOfService(p) && !finished(p))
    .map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`)
    .sort();
  const attachments = input.volumeAttachments
    .filter((va) => va.spec.nodeName === node.name)
    .map((va) => va.metadata?.name ?? "")
    .sort();
  const tainted = hasOutOfServiceTaint(node);
  const ready = node.state === "Ready";
  return {
    node: node.name,
    tainted,
    state: node.state,
    ready,
    pods,
    attachments,
    releasable: tainted && ready && pods.length === 0 && attachments.length === 0,
  };
}

const some = (names: readonly string[], max = 3) =>
  names.length > max ? `${names.slice(0, max).join(", ")}, … (${names.length} in all)` : names.join(", ");

/** What still keeps the taint on, one phrase each; empty when nothing does. */
export function releaseBlockers(r: TOutOfServiceRelease): string[] {
  const blockers: string[] = [];
  if (!r.ready) blockers.push(`${r.node} is ${r.state} (it must be Ready: its kubelet back)`);
  if (r.pods.length) blockers.push(`${r.pods.length} pod${r.pods.length === 1 ? "" : "s"} still on it (${some(r.pods)})`);
  if (r.attachments.length) {
    blockers.push(`${r.attachments.length} VolumeAttachment${r.attachments.length === 1 ? "" : "s"} still on it (${some(r.attachments)})`);
  }
  return blockers;
}

/** The removal gate's sentence: why not yet, or that it may go. */
export function releaseMessage(r: TOutOfServiceRelease): string {
  const blockers = releaseBlockers(r);
  return blockers.length
    ? `the out-of-service taint stays until ${r.node} is back and empty: ${blockers.join("; ")}`
    : `${r.node} is Ready with no pods and no VolumeAttachments left on it (pods that tolerate the taint stay): the taint can come off`;
}
