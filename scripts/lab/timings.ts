// How fast the lab's control plane gives up on a silent node, and how the simulated kubelets
// heartbeat. "fast" makes the node-death incident take seconds; "kubernetes" uses upstream defaults.
import type { THeartbeat } from "./state";

export type TLabTimings = {
  /** kube-controller-manager --node-monitor-grace-period: silence before Ready=Unknown. */
  nodeMonitorGracePeriodSeconds: number;
  /** kube-controller-manager --node-monitor-period. */
  nodeMonitorPeriodSeconds: number;
  /** kube-apiserver --default-(not-ready|unreachable)-toleration-seconds: eviction delay. */
  tolerationSeconds: number;
  heartbeat: THeartbeat;
};

export const LAB_TIMINGS = {
  fast: {
    nodeMonitorGracePeriodSeconds: 10,
    nodeMonitorPeriodSeconds: 2,
    tolerationSeconds: 10,
    // The kubelet's ratio (renew every leaseDuration / 4), scaled down to the 10 s grace period.
    heartbeat: { leaseDurationSeconds: 10, renewIntervalSeconds: 2.5, statusIntervalSeconds: 10 },
  },
  kubernetes: {
    nodeMonitorGracePeriodSeconds: 40,
    nodeMonitorPeriodSeconds: 5,
    tolerationSeconds: 300,
    // A real kubelet reports status every 5 min when nothing changes (nodeStatusReportFrequency).
    heartbeat: { leaseDurationSeconds: 40, renewIntervalSeconds: 10, statusIntervalSeconds: 300 },
  },
} satisfies Record<string, TLabTimings>;
export type TLabTimingsName = keyof typeof LAB_TIMINGS;
