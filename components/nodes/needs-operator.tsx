"use client";

import Link from "next/link";
import { useActor } from "@/components/auth/actor-context";
import { REMEDIATE_ANCHOR } from "@/components/remediation/remediation-panel";
import { Since } from "@/components/ui/durations";
import { can } from "@/lib/auth/permissions";
import type { TNeedsOperator } from "@/lib/views/needs-operator";

/** Lines shown before the rest fold away. */
const SHOWN = 3;
/** Workloads named in a line before "+N more". */
const NAMED = 3;

/**
 * The overview's call to action, at the top: one line per dead node whose pods will not come back
 * without a human, with a link to the node's remediation panel.
 */
export function NeedsOperator({ items, total }: { items: TNeedsOperator[]; total: number }) {
  const actor = useActor();
  if (items.length === 0) return null;
  const mayAct = actor ? can(actor.role, "node.drain") : false;
  const lines = items.map((item) => <Line key={item.node} item={item} mayAct={mayAct} />);
  const hidden = total - items.length;
  return (
    <section
      aria-labelledby="needs-operator-title"
      data-testid="needs-operator"
      className="rounded-lg border border-red-300 bg-red-50 text-sm text-red-950 shadow-sm dark:border-red-500/40 dark:bg-red-500/10 dark:text-red-100"
    >
      <h2 id="needs-operator-title" className="sr-only">
        Needs an operator
      </h2>
      <ul className="divide-y divide-red-200 dark:divide-red-500/20">{lines.slice(0, SHOWN)}</ul>
      {lines.length > SHOWN ? (
        <details className="border-t border-red-200 dark:border-red-500/20" data-testid="needs-operator-more">
          <summary className="cursor-pointer px-4 py-2 text-xs font-medium text-red-800 hover:underline dark:text-red-300">
            {lines.length - SHOWN} more dead {lines.length - SHOWN === 1 ? "node needs" : "nodes need"} an operator
          </summary>
          <ul className="divide-y divide-red-200 dark:divide-red-500/20">{lines.slice(SHOWN)}</ul>
        </details>
      ) : null}
      {hidden > 0 ? (
        <p className="border-t border-red-200 px-4 py-2 text-xs dark:border-red-500/20">
          …and {hidden} more; the stuck pods below list the most urgent of them.
        </p>
      ) : null}
    </section>
  );
}

function Line({ item, mayAct }: { item: TNeedsOperator; mayAct: boolean }) {
  const named = item.workloads.slice(0, NAMED);
  const more = item.workloads.length - named.length;
  return (
    <li
      className="flex flex-wrap items-center gap-x-3 gap-y-2 px-4 py-2.5"
      data-testid={`needs-operator-${item.node}`}
      data-node={item.node}
    >
      <span aria-hidden className="inline-block h-2.5 w-2.5 shrink-0 rounded-full bg-red-600 ring-4 ring-red-600/20" />
      <p className="min-w-0 flex-1">
        <b>{item.node}</b> has been {item.state} for{" "}
        <b>
          <Since at={item.deadSince} />
        </b>
        {": "}
        {named.map((w, i) => (
          <span key={`${w.kind}/${w.namespace}/${w.name}`} data-testid="needs-operator-workload">
            {i > 0 ? ", " : ""}
            <span className="text-red-800/80 dark:text-red-300/80">{w.kind}</span>{" "}
            <span className="font-medium">
              {w.namespace}/{w.name}
            </span>{" "}
            <span className="text-red-800/80 dark:text-red-300/80">({w.impact === "degraded" ? "degraded" : "down"})</span>
          </span>
        ))}
        {more > 0 ? ` and ${more} more` : ""} — {item.pods === 1 ? "1 pod does" : `${item.pods} pods do`} not come back without an operator.
      </p>
      <Link
        href={`/nodes/${encodeURIComponent(item.node)}#${REMEDIATE_ANCHOR}`}
        data-testid={`needs-operator-link-${item.node}`}
        className="shrink-0 rounded-md bg-red-600 px-3 py-1.5 text-sm font-semibold text-white shadow-sm hover:bg-red-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-red-600"
      >
        {mayAct ? `Remediate ${item.node}` : `Open ${item.node}`} →
      </Link>
    </li>
  );
}
