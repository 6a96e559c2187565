// Repair policies: an admin's create, replace and delete, each audited in the transaction that
// makes it (describePolicyChange's diff as the message, the documents before and after in the
// results). A replace that changes nothing writes nothing but its "no change" audit row.
import { Prisma } from "@/generated/prisma/client";
import { ApiError } from "@/lib/api/errors";
import type { TAuditAttempt } from "@/lib/audit/write";
import { writeOutcome } from "@/lib/audit/write";
import type { TDb } from "@/lib/db";
import { describePolicyChange } from "./describe-change";
import { findPolicy } from "./list-policies";
import { policyJson, type TPolicy } from "./schema";

const conflict = (err: unknown, name: string) =>
  err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002"
    ? new ApiError("conflict", `name: a policy named "${name}" exists already`)
    : err;

const columns = (policy: TPolicy) => ({ name: policy.name, enabled: policy.enabled, mode: policy.mode, document: policyJson(policy) });

export async function createPolicy(db: TDb, attempt: TAuditAttempt, policy: TPolicy) {
  try {
    return await db.$transaction(async (tx) => {
      const row = await tx.repairPolicy.create({
        data: { cluster: attempt.cluster, ...columns(policy), createdBy: attempt.actor?.name ?? "unknown" },
      });
      await writeOutcome(tx, {
        ...attempt,
        target: policy.name,
        outcome: "succeeded",
        message: describePolicyChange(null, policy),
        results: { id: row.id, after: policy },
      });
      return { id: row.id, policy };
    });
  } catch (err) {
    throw conflict(err, policy.name);
  }
}

/** PUT: the whole document is replaced by `policy` (the name may change, unique still). */
export async function replacePolicy(db: TDb, attempt: TAuditAttempt, id: number, policy: TPolicy) {
  try {
    return await db.$transaction(async (tx) => {
      const { policy: before } = await findPolicy(tx, attempt.cluster, id);
      if (policyJson(before) !== policyJson(policy)) await tx.repairPolicy.update({ where: { id }, data: columns(policy) });
      await writeOutcome(tx, {
        ...attempt,
        target: policy.name,
        outcome: "succeeded",
        message: describePolicyChange(before, policy),
        results: { id, before, after: policy },
      });
      return { id, policy };
    });
  } catch (err) {
    throw conflict(err, policy.name);
  }
}

export async function deletePolicy(db: TDb, attempt: TAuditAttempt, id: number) {
  return db.$transaction(async (tx) => {
    const { policy } = await findPolicy(tx, attempt.cluster, id);
    await tx.repairPolicy.delete({ where: { id } });
    await writeOutcome(tx, {
      ...attempt,
      target: policy.name,
      outcome: "succeeded",
      message: describePolicyChange(policy, null),
      results: { id, before: policy },
    });
    return { id, deleted: policy };
  });
}
