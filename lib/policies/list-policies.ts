// The stored policies as the API returns them: each document read back through the schema (the
// table is a boundary too: a hand edit, a document from an older schema), and in the list how
// many of the cluster's current nodes each one selects.
import type { RepairPolicy } from "@/generated/prisma/client";
import { ApiError } from "@/lib/api/errors";
import { issuesMessage } from "@/lib/api/issues";
import type { TDb } from "@/lib/db";
import type { TSnapshot } from "@/lib/monitor/snapshot";
import { matchesSelector } from "./matches-selector";
import { type TPolicy, ZPolicy } from "./schema";

export type TPolicyItem = {
  id: number;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  /** The whole document: what GET /api/policies/<id> returns and PUT takes. */
  policy: TPolicy;
  /** Nodes of the monitor's latest snapshot the policy selects; null before the first one. */
  selectedNodes: number | null;
};

export type TPolicyList = { policies: TPolicyItem[]; clusterNodes: number | null };

/** The row's document; an invalid one is a server error that names the row. */
export function documentOf(row: Pick<RepairPolicy, "id" | "name" | "document">): TPolicy {
  const parsed = ZPolicy.safeParse(JSON.parse(row.document));
  if (!parsed.success)
    throw new Error(`repair policy ${row.id} ("${row.name}") as stored is invalid: ${issuesMessage(parsed.error.issues)}`);
  return parsed.data;
}

export async function findPolicy(db: Pick<TDb, "repairPolicy">, cluster: string, id: number) {
  const row = await db.repairPolicy.findFirst({ where: { id, cluster } });
  if (!row) throw new ApiError("not_found", `repair policy ${id} does not exist`);
  return { row, policy: documentOf(row) };
}

/** Every policy of the cluster by name, each with its count of selected nodes in `snapshot`. */
export async function listPolicies(
  db: TDb,
  cluster: string,
  snapshot: Pick<TSnapshot, "health" | "nodeObjects"> | null,
): Promise<TPolicyList> {
  const rows = await db.repairPolicy.findMany({ where: { cluster }, orderBy: { name: "asc" } });
  const labels = snapshot?.health ? [...snapshot.nodeObjects.values()].map((n) => n.metadata?.labels) : null;
  return {
    policies: rows.map((row) => {
      const policy = documentOf(row);
      return {
        id: row.id,
        createdBy: row.createdBy,
        createdAt: row.createdAt.toISOString(),
        updatedAt: row.updatedAt.toISOString(),
        policy,
        selectedNodes: labels ? labels.filter((l) => matchesSelector(policy, l)).length : null,
      };
    }),
    clusterNodes: labels?.length ?? null,
  };
}
