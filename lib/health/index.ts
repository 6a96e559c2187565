// The pure health core: Kubernetes objects + a time in, plain JSON-ready verdicts out.
// Instants are ISO-8601 strings, durations are milliseconds (see time.ts).

export { evaluateCluster, NODE_LEASE_NAMESPACE, type TClusterHealth } from "./evaluate-cluster";
export { evaluateEviction, type TEviction } from "./evaluate-eviction";
export {
  DEFAULT_LEASE_DURATION_SECONDS,
  evaluateHeartbeat,
  lateThresholdMs,
  type THeartbeat,
} from "./evaluate-heartbeat";
export { evaluateNode, type TNodeHealth, type TNodeProblem, type TTaint } from "./evaluate-node";
export {
  evaluateStuckPod,
  isPodReady,
  REPLACEMENTS,
  stuckPodAt,
  type TReplacement,
  type TStuckPod,
  type TTerminating,
} from "./evaluate-pod";
export { isMirrorPod, resolveOwner, type TOwner, type TOwnerObjects } from "./resolve-owner";
export { resolvePodVolumes, type TPodVolume, type TVolumeAttachmentRef } from "./resolve-pod-volumes";
export { healthOfState, NODE_HEALTH, NODE_STATES, type THealth, type TNodeState } from "./states";
export { findStuckPods, isStuckPod, summarizeCluster, type TClusterSummary } from "./summarize";
export { formatDuration } from "./time";
export { findToleration, tolerates } from "./tolerates";
export {
  diffStates,
  settledTransitions,
  shouldRecord,
  type TRecordedState,
  type TTransition,
} from "./transitions";
export {
  evaluateWorkloadImpact,
  SERVICE_IMPACTS,
  serviceImpactOf,
  type TServiceImpact,
  type TWorkloadImpact,
  type TWorkloadObjects,
} from "./workload-impact";
