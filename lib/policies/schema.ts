// The repair policy document, as the API accepts it and the database stores it. Parsing fills
// in every default and puts sets in one order, so the result is the canonical document: what is
// stored and returned, and what a GET → PUT round trip gives back unchanged. Unknown fields are
// refused at every level; every message names its field through its path ("criteria.1.forSeconds:
// …", lib/api/issues.ts), so no message of a field starts with a field name of its own.
import { z } from "zod";
import { ACTIONS } from "@/lib/remediation/catalog";
import {
  CONDITION_STATUSES,
  CONTROL_PLANE_LABELS,
  DEFAULT_CRITERIA,
  DEFAULT_ENABLED,
  DEFAULT_FLAPPING,
  DEFAULT_LADDER,
  DEFAULT_MAX_CONCURRENT,
  DEFAULT_MAX_REPAIRS_PER_HOUR,
  DEFAULT_MIN_HEALTHY_PERCENT,
  DEFAULT_MODE,
  DEFAULT_QUARANTINE_SECONDS,
  DEFAULT_SELECTOR,
  HEARTBEAT_CONDITION,
  HEARTBEAT_STATUSES,
  KUBELET_CONDITIONS,
  LADDER_ACTIONS,
  POLICY_LIMITS as LIMITS,
  POLICY_MODES,
  WEEKDAYS,
} from "./defaults";
import { isLabelValue, isQualifiedName } from "./qualified-name";

const list = (values: readonly string[]) => values.join(", ");

type TWritable<T> = { -readonly [K in keyof T]: TWritable<T[K]> };
/** A fresh copy of a (deeply readonly) default, for prefault: parsing may not share the constant. */
const copy =
  <T>(value: T) =>
  () =>
    structuredClone(value) as TWritable<T>;

/** A strict object whose own refusals say what it is: an unknown field, or not an object at all. */
const strict = <S extends z.core.$ZodLooseShape>(what: string, shape: S) =>
  z.strictObject(shape, {
    error: (iss) =>
      iss.code === "unrecognized_keys"
        ? `unknown field ${iss.keys.map((k) => `"${k}"`).join(", ")}; ${what} has ${list(Object.keys(shape))}`
        : `expected ${what}: a JSON object with ${list(Object.keys(shape))}`,
  });

const integer = (min: number, max: number, unit = "") => {
  const message = `an integer from ${min} to ${max}${unit}`;
  return z.int({ error: message }).min(min, message).max(max, message);
};
const flag = () => z.boolean({ error: "true or false" });

const NAME_RULE = "1–63 lowercase letters, digits and '-', starting and ending with a letter or digit";
const ZName = z
  .string({ error: `a name is required: ${NAME_RULE}` })
  .refine((v) => v.length <= LIMITS.nameLength && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(v), `must be ${NAME_RULE}`);

const KEY_RULE = "[prefix/]name, the name 1–63 letters, digits, '-', '_' or '.' between letters or digits";
const VALUE_RULE = "empty, or up to 63 letters, digits, '-', '_' or '.' between letters or digits";
const sortKeys = (labels: Record<string, string>) =>
  Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

const ZMatchLabels = z
  .record(z.string(), z.string({ error: "label values are strings" }), { error: "an object of label keys and values" })
  .superRefine((labels, ctx) => {
    for (const [key, value] of Object.entries(labels)) {
      if (!isQualifiedName(key)) ctx.addIssue({ code: "custom", message: `"${key}" is not a label key: ${KEY_RULE}` });
      else if (!isLabelValue(value)) ctx.addIssue({ code: "custom", message: `"${value}" (${key}) is not a label value: ${VALUE_RULE}` });
    }
  })
  .transform(sortKeys);

const OPERATORS = ["In", "NotIn", "Exists", "DoesNotExist"] as const;
const ZExpression = strict("a match expression", {
  key: z.string({ error: "a label key is required" }).refine(isQualifiedName, `not a label key: ${KEY_RULE}`),
  operator: z.enum(OPERATORS, { error: list(OPERATORS) }),
  values: z
    .array(z.string({ error: "label values are strings" }).refine(isLabelValue, `not a label value: ${VALUE_RULE}`), {
      error: "a list of label values",
    })
    .max(100, "at most 100 values")
    .prefault([]),
}).superRefine((e, ctx) => {
  const takesValues = e.operator === "In" || e.operator === "NotIn";
  if (takesValues && e.values.length === 0)
    ctx.addIssue({ code: "custom", path: ["values"], message: `${e.operator} needs at least one value` });
  if (!takesValues && e.values.length > 0) ctx.addIssue({ code: "custom", path: ["values"], message: `${e.operator} takes no values` });
});

const ZSelectorObject = strict("a selector", {
  matchLabels: ZMatchLabels.prefault({}),
  matchExpressions: z
    .array(ZExpression, { error: "a list of match expressions" })
    .max(LIMITS.matchExpressions, `at most ${LIMITS.matchExpressions} expressions`)
    .prefault([]),
});

type TStatus = (typeof CONDITION_STATUSES)[number] | (typeof HEARTBEAT_STATUSES)[number];
const statusesOf = (type: string): readonly TStatus[] => (type === HEARTBEAT_CONDITION ? HEARTBEAT_STATUSES : CONDITION_STATUSES);

const statusMessage = (type: string, status: string) =>
  type === HEARTBEAT_CONDITION
    ? `"${status}" is not a ${HEARTBEAT_CONDITION} status: only "Stale"`
    : `"${status}" is not a condition status: True, False or Unknown${status === "Stale" ? ` ("Stale" is for ${HEARTBEAT_CONDITION})` : ""}`;

const ZConditionType = z
  .string({ error: `a condition type is required: Ready, DiskPressure, ${HEARTBEAT_CONDITION}, any other node condition` })
  .superRefine((type, ctx) => {
    if (!isQualifiedName(type)) {
      ctx.addIssue({ code: "custom", message: `"${type}" is not a condition type: a qualified name like Ready or KernelDeadlock` });
      return;
    }
    const meant = [HEARTBEAT_CONDITION, ...KUBELET_CONDITIONS].find((k) => k !== type && k.toLowerCase() === type.toLowerCase());
    if (meant) ctx.addIssue({ code: "custom", message: `"${type}" is not ${meant}: condition types are case-sensitive` });
  });

const ZCriterion = strict("a criterion", {
  type: ZConditionType,
  status: z.array(z.string({ error: "statuses are strings" }), { error: "a list of statuses" }).min(1, "at least one status"),
  forSeconds: integer(0, LIMITS.forSeconds, " (seconds)"),
})
  .superRefine((c, ctx) => {
    const allowed: readonly string[] = statusesOf(c.type);
    c.status.forEach((s, i) => {
      if (!allowed.includes(s)) ctx.addIssue({ code: "custom", path: ["status", i], message: statusMessage(c.type, s) });
    });
  })
  // A set: each status once, in the order True, False, Unknown.
  .transform((c) => ({ ...c, status: statusesOf(c.type).filter((s) => c.status.includes(s)) }));

const ZCriteria = z
  .array(ZCriterion, { error: "a list of criteria" })
  .min(1, "at least one criterion (leave criteria out for the defaults)")
  .max(LIMITS.criteria, `at most ${LIMITS.criteria} criteria`)
  .superRefine((criteria, ctx) => {
    const seen = new Map<string, number>();
    criteria.forEach((c, i) => {
      for (const s of c.status) {
        const key = `${c.type}=${s}`;
        const first = seen.get(key);
        if (first === undefined) seen.set(key, i);
        else ctx.addIssue({ code: "custom", path: [i, "status"], message: `${key} is in criteria.${first} already` });
      }
    });
  });

const stepActionMessage = (input: unknown) => {
  const steps = `a ladder step is one of ${list(LADDER_ACTIONS)}`;
  if (typeof input !== "string") return `an action is required; ${steps}`;
  if ((ACTIONS as readonly string[]).includes(input)) return `${input} does not repair a node; ${steps}`;
  return `unknown action "${input.slice(0, 60)}"; ${steps}`;
};

const ZStep = strict("a ladder step", {
  action: z.enum(LADDER_ACTIONS, { error: (iss) => stepActionMessage(iss.input) }),
  timeoutSeconds: integer(0, LIMITS.timeoutSeconds, " (seconds before the next step)"),
});

const ZLadder = z
  .array(ZStep, { error: "a list of steps" })
  .min(1, "at least one step (leave ladder out for the default)")
  .max(LIMITS.ladderSteps, `at most ${LIMITS.ladderSteps} steps`)
  .superRefine((steps, ctx) => {
    const deletedAt = steps.findIndex((s) => s.action === "node.delete");
    steps.forEach((s, i) => {
      const first = steps.findIndex((o) => o.action === s.action);
      const message =
        first < i
          ? `${s.action} is ladder.${first} already: each action once`
          : deletedAt !== -1 && deletedAt < i && s.action !== "pods.force-delete"
            ? `${s.action} cannot follow node.delete (ladder.${deletedAt}): the node is gone by then`
            : null;
      if (message) ctx.addIssue({ code: "custom", path: [i, "action"], message });
    });
  });

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;
const START_RULE = "a time of day, HH:MM from 00:00 to 23:59";
const END_RULE = "a time of day, HH:MM from 00:00 to 24:00";

/** The zone's canonical name ("europe/berlin" → "Europe/Berlin"), or null when Intl does not know it. */
export function resolveTimeZone(timeZone: string): string | null {
  if (timeZone.length === 0 || timeZone.length > 100) return null;
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

const ZWindow = strict("a maintenance window", {
  days: z
    .array(z.enum(WEEKDAYS, { error: `each one of ${list(WEEKDAYS)}` }), { error: "a list of weekdays" })
    .min(1, "at least one day (leave days out for every day)")
    .prefault([...WEEKDAYS])
    // A set, Monday first.
    .transform((days) => WEEKDAYS.filter((d) => days.includes(d))),
  start: z.string({ error: START_RULE }).regex(HH_MM, START_RULE),
  end: z.string({ error: END_RULE }).refine((v) => HH_MM.test(v) || v === "24:00", END_RULE),
  timeZone: z.string({ error: "an IANA time zone is required, e.g. Europe/Berlin or UTC" }).transform((tz, ctx) => {
    const resolved = resolveTimeZone(tz);
    if (resolved) return resolved;
    ctx.addIssue({ code: "custom", message: `"${tz.slice(0, 100)}" is not a time zone (IANA names, e.g. Europe/Berlin or UTC)` });
    return z.NEVER;
  }),
}).superRefine((w, ctx) => {
  if (w.start === w.end)
    ctx.addIssue({
      code: "custom",
      path: ["end"],
      message: "equal to start: a window needs a length (an end before the start crosses midnight; 00:00–24:00 is the whole day)",
    });
});

const ZFlapping = strict("flapping", {
  incidents: integer(LIMITS.flappingIncidents.min, LIMITS.flappingIncidents.max).prefault(DEFAULT_FLAPPING.incidents),
  withinSeconds: integer(LIMITS.flappingWithinSeconds.min, LIMITS.flappingWithinSeconds.max, " (seconds)").prefault(
    DEFAULT_FLAPPING.withinSeconds,
  ),
});

const POLICY_SHAPE = {
  name: ZName,
  description: z
    .string({ error: `text of at most ${LIMITS.descriptionLength} characters` })
    .max(LIMITS.descriptionLength, `at most ${LIMITS.descriptionLength} characters`)
    .prefault(""),
  mode: z.enum(POLICY_MODES, { error: '"act" or "propose"' }).prefault(DEFAULT_MODE),
  enabled: flag().prefault(DEFAULT_ENABLED),
  selector: ZSelectorObject.prefault(copy(DEFAULT_SELECTOR)),
  includeControlPlane: flag().prefault(false),
  criteria: ZCriteria.prefault(copy(DEFAULT_CRITERIA)),
  ladder: ZLadder.prefault(copy(DEFAULT_LADDER)),
  minHealthyPercent: integer(0, 100, " (percent)").prefault(DEFAULT_MIN_HEALTHY_PERCENT),
  maxRepairsPerHour: integer(1, LIMITS.maxRepairsPerHour).prefault(DEFAULT_MAX_REPAIRS_PER_HOUR),
  maxConcurrent: integer(1, LIMITS.maxConcurrent).prefault(DEFAULT_MAX_CONCURRENT),
  maintenanceWindows: z
    .array(ZWindow, { error: "a list of windows ([] for always)" })
    .max(LIMITS.maintenanceWindows, `at most ${LIMITS.maintenanceWindows} windows`)
    .prefault([]),
  quarantineSeconds: integer(0, LIMITS.quarantineSeconds, " (seconds)").prefault(DEFAULT_QUARANTINE_SECONDS),
  flapping: ZFlapping.prefault({}),
};

/** Whether the selector asks for a control-plane label (so it can only select control-plane nodes). */
const controlPlaneLabelOf = (selector: z.output<typeof ZSelectorObject>) =>
  CONTROL_PLANE_LABELS.find(
    (key) =>
      Object.hasOwn(selector.matchLabels, key) ||
      selector.matchExpressions.some((e) => e.key === key && (e.operator === "In" || e.operator === "Exists")),
  );

export const ZPolicy = strict("a policy", POLICY_SHAPE).superRefine((p, ctx) => {
  const key = p.includeControlPlane ? undefined : controlPlaneLabelOf(p.selector);
  if (key)
    ctx.addIssue({
      code: "custom",
      path: ["selector"],
      message: `requires ${key}, but control-plane nodes never match unless includeControlPlane is true: it would select nothing`,
    });
});
/** The whole document, every default filled in. */
export type TPolicy = z.output<typeof ZPolicy>;
/** What a caller may send: only `name` is required. */
export type TPolicyInput = z.input<typeof ZPolicy>;
export type TCriterion = TPolicy["criteria"][number];
export type TLadderStep = TPolicy["ladder"][number];
export type TMaintenanceWindow = TPolicy["maintenanceWindows"][number];

const ID_RULE = "id: a policy id (a positive integer)";
export const ZPolicyId = z.coerce.number({ error: ID_RULE }).int(ID_RULE).positive(ID_RULE).max(2_147_483_647, ID_RULE);

/** The canonical JSON of a parsed document: what the database stores. */
export const policyJson = (policy: TPolicy) => JSON.stringify(policy);
