// The health evaluation alone, on synthetic clusters (no control plane): a full evaluateCluster
// against the monitor's incremental evaluator, in a quiet second and in a storm, plus the cost
// of serializing GET /api/nodes. Runs in seconds; the lab benchmarks give the end-to-end figures.
import { evaluateCluster } from "@/lib/health";
import { createClusterEvaluator, type TClusterInputs } from "@/lib/health/evaluate-incremental";
import type { TSnapshot } from "@/lib/monitor/snapshot";
import { serializeNodesView } from "@/lib/views/serialize-nodes-view";
import { round, summarize } from "./measure";
import { syntheticCluster } from "./synthetic-cluster";

const RUNS = 15;

function sample(fn: (i: number) => void) {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    fn(i);
    times.push(performance.now() - t);
  }
  return summarize(times);
}

export function evaluateBench(opts: { nodes: number; podsPerNode: number; log: (l: string) => void }) {
  const result: Record<string, unknown> = { nodes: opts.nodes, podsPerNode: opts.podsPerNode };
  for (const scenario of ["quiet", "storm"] as const) {
    const start = new Date();
    const c = syntheticCluster({
      nodes: opts.nodes,
      podsPerNode: opts.podsPerNode,
      dead: scenario === "storm" ? opts.nodes : 0,
      now: start,
    });
    // The same lists on every call, as the cluster cache hands them out while nothing changes.
    const none: never[] = [];
    const inputs = (i: number): TClusterInputs => ({
      nodes: c.nodes,
      leases: c.leases,
      pods: c.pods,
      pvcs: none,
      pvs: none,
      volumeAttachments: none,
      workloads: { deployments: c.deployments, statefulSets: c.statefulSets, replicaSets: c.replicaSets, daemonSets: none },
      now: new Date(start.getTime() + i * 1000),
    });
    const full = sample((i) => evaluateCluster(inputs(i)));
    const evaluate = createClusterEvaluator();
    evaluate(inputs(0));
    // Every second the live nodes' kubelets renew a tenth of the Leases (each every 10 s) and one
    // Node object changes (a status heartbeat); the dead ones stay silent. Prepared outside the timing.
    let leases = c.leases;
    const steps = Array.from({ length: RUNS }, (_, i) => {
      const base = inputs(i + 1);
      leases = leases.map((l, j) =>
        j >= (scenario === "storm" ? opts.nodes : 0) && j % 10 === i % 10 ? { ...l, spec: { ...l.spec, renewTime: base.now as never } } : l,
      );
      return { ...base, leases, nodes: c.nodes.map((n, j) => (j === i ? { ...n } : n)) };
    });
    const incremental = sample((i) => evaluate(steps[i] as TClusterInputs));
    const health = evaluate({ ...(steps.at(-1) as TClusterInputs), now: inputs(RUNS + 1).now });
    const snapshot = (v: number): TSnapshot => ({
      version: v,
      generatedAt: new Date().toISOString(),
      cluster: { name: "bench", server: "", source: "kubeconfig", context: "" },
      connection: { status: "connected", since: start, serverVersion: "v1.20.2" },
      policyVersions: { pdb: "v1beta1", eviction: "v1beta1" },
      health,
      healthAt: new Date().toISOString(),
      podsByNode: health.podsByNode,
      nodeObjects: new Map(),
      volumeAttachments: none,
    });
    const serialize = sample((i) => serializeNodesView(snapshot(i)));
    const bytes = serializeNodesView(snapshot(0)).byteLength;
    result[scenario] = {
      fullEvaluationMs: full,
      incrementalEvaluationMs: incremental,
      serializeApiNodesMs: serialize,
      apiNodesBytes: bytes,
    };
    opts.log(
      `${opts.nodes}×${opts.podsPerNode} ${scenario}: full p50 ${full.p50} ms, incremental p50 ${incremental.p50} ms (p95 ${incremental.p95}), /api/nodes body ${serialize.p50} ms (${round(bytes / 1e6, 2)} MB)`,
    );
  }
  return result;
}
