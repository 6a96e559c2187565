import type { TAuditEventView } from "@/lib/audit/filters";

const STYLES = {
  succeeded: "bg-emerald-50 text-emerald-800 ring-emerald-600/20 dark:bg-emerald-500/10 dark:text-emerald-300 dark:ring-emerald-400/30",
  failed: "bg-red-50 text-red-800 ring-red-600/30 dark:bg-red-500/10 dark:text-red-300 dark:ring-red-400/40",
  refused: "bg-amber-50 text-amber-800 ring-amber-600/30 dark:bg-amber-500/10 dark:text-amber-300 dark:ring-amber-400/30",
  interrupted: "bg-purple-50 text-purple-800 ring-purple-600/30 dark:bg-purple-500/10 dark:text-purple-300 dark:ring-purple-400/30",
  pending: "bg-sky-50 text-sky-800 ring-sky-600/30 dark:bg-sky-500/10 dark:text-sky-300 dark:ring-sky-400/30",
  intent: "bg-zinc-100 text-zinc-600 ring-zinc-500/20 dark:bg-zinc-500/10 dark:text-zinc-400 dark:ring-zinc-400/30",
} as const;

/** What a row shows: its outcome; an intent shows "pending" until its outcome exists, else "intent". */
export const rowStatus = (row: Pick<TAuditEventView, "outcome" | "pending">): keyof typeof STYLES =>
  row.outcome ?? (row.pending ? "pending" : "intent");

export function OutcomeBadge({ row }: { row: Pick<TAuditEventView, "outcome" | "pending"> }) {
  const status = rowStatus(row);
  return (
    <span className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${STYLES[status]}`}>
      {status}
    </span>
  );
}
