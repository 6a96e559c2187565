"use client";

import { useEffect, useRef, useState } from "react";
import { useActor } from "@/components/auth/actor-context";
import { Card } from "@/components/ui/card";
import { Modal } from "@/components/ui/dialog";
import { can } from "@/lib/auth/permissions";
import { ACTION_LABELS, ACTION_PERMISSION, slugOf, type TAction } from "@/lib/remediation/catalog";
import { supportsOutOfService } from "@/lib/remediation/gates";
import type { TNodeView } from "@/lib/views/nodes";
import { ActionDialogBody } from "./action-dialog";

/** The panel's id: /nodes/<name>#remediate scrolls to it and focuses it. */
export const REMEDIATE_ANCHOR = "remediate";
const ARRIVAL_HIGHLIGHT_MS = 4_000;

const DANGER: ReadonlySet<TAction> = new Set(["pods.force-delete", "node.delete", "node.out-of-service.apply"]);

/**
 * The actions the signed-in role may take on this node. Hiding a button is only a convenience:
 * every action is checked again (role, gates, confirmation) by the server. The overview's call to
 * action links here as /nodes/<name>#remediate: the panel then scrolls into view and takes focus.
 */
export function RemediationPanel({ view }: { view: TNodeView }) {
  const actor = useActor();
  // The action shown stays set while the dialog closes; `open` says whether it is open.
  const [dialog, setDialog] = useState<{ action: TAction; open: boolean } | null>(null);
  const panel = useRef<HTMLDivElement>(null);
  const opener = useRef<HTMLButtonElement | null>(null);
  const [arrived, setArrived] = useState(false);
  const shown = Boolean(actor);
  useEffect(() => {
    if (!shown || !panel.current || window.location.hash !== `#${REMEDIATE_ANCHOR}`) return;
    panel.current.scrollIntoView({ block: "center" });
    panel.current.focus({ preventScroll: true });
    setArrived(true);
    const t = setTimeout(() => setArrived(false), ARRIVAL_HIGHLIGHT_MS);
    return () => clearTimeout(t);
  }, [shown]);
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
  // Proposed: the node is back and empty (the server's removal gate checks the same again).
  const proposed = (a: TAction) => a === "node.out-of-service.remove" && view.outOfService?.release.releasable === true;
  if (mine.length === 0) return null;
  // Back to the button that opened the dialog; if the action made it go (Cordon became Uncordon), the first action.
  const returnFocus = () =>
    opener.current?.isConnected ? opener.current : (panel.current?.querySelector<HTMLButtonElement>("[data-testid^='action-']") ?? null);
  return (
    <div
      ref={panel}
      id={REMEDIATE_ANCHOR}
      tabIndex={-1}
      data-testid="remediation-panel"
      className={`scroll-mt-20 rounded-lg outline-none ${arrived ? "ring-2 ring-sky-500 ring-offset-2 dark:ring-offset-zinc-950" : ""}`}
    >
      <Card title="Remediate" className="h-full">
        <div className="flex flex-wrap gap-2 px-4 py-3" data-testid="remediation-actions">
          {mine.map((a) => (
            <button
              key={a}
              type="button"
              data-testid={`action-${slugOf(a)}`}
              data-proposed={proposed(a) ? "true" : undefined}
              onClick={(e) => {
                opener.current = e.currentTarget;
                setDialog({ action: a, open: true });
              }}
              className={`rounded-md px-3 py-1.5 text-sm font-medium shadow-sm ring-1 ring-inset ${DANGER.has(a) ? "bg-red-600 text-white ring-red-700 hover:bg-red-500" : proposed(a) ? "bg-sky-600 text-white ring-sky-700 hover:bg-sky-500" : "bg-white ring-zinc-300 hover:bg-zinc-50 dark:bg-zinc-800 dark:ring-zinc-600 dark:hover:bg-zinc-700"}`}
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
        {dialog ? (
          <Modal
            open={dialog.open}
            onOpenChange={(open) => setDialog((d) => (d ? { ...d, open } : d))}
            title={`${ACTION_LABELS[dialog.action]}: ${n.name}`}
            description="The dry run and the safety gates are checked again while this dialog is open. The action needs the node name typed and a reason."
            returnFocus={returnFocus}
            data-testid="action-dialog"
            data-action={dialog.action}
          >
            <ActionDialogBody node={n.name} action={dialog.action} slug={slugOf(dialog.action)} />
          </Modal>
        ) : null}
      </Card>
    </div>
  );
}
