"use client";

import { useState } from "react";
import { useActor } from "@/components/auth/actor-context";
import { Card } from "@/components/ui/card";
import { can } from "@/lib/auth/permissions";
import { ACTION_LABELS, ACTION_PERMISSION, slugOf, type TAction } from "@/lib/remediation/catalog";
import { supportsOutOfService } from "@/lib/remediation/gates";
import type { TNodeView } from "@/lib/views/nodes";
import { ActionDialog } from "./action-dialog";

const DANGER: ReadonlySet<TAction> = new Set(["pods.force-delete", "node.delete", "node.out-of-service.apply"]);

/**
 * The actions the signed-in role may take on this node. Hiding a button is only a convenience:
 * every action is checked again (role, gates, confirmation) by the server.
 */
export function RemediationPanel({ view }: { view: TNodeView }) {
  const actor = useActor();
  const [open, setOpen] = useState<TAction | null>(null);
  if (!actor) return null;
  const n = view.node;
  const oos = n.taints.some((t) => t.key === "node.kubernetes.io/out-of-service");
  const serverVersion = "serverVersion" in view.connection ? (view.connection.serverVersion ?? null) : null;
  const oosSupported = supportsOutOfService(serverVersion);
  const actions: TAction[] = [
    n.cordoned ? "node.uncordon" : "node.cordon",
    "node.drain",
    ...(view.pods.some((p) => p.terminatingSince) ? (["pods.force-delete"] as const) : []),
    "node.delete",
    ...(oos ? (["node.out-of-service.remove"] as const) : oosSupported ? (["node.out-of-service.apply"] as const) : []),
    ...(view.restore?.available ? (["node.restore"] as const) : []),
  ];
  const mine = actions.filter((a) => can(actor.role, ACTION_PERMISSION[a]));
  if (mine.length === 0) return null;
  return (
    <Card title="Remediate">
      <div className="flex flex-wrap gap-2 px-4 py-3" data-testid="remediation-actions">
        {mine.map((a) => (
          <button
            key={a}
            type="button"
            data-testid={`action-${slugOf(a)}`}
            onClick={() => setOpen(a)}
            className={`rounded-md px-3 py-1.5 text-sm font-medium shadow-sm ring-1 ring-inset ${DANGER.has(a) ? "bg-red-600 text-white ring-red-700 hover:bg-red-500" : "bg-white ring-zinc-300 hover:bg-zinc-50 dark:bg-zinc-800 dark:ring-zinc-600 dark:hover:bg-zinc-700"}`}
          >
            {ACTION_LABELS[a]}…
          </button>
        ))}
      </div>
      {!oosSupported && !oos && can(actor.role, "node.out-of-service.apply") ? (
        <p className="px-4 pb-2 text-xs text-zinc-600 dark:text-zinc-400" data-testid="out-of-service-unsupported">
          No out-of-service taint: Kubernetes {serverVersion ?? "(unknown version)"} does not act on it (non-graceful node shutdown needs
          1.26 or later). Use Delete node to free a dead node&apos;s pods.
        </p>
      ) : null}
      <p className="px-4 pb-3 text-xs text-zinc-500">
        Each action shows a dry run and the safety gates first, and needs the node name typed and a reason.
      </p>
      {open ? <ActionDialog node={n.name} action={open} slug={slugOf(open)} onClose={() => setOpen(null)} /> : null}
    </Card>
  );
}
