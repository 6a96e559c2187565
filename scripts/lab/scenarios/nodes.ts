// Simulated node definitions shared by the scenarios.
import type { TSimNode } from "../state";

/**
 * Node IPs live on loopback (127.1.x.y in the scenarios) so nothing the dashboard probes ever
 * leaves the machine. A running lab moves its nodes to a /16 of its own (onLabSubnet): two labs on
 * one machine (a test beside a benchmark) must not fight over the same kubelet ports.
 */
export const nodeIP = (index: number) => `127.1.${(index >> 8) & 255}.${index & 255}`;

/** 127.10.0.0/16 … 127.209.0.0/16, picked by a port only this lab holds (pod IPs are 127.2/16). */
export const labSubnet = (uniquePort: number) => 10 + (uniquePort % 200);

export const onLabSubnet = (nodes: readonly TSimNode[], subnet: number): TSimNode[] =>
  nodes.map((n) => ({ ...n, internalIP: n.internalIP.replace(/^127\.1\./, `127.${subnet}.`) }));

export function simNode(opts: { name: string; index: number; role: "master" | "worker"; labels?: Record<string, string> }): TSimNode {
  const master = opts.role === "master";
  return {
    name: opts.name,
    labels: {
      "kubernetes.io/hostname": opts.name,
      "kubernetes.io/os": "linux",
      "kubernetes.io/arch": "amd64",
      [`node-role.kubernetes.io/${opts.role}`]: "",
      "node-rescue.dev/lab": "simulated",
      ...opts.labels,
    },
    taints: master ? [{ key: "node-role.kubernetes.io/master", effect: "NoSchedule" }] : [],
    internalIP: nodeIP(opts.index),
    cpu: master ? "8" : "16",
    memory: master ? "32Gi" : "64Gi",
    pods: "110",
  };
}

/** `count` plain workers named lab-worker-00001…, numbered after `offset` existing nodes. */
export const extraWorkers = (count: number, offset: number) =>
  Array.from({ length: count }, (_, i) =>
    simNode({ name: `lab-worker-${String(i + 1).padStart(5, "0")}`, index: offset + i + 1, role: "worker" }),
  );
