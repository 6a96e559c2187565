// PURE: what the step a repair is on means for the node as it is now. A step with nothing to do
// (cordon of a cordoned node, force-delete with no Terminating pod, a node already gone) is
// passed over and says why; the out-of-service taint becomes node.delete where the server does
// not act on it (before 1.26), unless the ladder deletes the node later anyway.
import type { TLadderStep } from "@/lib/policies/schema";
import { OUT_OF_SERVICE_TAINT, type TAction } from "@/lib/remediation/catalog";
import { supportsOutOfService } from "@/lib/remediation/gates";

export type TNodeFacts = {
  /** The Node object exists (false once deleted). */
  present: boolean;
  cordoned: boolean;
  terminatingPods: number;
  taintKeys: readonly string[];
  serverVersion: string | null;
};

export type TStepPlan =
  | { kind: "run"; index: number; action: TAction; timeoutSeconds: number; note: string | null }
  | { kind: "pass"; index: number; action: TAction; message: string }
  | { kind: "done" };

export function planStep(ladder: readonly TLadderStep[], index: number, facts: TNodeFacts): TStepPlan {
  const step = ladder[index];
  if (!step) return { kind: "done" };
  const pass = (message: string): TStepPlan => ({ kind: "pass", index, action: step.action, message });
  const run = (action: TAction, note: string | null = null): TStepPlan => ({
    kind: "run",
    index,
    action,
    timeoutSeconds: step.timeoutSeconds,
    note,
  });
  if (!facts.present) return pass("the node is gone: nothing left to do on it");
  switch (step.action) {
    case "node.cordon":
      return facts.cordoned ? pass("the node is cordoned already") : run(step.action);
    case "node.drain":
      return run(step.action);
    case "pods.force-delete":
      return facts.terminatingPods > 0 ? run(step.action) : pass("no pod on the node is Terminating");
    case "node.out-of-service.apply":
      if (facts.taintKeys.includes(OUT_OF_SERVICE_TAINT.key)) return pass("the out-of-service taint is applied already");
      if (supportsOutOfService(facts.serverVersion)) return run(step.action);
      if (ladder.slice(index + 1).some((s) => s.action === "node.delete"))
        return pass(
          `Kubernetes ${facts.serverVersion ?? "(unknown version)"} does not act on the out-of-service taint; the ladder deletes the node next`,
        );
      return run(
        "node.delete",
        `Kubernetes ${facts.serverVersion ?? "(unknown version)"} does not act on the out-of-service taint (1.26+): node.delete instead`,
      );
    case "node.delete":
      return run(step.action);
  }
}
