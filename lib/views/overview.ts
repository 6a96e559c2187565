// GET /api/overview: what the overview page shows, with the nodes paged and filtered on the
// server (a browser at 5,000 nodes should not download, sort and page every node per event).
import type { TNodeHealth } from "@/lib/health";
import type { TSnapshot } from "@/lib/monitor/snapshot";
import { viewNeedsOperator } from "./needs-operator";
import { stuckCountByNode, viewIncident, viewNodeRow, viewSnapshotHead } from "./nodes";

/** The operator's eye goes to the top: the worst state first. */
const STATE_ORDER = { Unknown: 0, NotReady: 1, HeartbeatLate: 2, Ready: 3, Deleted: 4 } as const;

export type TOverviewQuery = { page: number; pageSize: number; q: string };

type TPrepared = {
  /** Every node, worst state first, then by name. */
  ordered: readonly TNodeHealth[];
  stuck: ReadonlyMap<string, number>;
  incident: ReturnType<typeof viewIncident>;
  /** The call to action at the top: dead nodes whose pods need an operator. */
  needsOperator: ReturnType<typeof viewNeedsOperator>;
};

// Once per snapshot, however many clients and pages ask (plain comparisons: thousands of names).
const prepared = new WeakMap<TSnapshot, TPrepared>();

function prepare(s: TSnapshot): TPrepared {
  let p = prepared.get(s);
  if (!p) {
    const ordered = [...(s.health?.nodes ?? [])].sort(
      (a, b) => STATE_ORDER[a.state] - STATE_ORDER[b.state] || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
    );
    p = {
      ordered,
      stuck: stuckCountByNode(s.health?.stuckPods ?? []),
      incident: viewIncident(s),
      needsOperator: viewNeedsOperator({ nodes: ordered, stuckPods: s.health?.stuckPods ?? [], workloads: s.health?.workloads ?? [] }),
    };
    prepared.set(s, p);
  }
  return p;
}

/** The UI's filter: a name fragment, a state (`unknown`, `notready`…) or a role. */
function matchesNodeFilter(n: Pick<TNodeHealth, "name" | "state" | "roles">, q: string) {
  return n.name.includes(q) || n.state.toLowerCase() === q || n.roles.includes(q);
}

export function viewOverview(s: TSnapshot, query: TOverviewQuery) {
  const { ordered, stuck, incident, needsOperator } = prepare(s);
  const q = query.q.trim().toLowerCase();
  const shown = q ? ordered.filter((n) => matchesNodeFilter(n, q)) : ordered;
  const pageSize = Math.max(1, Math.floor(query.pageSize));
  const pages = Math.max(1, Math.ceil(shown.length / pageSize));
  const page = Math.min(Math.max(0, Math.floor(query.page)), pages - 1);
  const rows = shown
    .slice(page * pageSize, (page + 1) * pageSize)
    .map((n) => viewNodeRow(n, s.podsByNode.get(n.name)?.length ?? 0, stuck.get(n.name) ?? 0));
  return {
    ...viewSnapshotHead(s),
    nodes: { rows, total: shown.length, all: ordered.length, page, pages, pageSize, q },
    ...incident,
    needsOperator,
  };
}
export type TOverviewView = ReturnType<typeof viewOverview>;
