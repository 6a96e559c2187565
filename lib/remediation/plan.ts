// PURE: the dry-run plan of an action — what it will do to which pods, which volumes and
// PodDisruptionBudgets are involved, and whether the remaining nodes have room.
import type {
  V1Node,
  V1PersistentVolume,
  V1PersistentVolumeClaim,
  V1Pod,
  V1PodDisruptionBudget,
  V1VolumeAttachment,
} from "@kubernetes/client-node";
import { isMirrorPod, resolveOwner, resolvePodVolumes, type TNodeHealth, type TOwnerObjects } from "@/lib/health";
import type { TPolicyVersion } from "@/lib/k8s/resources";
import type { TAction } from "./catalog";
import { toleratesOutOfService } from "./out-of-service";
import { parseQuantity } from "./quantity";
import { restoreDiff, type TNodeBackupData, type TRestoreDiff } from "./restore-diff";
import { matchesSelector } from "./selector";

export type TDisposition =
  | "evict"
  | "skip-daemonset"
  | "skip-mirror"
  | "skip-terminating"
  | "skip-tolerates"
  | "force-delete"
  | "freed"
  | "untouched";

export type TPlannedPod = {
  namespace: string;
  name: string;
  /** Deletes of a pod the action finishes itself are bound to this uid (a same-name replacement is left alone). */
  uid: string | null;
  owner: { kind: string; name: string } | null;
  phase: string | null;
  terminating: boolean;
  disposition: TDisposition;
  pdb: { name: string; disruptionsAllowed: number } | null;
};

export type TPlan = {
  action: TAction;
  node: string;
  summary: string;
  groups: Array<{ owner: { kind: string; name: string; namespace: string } | null; pods: TPlannedPod[] }>;
  volumes: Array<{
    pod: string;
    claimName: string;
    storageClassName: string | null;
    accessModes: string[];
    rwo: boolean;
    attachments: string[];
  }>;
  pdbs: Array<{ namespace: string; name: string; disruptionsAllowed: number; pods: string[] }>;
  capacity: TCapacity | null;
  restore: TRestoreDiff | null;
  warnings: string[];
};

export type TCapacity = {
  podsToMove: number;
  cpuRequested: number;
  memoryRequested: number;
  /** Ready, schedulable nodes without NoSchedule taints (other than this one). */
  candidates: number;
  cpuFree: number;
  memoryFree: number;
  podSlotsFree: number;
  fits: boolean;
};

export type TPlanInput = {
  action: TAction;
  node: TNodeHealth;
  pods: readonly V1Pod[];
  allPods: readonly V1Pod[];
  nodes: readonly TNodeHealth[];
  nodeObjects: ReadonlyMap<string, V1Node>;
  owners: TOwnerObjects;
  pvcs: readonly V1PersistentVolumeClaim[];
  pvs: readonly V1PersistentVolume[];
  volumeAttachments: readonly V1VolumeAttachment[];
  pdbs: readonly V1PodDisruptionBudget[];
  backup: TNodeBackupData | null;
  /** The Eviction version the server advertises (a drain's requests), null when not known. */
  evictionVersion: TPolicyVersion | null;
};

const isDaemonPod = (p: V1Pod) => p.metadata?.ownerReferences?.some((o) => o.kind === "DaemonSet" && o.controller) ?? false;
const podKey = (p: V1Pod) => `${p.metadata?.namespace}/${p.metadata?.name}`;

function dispositionOf(action: TAction, pod: V1Pod): TDisposition {
  const terminating = Boolean(pod.metadata?.deletionTimestamp);
  switch (action) {
    case "node.drain":
      if (isMirrorPod(pod)) return "skip-mirror";
      if (isDaemonPod(pod)) return "skip-daemonset";
      return terminating ? "skip-terminating" : "evict";
    case "pods.force-delete":
      return terminating ? "force-delete" : "untouched";
    case "node.delete":
      return isMirrorPod(pod) ? "untouched" : "freed";
    case "node.out-of-service.apply":
      // What the taint manager leaves alone stays: deleting it would only bring it back here.
      if (isMirrorPod(pod)) return "untouched";
      return toleratesOutOfService(pod) ? "skip-tolerates" : "freed";
    default:
      return "untouched";
  }
}

export function capacityFor(input: Pick<TPlanInput, "node" | "nodes" | "nodeObjects" | "allPods">, moving: readonly V1Pod[]): TCapacity {
  const requests = (p: V1Pod) =>
    (p.spec?.containers ?? []).reduce(
      (s, c) => ({
        cpu: s.cpu + (parseQuantity(c.resources?.requests?.cpu) ?? 0),
        memory: s.memory + (parseQuantity(c.resources?.requests?.memory) ?? 0),
      }),
      { cpu: 0, memory: 0 },
    );
  const need = moving.reduce(
    (s, p) => {
      const r = requests(p);
      return { cpu: s.cpu + r.cpu, memory: s.memory + r.memory };
    },
    { cpu: 0, memory: 0 },
  );
  const candidates = input.nodes.filter((n) => {
    if (n.name === input.node.name || n.state !== "Ready" || n.cordoned) return false;
    return !n.taints.some((t) => t.effect === "NoSchedule" || t.effect === "NoExecute");
  });
  const used = new Map<string, { cpu: number; memory: number; pods: number }>();
  for (const p of input.allPods) {
    const n = p.spec?.nodeName;
    if (!n || p.status?.phase === "Succeeded" || p.status?.phase === "Failed") continue;
    const u = used.get(n) ?? { cpu: 0, memory: 0, pods: 0 };
    const r = requests(p);
    used.set(n, { cpu: u.cpu + r.cpu, memory: u.memory + r.memory, pods: u.pods + 1 });
  }
  let cpuFree = 0;
  let memoryFree = 0;
  let podSlotsFree = 0;
  for (const n of candidates) {
    const alloc = input.nodeObjects.get(n.name)?.status?.allocatable ?? {};
    const u = used.get(n.name) ?? { cpu: 0, memory: 0, pods: 0 };
    cpuFree += Math.max(0, (parseQuantity(alloc.cpu) ?? 0) - u.cpu);
    memoryFree += Math.max(0, (parseQuantity(alloc.memory) ?? 0) - u.memory);
    podSlotsFree += Math.max(0, (parseQuantity(alloc.pods) ?? 0) - u.pods);
  }
  return {
    podsToMove: moving.length,
    cpuRequested: need.cpu,
    memoryRequested: need.memory,
    candidates: candidates.length,
    cpuFree,
    memoryFree,
    podSlotsFree,
    fits:
      moving.length === 0 || (candidates.length > 0 && need.cpu <= cpuFree && need.memory <= memoryFree && moving.length <= podSlotsFree),
  };
}

export function planAction(input: TPlanInput): TPlan {
  const { action, node } = input;
  const pdbFor = (pod: V1Pod) =>
    input.pdbs.find((b) => b.metadata?.namespace === pod.metadata?.namespace && matchesSelector(b.spec?.selector, pod.metadata?.labels));

  const planned = input.pods.map((pod) => {
    const owner = resolveOwner({ pod, owners: input.owners });
    const pdb = pdbFor(pod);
    return {
      pod,
      entry: {
        namespace: pod.metadata?.namespace ?? "",
        name: pod.metadata?.name ?? "",
        uid: pod.metadata?.uid ?? null,
        owner: owner ? { kind: owner.kind, name: owner.name } : null,
        phase: pod.status?.phase ?? null,
        terminating: Boolean(pod.metadata?.deletionTimestamp),
        disposition: dispositionOf(action, pod),
        pdb: pdb ? { name: pdb.metadata?.name ?? "", disruptionsAllowed: pdb.status?.disruptionsAllowed ?? 0 } : null,
      } satisfies TPlannedPod,
    };
  });

  const groups = new Map<string, TPlan["groups"][number]>();
  for (const { entry } of planned) {
    const key = entry.owner ? `${entry.namespace}/${entry.owner.kind}/${entry.owner.name}` : `${entry.namespace}/-/${entry.name}`;
    const group = groups.get(key) ?? { owner: entry.owner ? { ...entry.owner, namespace: entry.namespace } : null, pods: [] };
    group.pods.push(entry);
    groups.set(key, group);
  }

  const volumes = input.pods.flatMap((pod) =>
    resolvePodVolumes({ pod, nodeName: node.name, pvcs: input.pvcs, pvs: input.pvs, volumeAttachments: input.volumeAttachments }).map(
      (v) => ({
        pod: podKey(pod),
        claimName: v.claimName,
        storageClassName: v.storageClassName,
        accessModes: v.accessModes,
        rwo: v.rwo,
        attachments: v.attachments.filter((a) => a.attached).map((a) => a.name),
      }),
    ),
  );

  const pdbs = new Map<string, TPlan["pdbs"][number]>();
  // Counted against a budget: the pods this action disrupts (a drain skips some).
  for (const { pod, entry } of planned) {
    if (!entry.pdb || (action === "node.drain" && entry.disposition !== "evict")) continue;
    const key = `${entry.namespace}/${entry.pdb.name}`;
    const b = pdbs.get(key) ?? {
      namespace: entry.namespace,
      name: entry.pdb.name,
      disruptionsAllowed: entry.pdb.disruptionsAllowed,
      pods: [],
    };
    b.pods.push(podKey(pod));
    pdbs.set(key, b);
  }

  const moves = (d: TDisposition) => d === "evict" || d === "freed" || d === "force-delete";
  const moving = planned.filter((p) => moves(p.entry.disposition) && !isDaemonPod(p.pod)).map((p) => p.pod);
  const capacity = moving.length || action === "node.drain" || action === "node.delete" ? capacityFor(input, moving) : null;
  const restore = action === "node.restore" && input.backup ? restoreDiff(input.backup, input.nodeObjects.get(node.name)) : null;

  const warnings: string[] = [];
  const dead = node.state === "NotReady" || node.state === "Unknown";
  if (action === "node.drain" && dead) {
    warnings.push(
      `${node.name} is ${node.state}: evicted pods get a deletion timestamp but no kubelet will confirm it; they stay Terminating until the node is deleted (or their pods force-deleted).`,
    );
  }
  if (action === "node.drain") {
    for (const b of pdbs.values()) {
      if (b.disruptionsAllowed < b.pods.length) {
        warnings.push(
          `PodDisruptionBudget ${b.namespace}/${b.name} allows ${b.disruptionsAllowed} disruption(s) for ${b.pods.length} pod(s) here: some evictions will be refused.`,
        );
      }
    }
  }
  if ((action === "node.delete" || action === "pods.force-delete" || action === "node.out-of-service.apply") && !dead) {
    warnings.push(
      `${node.name} is ${node.state}: if it is actually running, its containers keep running while Kubernetes starts replacements — two writers on the same data.`,
    );
  }
  const attached = volumes.filter((v) => v.rwo && v.attachments.length);
  if (attached.length && (action === "node.delete" || action === "pods.force-delete")) {
    warnings.push(
      `${attached.length} ReadWriteOnce volume(s) are attached to ${node.name}; the attach/detach controller force-detaches them only after its timeout (6 min) unless the node is out of service.`,
    );
  }
  if (capacity && !capacity.fits) warnings.push("the remaining schedulable nodes may not have room for the pods that must move.");

  return {
    action,
    node: node.name,
    summary: summaryOf({
      action,
      node: node.name,
      pods: planned.map((p) => p.entry),
      evictionVersion: input.evictionVersion,
      attachedVolumes: new Set(volumes.filter((v) => v.attachments.length).map((v) => v.claimName)).size,
    }),
    groups: [...groups.values()],
    volumes,
    pdbs: [...pdbs.values()],
    capacity,
    restore,
    warnings,
  };
}

function summaryOf(opts: {
  action: TAction;
  node: string;
  pods: TPlannedPod[];
  evictionVersion: TPolicyVersion | null;
  attachedVolumes: number;
}) {
  const { action, node, pods } = opts;
  const count = (d: TDisposition) => pods.filter((p) => p.disposition === d).length;
  switch (action) {
    case "node.cordon":
      return `Mark ${node} unschedulable; its ${pods.length} pods keep running.`;
    case "node.uncordon":
      return `Make ${node} schedulable again.`;
    case "node.drain":
      return `Cordon ${node} and evict ${count("evict")} pods through the Eviction API${opts.evictionVersion ? ` (policy/${opts.evictionVersion}, as the server advertises)` : ""} (respecting PodDisruptionBudgets); skip ${count("skip-daemonset")} DaemonSet, ${count("skip-mirror")} static and ${count("skip-terminating")} already Terminating pods.`;
    case "pods.force-delete":
      return `Force-delete (grace period 0) the ${count("force-delete")} Terminating pods on ${node}, so their controllers can recreate them elsewhere.`;
    case "node.delete":
      return `Back up ${node}'s labels, annotations and taints, delete the Node, then force-delete its ${count("freed")} orphaned pods at once (grace period 0, each only if its uid is unchanged) instead of waiting about 40 s for the pod garbage collector: controllers recreate them elsewhere within seconds. The kubelet re-registers the node when it comes back.`;
    case "node.out-of-service.apply": {
      const stays = count("skip-tolerates");
      const volumes = opts.attachedVolumes;
      return (
        `Taint ${node} node.kubernetes.io/out-of-service=nodeshutdown:NoExecute, then force-delete its ${count("freed")} pods at once (grace period 0, each only if its uid is unchanged) instead of waiting for the pod garbage collector` +
        (stays ? `; ${stays === 1 ? "1 pod that tolerates the taint stays" : `${stays} pods that tolerate the taint stay`}` : "") +
        `; with the taint, the attach/detach controller detaches ${volumes ? `their ${volumes} attached volume${volumes === 1 ? "" : "s"}` : "their volumes"} without its 6-minute wait. The taint stays until it is removed: node-rescue proposes that once the node is Ready with no pods and no VolumeAttachments left.`
      );
    }
    case "node.out-of-service.remove":
      return `Remove the out-of-service taint from ${node}: the scheduler may place pods on it again.`;
    case "node.restore":
      return `Re-apply the labels, annotations and taints ${node} had before node-rescue deleted it.`;
  }
}
