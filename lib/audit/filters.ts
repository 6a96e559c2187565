// What the audit history can be filtered by, shared by the list function, the API routes and the
// browser (no server imports here: the filter bar builds its links with the same names).
import { z } from "zod";
import { ACTIONS } from "@/lib/remediation/catalog";

/** The remediation actions node-rescue audits (lib/remediation/catalog.ts). */
export const AUDIT_ACTIONS = ACTIONS;
export type TAuditAction = (typeof AUDIT_ACTIONS)[number];

/** What an "outcome" row records. Intents have no outcome. */
export const AUDIT_OUTCOMES = ["succeeded", "failed", "refused", "interrupted"] as const;
export type TAuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/** The outcome filter adds "pending": intents whose outcome row has not been written (yet). */
export const AUDIT_OUTCOME_FILTERS = [...AUDIT_OUTCOMES, "pending"] as const;
export type TAuditOutcomeFilter = (typeof AUDIT_OUTCOME_FILTERS)[number];

export const AUDIT_PHASES = ["intent", "outcome"] as const;
export type TAuditPhase = (typeof AUDIT_PHASES)[number];

/** Query strings send "" for an empty form field: treat it as "no filter". */
const blankAsUndefined = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);

const ZIsoDateTime = z.iso.datetime({ offset: true });

/** A Date, or an ISO 8601 date-time with a zone ("Z" or "+01:00") from a query string. */
const ZInstant = (name: "from" | "to") =>
  z.preprocess(
    (value) => {
      const v = blankAsUndefined(value);
      return typeof v === "string" && ZIsoDateTime.safeParse(v).success ? new Date(v) : v;
    },
    // z.date() rejects strings that are not such date-times and Invalid Date, with this message.
    z.date({ error: `${name} must be an ISO 8601 date-time with a time zone, e.g. 2026-01-31T08:00:00Z` }).optional(),
  );

/** The filter fields, each optional; combined with AND. */
export const AUDIT_FILTER_SHAPE = {
  /** Substring of the actor's name (email or token name), case-insensitive for ASCII. */
  actor: z.preprocess(blankAsUndefined, z.string().trim().max(200, "actor is at most 200 characters").optional()),
  /** Exact target (a node name). */
  node: z.preprocess(blankAsUndefined, z.string().trim().max(253, "node is at most 253 characters").optional()),
  action: z.preprocess(blankAsUndefined, z.enum(AUDIT_ACTIONS, { error: `action must be one of ${AUDIT_ACTIONS.join(", ")}` }).optional()),
  outcome: z.preprocess(
    blankAsUndefined,
    z.enum(AUDIT_OUTCOME_FILTERS, { error: `outcome must be one of ${AUDIT_OUTCOME_FILTERS.join(", ")}` }).optional(),
  ),
  /** One attempt: its intent and outcome rows (an incident's action marker links here). */
  actionId: z.preprocess(
    blankAsUndefined,
    z
      .string()
      .trim()
      .max(64, "actionId is at most 64 characters")
      .regex(/^[A-Za-z0-9-]+$/, "actionId is letters, digits and dashes")
      .optional(),
  ),
  /** Inclusive lower bound of `at`. */
  from: ZInstant("from"),
  /** Inclusive upper bound of `at`. */
  to: ZInstant("to"),
};

type TRange = { from?: Date | undefined; to?: Date | undefined };
const fromNotAfterTo = (range: TRange) => !(range.from && range.to && range.from.getTime() > range.to.getTime());
export const FROM_AFTER_TO_MESSAGE = "from must not be after to";
/** Adds the from ≤ to check to an object schema containing the filter fields. */
export const withOrderedRange = <T extends z.ZodType<TRange>>(schema: T) =>
  schema.refine(fromNotAfterTo, { message: FROM_AFTER_TO_MESSAGE, path: ["from"] });

/** Audit filters, from code (Dates) or a query string (ISO strings, "" = unset). Unknown keys are rejected. */
export const ZAuditFilters = withOrderedRange(z.strictObject(AUDIT_FILTER_SHAPE));
export type TAuditFilters = z.infer<typeof ZAuditFilters>;
export type TAuditFiltersInput = z.input<typeof ZAuditFilters>;

/** The filter names, in the order the filter bar and the query string use them. */
export const AUDIT_FILTER_KEYS = [
  "actor",
  "node",
  "action",
  "outcome",
  "actionId",
  "from",
  "to",
] as const satisfies readonly (keyof TAuditFilters)[];

/** One audit row as the JSON API sends it (dates as ISO strings). */
export type TAuditEventView = {
  id: number;
  actionId: string;
  phase: TAuditPhase;
  outcome: TAuditOutcome | null;
  /** An intent whose outcome row does not exist yet (in flight, or the process died). */
  pending: boolean;
  cluster: string;
  action: string;
  targetKind: string;
  target: string;
  actorKind: string;
  actorId: string | null;
  actorName: string;
  actorRole: string | null;
  sourceIp: string | null;
  userAgent: string | null;
  reason: string | null;
  gateOverride: string | null;
  plan: string | null;
  results: string | null;
  k8sStatus: string | null;
  message: string | null;
  at: string;
};
export type TAuditPageView = { items: TAuditEventView[]; nextCursor: string | null };
