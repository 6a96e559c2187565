import { describe, expect, it } from "vitest";
import { issuesMessage } from "@/lib/api/issues";
import { DEFAULT_CRITERIA, DEFAULT_LADDER } from "@/lib/policies/defaults";
import { policyJson, resolveTimeZone, ZPolicy, ZPolicyId } from "@/lib/policies/schema";

/** The refusal as the API words it, or "ok". */
const msg = (body: unknown) => {
  const r = ZPolicy.safeParse(body);
  return r.success ? "ok" : issuesMessage(r.error.issues);
};
const STEPS = "a ladder step is one of node.cordon, node.drain, pods.force-delete, node.out-of-service.apply, node.delete";

/** The document of the issue, written out: the schema must produce exactly this from a name alone. */
const DEFAULT_DOCUMENT = {
  name: "workers-default",
  description: "",
  mode: "propose",
  enabled: false,
  selector: { matchLabels: {}, matchExpressions: [] },
  includeControlPlane: false,
  criteria: [
    { type: "Ready", status: ["False", "Unknown"], forSeconds: 600 },
    { type: "Heartbeat", status: ["Stale"], forSeconds: 600 },
    { type: "DiskPressure", status: ["True"], forSeconds: 1800 },
  ],
  ladder: [
    { action: "node.cordon", timeoutSeconds: 60 },
    { action: "pods.force-delete", timeoutSeconds: 120 },
    { action: "node.out-of-service.apply", timeoutSeconds: 300 },
  ],
  minHealthyPercent: 51,
  maxRepairsPerHour: 3,
  maxConcurrent: 1,
  maintenanceWindows: [],
  quarantineSeconds: 600,
  flapping: { incidents: 3, withinSeconds: 86400 },
};

const FULL = {
  name: "workers-default",
  description: "GKE-like repair for the workers",
  mode: "act",
  enabled: true,
  selector: {
    matchLabels: { "node-role.kubernetes.io/worker": "", "topology.kubernetes.io/zone": "rack-a" },
    matchExpressions: [{ key: "acp.example.com/gpu", operator: "NotIn", values: ["a100"] }],
  },
  includeControlPlane: false,
  criteria: [
    { type: "Ready", status: ["False", "Unknown"], forSeconds: 300 },
    { type: "KernelDeadlock", status: ["True"], forSeconds: 0 },
  ],
  ladder: [
    { action: "node.cordon", timeoutSeconds: 60 },
    { action: "node.drain", timeoutSeconds: 600 },
    { action: "node.delete", timeoutSeconds: 300 },
    { action: "pods.force-delete", timeoutSeconds: 120 },
  ],
  minHealthyPercent: 75,
  maxRepairsPerHour: 2,
  maxConcurrent: 1,
  maintenanceWindows: [{ days: ["Mon", "Tue", "Wed", "Thu", "Fri"], start: "08:00", end: "18:00", timeZone: "Europe/Berlin" }],
  quarantineSeconds: 900,
  flapping: { incidents: 4, withinSeconds: 43200 },
};

describe("ZPolicy: defaults", () => {
  it("fills in every field from a name alone, as the issue's document says", () => {
    expect(ZPolicy.parse({ name: "workers-default" })).toEqual(DEFAULT_DOCUMENT);
  });

  it("keeps the fields in document order (the stored JSON's order)", () => {
    expect(Object.keys(ZPolicy.parse({ name: "x", flapping: {}, mode: "act" }))).toEqual(Object.keys(DEFAULT_DOCUMENT));
  });

  it("fills in nested fields left out", () => {
    const p = ZPolicy.parse({
      name: "x",
      selector: { matchLabels: { a: "b" } },
      flapping: { incidents: 5 },
      maintenanceWindows: [{ start: "22:00", end: "02:00", timeZone: "UTC" }],
    });
    expect(p.selector).toEqual({ matchLabels: { a: "b" }, matchExpressions: [] });
    expect(p.flapping).toEqual({ incidents: 5, withinSeconds: 86400 });
    expect(p.maintenanceWindows).toEqual([
      { days: ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"], start: "22:00", end: "02:00", timeZone: "UTC" },
    ]);
    expect(ZPolicy.parse({ name: "x", selector: { matchExpressions: [{ key: "gpu", operator: "Exists" }] } }).selector).toEqual({
      matchLabels: {},
      matchExpressions: [{ key: "gpu", operator: "Exists", values: [] }],
    });
  });

  it("never shares the default constants with a parsed document", () => {
    const a = ZPolicy.parse({ name: "a" });
    a.criteria[0]?.status.push("True");
    a.ladder.pop();
    a.selector.matchExpressions.push({ key: "k", operator: "Exists", values: [] });
    const b = ZPolicy.parse({ name: "b" });
    expect(b.criteria[0]?.status).toEqual(["False", "Unknown"]);
    expect(b.ladder).toHaveLength(3);
    expect(b.selector.matchExpressions).toEqual([]);
    expect(DEFAULT_CRITERIA[0].status).toEqual(["False", "Unknown"]);
    expect(DEFAULT_LADDER).toHaveLength(3);
  });
});

describe("ZPolicy: the canonical document", () => {
  it("a full document parses to itself", () => {
    expect(ZPolicy.parse(FULL)).toEqual(FULL);
    expect(policyJson(ZPolicy.parse(FULL))).toBe(JSON.stringify(FULL));
  });

  it("parsing the stored JSON again changes nothing (GET then PUT is a no-op)", () => {
    for (const input of [FULL, { name: "a" }, { name: "b", criteria: [{ type: "Ready", status: ["Unknown", "False"], forSeconds: 1 }] }]) {
      const once = ZPolicy.parse(input);
      const twice = ZPolicy.parse(JSON.parse(policyJson(once)));
      expect(policyJson(twice)).toBe(policyJson(once));
    }
  });

  it("puts sets in one order and resolves the time zone's name", () => {
    const p = ZPolicy.parse({
      name: "x",
      selector: { matchLabels: { zone: "a", "acp.example.com/tier": "fast", b: "" } },
      criteria: [{ type: "Ready", status: ["Unknown", "False", "Unknown"], forSeconds: 60 }],
      maintenanceWindows: [{ days: ["Sun", "Mon", "Mon"], start: "08:00", end: "09:00", timeZone: "europe/berlin" }],
    });
    expect(Object.keys(p.selector.matchLabels)).toEqual(["acp.example.com/tier", "b", "zone"]);
    expect(p.criteria[0]?.status).toEqual(["False", "Unknown"]);
    expect(p.maintenanceWindows[0]).toMatchObject({ days: ["Mon", "Sun"], timeZone: "Europe/Berlin" });
  });

  it("accepts any node condition type, prefixed or not, and the Heartbeat pseudo-condition", () => {
    const p = ZPolicy.parse({
      name: "npd",
      criteria: [
        { type: "KernelDeadlock", status: ["True"], forSeconds: 0 },
        { type: "example.com/ReadonlyFilesystem", status: ["True"], forSeconds: 60 },
        { type: "Heartbeat", status: ["Stale"], forSeconds: 604800 },
      ],
    });
    expect(p.criteria.map((c) => c.type)).toEqual(["KernelDeadlock", "example.com/ReadonlyFilesystem", "Heartbeat"]);
  });

  it("a selector on the control-plane label is fine once includeControlPlane is true", () => {
    expect(msg({ name: "cp", includeControlPlane: true, selector: { matchLabels: { "node-role.kubernetes.io/control-plane": "" } } })).toBe(
      "ok",
    );
    expect(
      msg({ name: "no-cp", selector: { matchExpressions: [{ key: "node-role.kubernetes.io/master", operator: "DoesNotExist" }] } }),
    ).toBe("ok");
  });

  it("windows: an end before the start crosses midnight; 00:00–24:00 is the whole day", () => {
    expect(msg({ name: "n", maintenanceWindows: [{ start: "22:00", end: "06:00", timeZone: "UTC" }] })).toBe("ok");
    expect(msg({ name: "n", maintenanceWindows: [{ start: "00:00", end: "24:00", timeZone: "UTC" }] })).toBe("ok");
  });

  it("resolveTimeZone knows IANA names only", () => {
    expect(resolveTimeZone("UTC")).toBe("UTC");
    expect(resolveTimeZone("America/New_York")).toBe("America/New_York");
    expect(resolveTimeZone("Mars/Olympus_Mons")).toBeNull();
    expect(resolveTimeZone("")).toBeNull();
  });
});

describe("ZPolicy: every refusal names its field", () => {
  it.each([
    [{}, "name: a name is required: 1–63 lowercase letters, digits and '-', starting and ending with a letter or digit"],
    [{ name: "Workers" }, "name: must be 1–63 lowercase letters, digits and '-', starting and ending with a letter or digit"],
    [{ name: "-x" }, "name: must be 1–63 lowercase letters, digits and '-', starting and ending with a letter or digit"],
    [{ name: "a".repeat(64) }, "name: must be 1–63 lowercase letters, digits and '-', starting and ending with a letter or digit"],
    [{ name: "x", description: "d".repeat(501) }, "description: at most 500 characters"],
    [{ name: "x", description: 1 }, "description: text of at most 500 characters"],
    [{ name: "x", mode: "auto" }, 'mode: "act" or "propose"'],
    [{ name: "x", enabled: "yes" }, "enabled: true or false"],
    [{ name: "x", includeControlPlane: 1 }, "includeControlPlane: true or false"],
    [{ name: "x", selector: [] }, "selector: expected a selector: a JSON object with matchLabels, matchExpressions"],
    [{ name: "x", selector: { nodeName: "a" } }, 'selector: unknown field "nodeName"; a selector has matchLabels, matchExpressions'],
    [
      { name: "x", selector: { matchLabels: { "bad key": "" } } },
      "selector.matchLabels: \"bad key\" is not a label key: [prefix/]name, the name 1–63 letters, digits, '-', '_' or '.' between letters or digits",
    ],
    [
      { name: "x", selector: { matchLabels: { zone: "a b" } } },
      "selector.matchLabels: \"a b\" (zone) is not a label value: empty, or up to 63 letters, digits, '-', '_' or '.' between letters or digits",
    ],
    [{ name: "x", selector: { matchLabels: { zone: 1 } } }, "selector.matchLabels.zone: label values are strings"],
    [
      { name: "x", selector: { matchExpressions: [{ key: "a", operator: "In" }] } },
      "selector.matchExpressions.0.values: In needs at least one value",
    ],
    [
      { name: "x", selector: { matchExpressions: [{ key: "a", operator: "Exists", values: ["b"] }] } },
      "selector.matchExpressions.0.values: Exists takes no values",
    ],
    [
      { name: "x", selector: { matchExpressions: [{ key: "a", operator: "Gt", values: ["1"] }] } },
      "selector.matchExpressions.0.operator: In, NotIn, Exists, DoesNotExist",
    ],
    [{ name: "x", selector: { matchExpressions: [{ operator: "Exists" }] } }, "selector.matchExpressions.0.key: a label key is required"],
    [
      { name: "x", selector: { matchLabels: { "node-role.kubernetes.io/control-plane": "" } } },
      "selector: requires node-role.kubernetes.io/control-plane, but control-plane nodes never match unless includeControlPlane is true: it would select nothing",
    ],
    [
      { name: "x", selector: { matchExpressions: [{ key: "node-role.kubernetes.io/master", operator: "Exists" }] } },
      "selector: requires node-role.kubernetes.io/master, but control-plane nodes never match unless includeControlPlane is true: it would select nothing",
    ],
    [{ name: "x", criteria: [] }, "criteria: at least one criterion (leave criteria out for the defaults)"],
    [
      { name: "x", criteria: [{ status: ["True"], forSeconds: 1 }] },
      "criteria.0.type: a condition type is required: Ready, DiskPressure, Heartbeat, any other node condition",
    ],
    [
      { name: "x", criteria: [{ type: "Kernel Deadlock", status: ["True"], forSeconds: 1 }] },
      'criteria.0.type: "Kernel Deadlock" is not a condition type: a qualified name like Ready or KernelDeadlock',
    ],
    [
      { name: "x", criteria: [{ type: "ready", status: ["False"], forSeconds: 1 }] },
      'criteria.0.type: "ready" is not Ready: condition types are case-sensitive',
    ],
    [{ name: "x", criteria: [{ type: "Ready", status: [], forSeconds: 1 }] }, "criteria.0.status: at least one status"],
    [
      { name: "x", criteria: [{ type: "Ready", status: ["Maybe"], forSeconds: 1 }] },
      'criteria.0.status.0: "Maybe" is not a condition status: True, False or Unknown',
    ],
    [
      { name: "x", criteria: [{ type: "Ready", status: ["Stale"], forSeconds: 1 }] },
      'criteria.0.status.0: "Stale" is not a condition status: True, False or Unknown ("Stale" is for Heartbeat)',
    ],
    [
      { name: "x", criteria: [{ type: "Heartbeat", status: ["Unknown"], forSeconds: 1 }] },
      'criteria.0.status.0: "Unknown" is not a Heartbeat status: only "Stale"',
    ],
    [
      {
        name: "x",
        criteria: [
          { type: "Ready", status: ["False"], forSeconds: 600 },
          { type: "Ready", status: ["True"], forSeconds: 604801 },
        ],
      },
      "criteria.1.forSeconds: an integer from 0 to 604800 (seconds)",
    ],
    [
      { name: "x", criteria: [{ type: "Ready", status: ["False"], forSeconds: 1.5 }] },
      "criteria.0.forSeconds: an integer from 0 to 604800 (seconds)",
    ],
    [{ name: "x", criteria: [{ type: "Ready", status: ["False"] }] }, "criteria.0.forSeconds: an integer from 0 to 604800 (seconds)"],
    [
      { name: "x", criteria: [{ type: "Ready", status: ["False"], forSeconds: 1, for: "10m" }] },
      'criteria.0: unknown field "for"; a criterion has type, status, forSeconds',
    ],
    [
      {
        name: "x",
        criteria: [
          { type: "Ready", status: ["False"], forSeconds: 1 },
          { type: "Ready", status: ["Unknown", "False"], forSeconds: 9 },
        ],
      },
      "criteria.1.status: Ready=False is in criteria.0 already",
    ],
    [{ name: "x", ladder: [] }, "ladder: at least one step (leave ladder out for the default)"],
    [
      { name: "x", ladder: [{ action: "node.uncordon", timeoutSeconds: 1 }] },
      `ladder.0.action: node.uncordon does not repair a node; ${STEPS}`,
    ],
    [
      { name: "x", ladder: [{ action: "node.restore", timeoutSeconds: 1 }] },
      `ladder.0.action: node.restore does not repair a node; ${STEPS}`,
    ],
    [{ name: "x", ladder: [{ action: "reboot", timeoutSeconds: 1 }] }, `ladder.0.action: unknown action "reboot"; ${STEPS}`],
    [{ name: "x", ladder: [{ timeoutSeconds: 1 }] }, `ladder.0.action: an action is required; ${STEPS}`],
    [
      { name: "x", ladder: [{ action: "node.cordon", timeoutSeconds: 86401 }] },
      "ladder.0.timeoutSeconds: an integer from 0 to 86400 (seconds before the next step)",
    ],
    [
      {
        name: "x",
        ladder: [
          { action: "node.cordon", timeoutSeconds: 1 },
          { action: "node.cordon", timeoutSeconds: 2 },
        ],
      },
      "ladder.1.action: node.cordon is ladder.0 already: each action once",
    ],
    [
      {
        name: "x",
        ladder: [
          { action: "node.delete", timeoutSeconds: 1 },
          { action: "node.out-of-service.apply", timeoutSeconds: 2 },
        ],
      },
      "ladder.1.action: node.out-of-service.apply cannot follow node.delete (ladder.0): the node is gone by then",
    ],
    [{ name: "x", ladder: Array.from({ length: 7 }, () => ({ action: "node.cordon", timeoutSeconds: 1 })) }, "ladder: at most 6 steps"],
    [{ name: "x", minHealthyPercent: 101 }, "minHealthyPercent: an integer from 0 to 100 (percent)"],
    [{ name: "x", minHealthyPercent: "51%" }, "minHealthyPercent: an integer from 0 to 100 (percent)"],
    [{ name: "x", maxRepairsPerHour: 0 }, "maxRepairsPerHour: an integer from 1 to 1000"],
    [{ name: "x", maxConcurrent: 101 }, "maxConcurrent: an integer from 1 to 100"],
    [{ name: "x", quarantineSeconds: -1 }, "quarantineSeconds: an integer from 0 to 604800 (seconds)"],
    [{ name: "x", flapping: { incidents: 1 } }, "flapping.incidents: an integer from 2 to 100"],
    [{ name: "x", flapping: { withinSeconds: 59 } }, "flapping.withinSeconds: an integer from 60 to 2592000 (seconds)"],
    [{ name: "x", flapping: { incidents: 3, per: "day" } }, 'flapping: unknown field "per"; flapping has incidents, withinSeconds'],
    [{ name: "x", maintenanceWindows: {} }, "maintenanceWindows: a list of windows ([] for always)"],
    [
      { name: "x", maintenanceWindows: [{ days: [], start: "08:00", end: "09:00", timeZone: "UTC" }] },
      "maintenanceWindows.0.days: at least one day (leave days out for every day)",
    ],
    [
      { name: "x", maintenanceWindows: [{ days: ["Monday"], start: "08:00", end: "09:00", timeZone: "UTC" }] },
      "maintenanceWindows.0.days.0: each one of Mon, Tue, Wed, Thu, Fri, Sat, Sun",
    ],
    [
      { name: "x", maintenanceWindows: [{ start: "8:00", end: "09:00", timeZone: "UTC" }] },
      "maintenanceWindows.0.start: a time of day, HH:MM from 00:00 to 23:59",
    ],
    [
      { name: "x", maintenanceWindows: [{ start: "24:00", end: "09:00", timeZone: "UTC" }] },
      "maintenanceWindows.0.start: a time of day, HH:MM from 00:00 to 23:59",
    ],
    [
      { name: "x", maintenanceWindows: [{ start: "08:00", end: "24:01", timeZone: "UTC" }] },
      "maintenanceWindows.0.end: a time of day, HH:MM from 00:00 to 24:00",
    ],
    [
      { name: "x", maintenanceWindows: [{ start: "08:00", end: "08:00", timeZone: "UTC" }] },
      "maintenanceWindows.0.end: equal to start: a window needs a length (an end before the start crosses midnight; 00:00–24:00 is the whole day)",
    ],
    [
      { name: "x", maintenanceWindows: [{ start: "08:00", end: "09:00" }] },
      "maintenanceWindows.0.timeZone: an IANA time zone is required, e.g. Europe/Berlin or UTC",
    ],
    [
      { name: "x", maintenanceWindows: [{ start: "08:00", end: "09:00", timeZone: "Mars/Olympus_Mons" }] },
      'maintenanceWindows.0.timeZone: "Mars/Olympus_Mons" is not a time zone (IANA names, e.g. Europe/Berlin or UTC)',
    ],
    [
      { name: "x", id: 3 },
      'unknown field "id"; a policy has name, description, mode, enabled, selector, includeControlPlane, criteria, ladder, minHealthyPercent, maxRepairsPerHour, maxConcurrent, maintenanceWindows, quarantineSeconds, flapping',
    ],
    [
      [],
      "expected a policy: a JSON object with name, description, mode, enabled, selector, includeControlPlane, criteria, ladder, minHealthyPercent, maxRepairsPerHour, maxConcurrent, maintenanceWindows, quarantineSeconds, flapping",
    ],
    [
      undefined,
      "expected a policy: a JSON object with name, description, mode, enabled, selector, includeControlPlane, criteria, ladder, minHealthyPercent, maxRepairsPerHour, maxConcurrent, maintenanceWindows, quarantineSeconds, flapping",
    ],
  ])("%j → %s", (body, expected) => {
    expect(msg(body)).toBe(expected);
  });

  it("reports every wrong field at once", () => {
    expect(msg({ name: "x", mode: "auto", criteria: [{ type: "Ready", status: ["False"], forSeconds: -1 }] })).toBe(
      'mode: "act" or "propose"; criteria.0.forSeconds: an integer from 0 to 604800 (seconds)',
    );
  });

  it("ids are positive integers", () => {
    expect(ZPolicyId.parse("7")).toBe(7);
    for (const bad of ["0", "-1", "1.5", "abc", "99999999999"]) expect(ZPolicyId.safeParse(bad).success, bad).toBe(false);
  });
});
