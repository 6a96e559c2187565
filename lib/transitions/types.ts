// Schemas and types shared by the transition recorder and its readers.
//
// No `import "server-only"` in lib/transitions/*: the integration tests and tsx scripts import
// these modules directly, and `server-only` throws outside Next's React Server bundling.
import { z } from "zod";
import { NODE_STATES } from "@/lib/health/states";

export const ZNodeState = z.enum(NODE_STATES);

/** One observed change, as the watcher hands it to the recorder. */
export const ZTransitionInput = z.object({
  node: z.string().min(1),
  nodeUid: z.string().min(1).nullable(),
  /** What the caller believed the previous state was; used only for a node's first row. */
  from: ZNodeState.nullish(),
  to: ZNodeState,
  reason: z.string(),
  observedAt: z.date(),
  /** The Ready condition's lastTransitionTime. */
  apiTransitionTime: z.date().nullish(),
});
export type TTransitionInput = z.input<typeof ZTransitionInput>;

/** A stored NodeTransition row, validated on the way out of the database. */
export const ZStoredTransition = z.object({
  id: z.number().int(),
  cluster: z.string(),
  node: z.string(),
  nodeUid: z.string().nullable(),
  seq: z.number().int().positive(),
  fromState: ZNodeState.nullable(),
  toState: ZNodeState,
  reason: z.string(),
  observedAt: z.date(),
  apiTransitionTime: z.date().nullable(),
  createdAt: z.date(),
});
export type TStoredTransition = z.infer<typeof ZStoredTransition>;

/** The last stored state of one node. */
export type TLastState = {
  state: z.infer<typeof ZNodeState>;
  seq: number;
  observedAt: Date;
  nodeUid: string | null;
};
