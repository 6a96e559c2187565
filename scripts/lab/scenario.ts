// Scenarios: which simulated nodes a lab has, and which objects it creates once they are Ready.

import { setTimeout as sleep } from "node:timers/promises";
import { ApisApi, CoreV1Api, type KubeConfig, KubernetesObjectApi, PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";
import { extraWorkers } from "./scenarios/nodes";
import { seedExpectedPods, seedNodeCustomizations, seedNodes, seedObjects, type TSeedRedisVolume } from "./scenarios/seed";
import type { TSimNode } from "./state";

export const SCENARIOS = ["seed", "empty"] as const;
export type TScenario = (typeof SCENARIOS)[number];

/** seed: its six nodes plus `extraNodes` workers; empty: `extraNodes` workers (default 3). */
export function scenarioNodes(scenario: TScenario, extraNodes?: number): TSimNode[] {
  if (scenario === "seed") {
    const nodes = seedNodes();
    return [...nodes, ...extraWorkers(extraNodes ?? 0, nodes.length)];
  }
  return extraWorkers(extraNodes ?? 3, 0);
}

export async function applyScenario(kc: KubeConfig, scenario: TScenario, nodeCount: number, seed: { redisVolume: TSeedRedisVolume }) {
  if (scenario === "empty") return;
  const objects = KubernetesObjectApi.makeApiClient(kc);
  for (const obj of seedObjects({ policyVersion: await pdbPolicyVersion(kc), redisVolume: seed.redisVolume })) await objects.create(obj);
  await waitForRunningPods(kc, seedExpectedPods(nodeCount), 120_000);
  // What an admin added by hand later: the kubelet does not re-register it, a node-rescue backup
  // does. Added after the pods are placed (the PreferNoSchedule taint would steer the scheduler).
  const core = kc.makeApiClient(CoreV1Api);
  for (const [name, patch] of Object.entries(seedNodeCustomizations())) {
    await core.patchNode({ name, body: patch }, setHeaderOptions("Content-Type", PatchStrategy.MergePatch));
  }
}

/** PodDisruptionBudgets are policy/v1 wherever the server serves that version (1.21+; 1.25+ serve
 *  nothing else), policy/v1beta1 before. */
async function pdbPolicyVersion(kc: KubeConfig): Promise<"v1" | "v1beta1"> {
  const groups = await kc.makeApiClient(ApisApi).getAPIVersions();
  const policy = groups.groups.find((g) => g.name === "policy");
  return policy?.versions.some((v) => v.version === "v1") ? "v1" : "v1beta1";
}

/** Waits until at least `expected` pods are Running and Ready. */
export async function waitForRunningPods(kc: KubeConfig, expected: number, timeoutMs: number) {
  const core = kc.makeApiClient(CoreV1Api);
  const deadline = Date.now() + timeoutMs;
  let running = 0;
  while (Date.now() < deadline) {
    const pods = await core.listPodForAllNamespaces({});
    running = pods.items.filter(
      (p) => p.status?.phase === "Running" && p.status.conditions?.some((c) => c.type === "Ready" && c.status === "True"),
    ).length;
    if (running >= expected) return;
    await sleep(500);
  }
  throw new Error(`scenario did not settle: ${running} of ${expected} pods Running after ${timeoutMs / 1000}s`);
}
