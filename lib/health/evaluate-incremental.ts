// evaluateCluster for a process that evaluates the same cluster many times a second: verdicts are
// remembered and only judged again when their inputs (objects and lists compared by identity: the
// watch cache replaces an object, and hands out a new list, when it changes) or the clock make
// them differ. A heartbeat-only
// Node update re-judges one node, not 5,000; a quiet second re-judges only the Leases that moved.
import type { V1Lease, V1Node, V1Pod } from "@kubernetes/client-node";
import { NODE_LEASE_NAMESPACE, type TClusterHealth, type TClusterInputs } from "./evaluate-cluster";

import { heartbeatValidUntilMs } from "./evaluate-heartbeat";
import { evaluateNode, type TNodeHealth } from "./evaluate-node";
import { evaluateStuckPod, type TStuckPod } from "./evaluate-pod";
import { resolveOwner, type TOwner } from "./resolve-owner";
import { isStuckPod, summarizeCluster } from "./summarize";
import { evaluateWorkloadImpact, type TWorkloadImpact, type TWorkloadKey } from "./workload-impact";

export type { TClusterInputs };

/** Which input lists are other arrays than in the previous call (all of them on the first call). */
function changedSince(before: TClusterInputs | null, inputs: TClusterInputs) {
  if (!before) return { pods: true, volumes: true, workloads: true };
  const next = inputs.workloads;
  const last = before.workloads;
  return {
    pods: inputs.pods !== before.pods,
    volumes: inputs.pvcs !== before.pvcs || inputs.pvs !== before.pvs || inputs.volumeAttachments !== before.volumeAttachments,
    workloads:
      next.deployments !== last.deployments ||
      next.statefulSets !== last.statefulSets ||
      next.replicaSets !== last.replicaSets ||
      next.daemonSets !== last.daemonSets,
  };
}

export type TIncrementalHealth = TClusterHealth & {
  /** Pods by spec.nodeName, from the same read as the verdict. */
  podsByNode: ReadonlyMap<string, readonly V1Pod[]>;
  /** How many node verdicts were judged again (the rest were carried over). */
  nodesJudged: number;
  /** A node appeared or disappeared since the previous call. */
  nodeSetChanged: boolean;
  /** How many stuck-pod verdicts were judged again (the rest were carried forward in time). */
  podsJudged: number;
};

type TNodeMemo = { node: V1Node; lease: V1Lease | undefined; health: TNodeHealth; validUntilMs: number; key: string };
type TPodMemo = { node: TNodeHealth; owner: string; volumesVersion: number; verdict: TStuckPod };
/** A node's stuck pods, reused whole while its verdict, its pod list, volumes and workloads stay. */
type TNodeStuckMemo = {
  node: TNodeHealth;
  pods: readonly V1Pod[] | undefined;
  volumesVersion: number;
  workloadsVersion: number;
  stuck: readonly TStuckPod[];
};

const ownerKey = (o: TOwner | null) => (o ? `${o.kind}/${o.name}/${o.uid ?? ""}/${o.replicaSet ?? ""}` : "");
/** What of a node the pod verdicts depend on, beyond the node's name. */
const podRelevantKey = (n: TNodeHealth) => `${n.state}|${n.taints.map((t) => `${t.key}=${t.value}:${t.effect}@${t.timeAdded}`).join(",")}`;

/**
 * Pods by spec.nodeName. A node whose pods are the same objects, in the same order, as in
 * `previous` keeps its previous array: one pod update then re-judges one node's pods, not all.
 */
export function indexPodsByNode(pods: readonly V1Pod[], previous?: ReadonlyMap<string, readonly V1Pod[]>): Map<string, readonly V1Pod[]> {
  const byNode = new Map<string, V1Pod[]>();
  for (const pod of pods) {
    const node = pod.spec?.nodeName;
    if (!node) continue;
    const list = byNode.get(node);
    if (list) list.push(pod);
    else byNode.set(node, [pod]);
  }
  if (!previous) return byNode;
  const index = new Map<string, readonly V1Pod[]>();
  for (const [node, list] of byNode) {
    const before = previous.get(node);
    const same = before?.length === list.length && list.every((pod, i) => pod === before[i]);
    index.set(node, same && before ? before : list);
  }
  return index;
}

/**
 * A stateful evaluator whose every result equals evaluateCluster's on the same inputs (same
 * verdicts; stuck pods listed by node name, then in cache order), except that a verdict carried
 * over keeps the time it was judged at: a node its `evaluatedAt` and `heartbeat.ageMs`, a stuck
 * pod its `evaluatedAt` and durations (stuckPodAt(pod, now) gives them at `now`).
 * Each input list is compared by identity with the previous call's: the same array means the
 * same objects, as the cluster cache hands them out (a new array only after its kind changed;
 * nobody modifies one in place). A new array of the same objects costs a look, never a wrong
 * verdict. The first call judges everything.
 */
export function createClusterEvaluator() {
  const nodeMemo = new Map<string, TNodeMemo>();
  const podMemo = new WeakMap<V1Pod, TPodMemo>();
  let stuckByNode = new Map<string, TNodeStuckMemo>();
  let workloadOfPod = new WeakMap<V1Pod, TWorkloadKey>();
  let volumesVersion = 0;
  let workloadsVersion = 0;
  let previous: TIncrementalHealth | null = null;
  let previousInputs: TClusterInputs | null = null;
  let sortedNames: string[] = [];
  let observedSinceMs: number | null = null;

  return function evaluate(inputs: TClusterInputs): TIncrementalHealth {
    const { now } = inputs;
    const changed = changedSince(previousInputs, inputs);
    const nowMs = now.getTime();
    const since = inputs.observedSince?.getTime() ?? null;
    // A (re)connect restarts every heartbeat warm-up: judge all nodes again.
    if (since !== observedSinceMs) nodeMemo.clear();
    observedSinceMs = since;
    if (changed.volumes) volumesVersion++;
    if (changed.workloads) {
      workloadsVersion++;
      workloadOfPod = new WeakMap();
    }

    const leases = new Map<string, V1Lease>();
    for (const l of inputs.leases) if (l.metadata?.namespace === NODE_LEASE_NAMESPACE) leases.set(l.metadata?.name ?? "", l);

    let nodesJudged = 0;
    let nodeSetChanged = false;
    // Pod verdicts depend on the nodes only through their state and taints: did any of those move?
    let nodesMoved = !previous;
    // Workload impact depends on the nodes only through which of them are Ready.
    let readySetMoved = !previous;
    const byName = new Map<string, TNodeHealth>();
    for (const node of inputs.nodes) {
      const name = node.metadata?.name ?? "";
      const lease = leases.get(name);
      const memo = nodeMemo.get(name);
      if (memo && memo.node === node && memo.lease === lease && nowMs <= memo.validUntilMs) {
        byName.set(name, memo.health);
        continue;
      }
      const health = evaluateNode({
        node,
        lease,
        now,
        lateAfterMs: inputs.lateAfterMs,
        renewIntervalMs: inputs.renewIntervalMs,
        observedSince: inputs.observedSince,
      });
      nodesJudged++;
      const validUntilMs = heartbeatValidUntilMs({
        heartbeat: health.heartbeat,
        evaluatedAtMs: nowMs,
        observedSince: inputs.observedSince,
      });
      const key = podRelevantKey(health);
      if (memo?.key !== key) nodesMoved = true;
      if (!memo || (memo.health.state === "Ready") !== (health.state === "Ready")) readySetMoved = true;
      nodeMemo.set(name, { node, lease, health, validUntilMs, key });
      byName.set(name, health);
    }
    for (const name of nodeMemo.keys()) if (!byName.has(name)) nodeMemo.delete(name);
    // Sorted by name; the order is kept while no node comes or goes.
    const sameNodes = sortedNames.length === byName.size && sortedNames.every((n) => byName.has(n));
    if (!sameNodes) {
      nodesMoved = true;
      readySetMoved = true;
      nodeSetChanged = true;
      sortedNames = [...byName.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    }
    const nodes = sortedNames.map((n) => byName.get(n) as TNodeHealth);

    const podsByNode = !previous || changed.pods ? indexPodsByNode(inputs.pods, previous?.podsByNode) : previous.podsByNode;

    let podsJudged = 0;
    const stuckPods: TStuckPod[] = [];
    // Stuck pods can only appear, go or change when one of these did.
    const judgePods =
      previous === null || previous.stuckPods.length > 0 || nodesMoved || changed.pods || changed.volumes || changed.workloads;
    if (judgePods) {
      const nextStuckByNode = new Map<string, TNodeStuckMemo>();
      for (const node of nodes) {
        if (node.state === "Ready") continue;
        const pods = podsByNode.get(node.name);
        let kept = stuckByNode.get(node.name);
        if (
          !kept ||
          kept.node !== node ||
          kept.pods !== pods ||
          kept.volumesVersion !== volumesVersion ||
          kept.workloadsVersion !== workloadsVersion
        ) {
          const stuck: TStuckPod[] = [];
          for (const pod of pods ?? []) {
            if (!isStuckPod({ pod, node })) continue;
            const memo = podMemo.get(pod);
            // The owner chain only moves when workloads do; a carried verdict keeps the time it was
            // judged at (read it at another time with stuckPodAt).
            const owner = !memo || changed.workloads ? ownerKey(resolveOwner({ pod, owners: inputs.workloads })) : memo.owner;
            if (memo && memo.node === node && memo.owner === owner && memo.volumesVersion === volumesVersion) {
              stuck.push(memo.verdict);
              continue;
            }
            const verdict = evaluateStuckPod({
              pod,
              node,
              pvcs: inputs.pvcs,
              pvs: inputs.pvs,
              volumeAttachments: inputs.volumeAttachments,
              owners: inputs.workloads,
              now,
            });
            podsJudged++;
            podMemo.set(pod, { node, owner, volumesVersion, verdict });
            stuck.push(verdict);
          }
          kept = { node, pods, volumesVersion, workloadsVersion, stuck };
        }
        nextStuckByNode.set(node.name, kept);
        for (const verdict of kept.stuck) stuckPods.push(verdict);
      }
      stuckByNode = nextStuckByNode;
    }

    const workloads: TWorkloadImpact[] =
      previous && !readySetMoved && !changed.pods && !changed.workloads
        ? previous.workloads
        : evaluateWorkloadImpact({ nodes, pods: inputs.pods, workloads: inputs.workloads, workloadOfPod });

    const summary = summarizeCluster({ nodes, stuckPods, workloads, now, observedSince: inputs.observedSince });
    previous = { summary, nodes, stuckPods, workloads, podsByNode, nodesJudged, nodeSetChanged, podsJudged };
    previousInputs = inputs;
    return previous;
  };
}
