import { describe, expect, it } from "vitest";
import { can, PERMISSIONS } from "@/lib/auth/permissions";
import { ROLES } from "@/lib/auth/roles";
import {
  ACTION_LABELS,
  ACTION_PERMISSION,
  ACTION_SLUGS,
  ACTIONS,
  DEAD_NODE_ACTIONS,
  EXCLUSION_KEYS,
  LAST_ACTION_ANNOTATION,
  OUT_OF_SERVICE_TAINT,
  slugOf,
  ZAction,
} from "@/lib/remediation/catalog";

describe("actions and slugs", () => {
  it("has one slug per action, and no slug for anything else", () => {
    expect(Object.keys(ACTION_SLUGS)).toHaveLength(ACTIONS.length);
    expect(new Set(Object.values(ACTION_SLUGS))).toEqual(new Set(ACTIONS));
  });

  it.each(ACTIONS)("slugOf(%s) round-trips through ACTION_SLUGS", (action) => {
    const slug = slugOf(action);
    expect(slug).not.toBe(action);
    expect(ACTION_SLUGS[slug]).toBe(action);
  });

  it("maps the documented slugs", () => {
    expect(ACTION_SLUGS).toEqual({
      cordon: "node.cordon",
      uncordon: "node.uncordon",
      drain: "node.drain",
      "force-delete-pods": "pods.force-delete",
      delete: "node.delete",
      restore: "node.restore",
      "out-of-service": "node.out-of-service.apply",
      "remove-out-of-service": "node.out-of-service.remove",
    });
  });

  it("slugs are URL-safe", () => {
    for (const slug of Object.keys(ACTION_SLUGS)) expect(slug).toMatch(/^[a-z][a-z-]*$/);
  });

  it("ZAction accepts every action and nothing else", () => {
    for (const action of ACTIONS) expect(ZAction.parse(action)).toBe(action);
    expect(ZAction.safeParse("node.reboot").success).toBe(false);
    expect(ZAction.safeParse("drain").success).toBe(false);
  });
});

describe("labels and permissions", () => {
  it.each(ACTIONS)("%s has a non-empty label", (action) => {
    expect(ACTION_LABELS[action]).toMatch(/\S/);
  });

  it("labels are distinct", () => {
    expect(new Set(Object.values(ACTION_LABELS)).size).toBe(ACTIONS.length);
  });

  it.each(ACTIONS)("%s has a permission that exists in PERMISSIONS", (action) => {
    const permission = ACTION_PERMISSION[action];
    expect(Object.keys(PERMISSIONS)).toContain(permission);
    expect(ROLES).toContain(PERMISSIONS[permission]);
  });

  it("no action is allowed to a viewer", () => {
    for (const action of ACTIONS) expect(can("viewer", ACTION_PERMISSION[action]), action).toBe(false);
  });

  it("admins may do every action", () => {
    for (const action of ACTIONS) expect(can("admin", ACTION_PERMISSION[action]), action).toBe(true);
  });

  it.each([...DEAD_NODE_ACTIONS])("dead-node action %s is admin-only", (action) => {
    const permission = ACTION_PERMISSION[action];
    expect(PERMISSIONS[permission]).toBe("admin");
    expect(can("operator", permission)).toBe(false);
    expect(can("viewer", permission)).toBe(false);
    expect(can("admin", permission)).toBe(true);
  });

  it("operators may cordon, uncordon and drain", () => {
    for (const action of ["node.cordon", "node.uncordon", "node.drain"] as const)
      expect(can("operator", ACTION_PERMISSION[action]), action).toBe(true);
  });

  it("overriding a gate is admin-only", () => {
    expect(can("operator", "gate.override")).toBe(false);
    expect(can("admin", "gate.override")).toBe(true);
  });
});

describe("constants", () => {
  it("dead-node actions are force-delete, delete and out-of-service apply", () => {
    expect(new Set(DEAD_NODE_ACTIONS)).toEqual(new Set(["pods.force-delete", "node.delete", "node.out-of-service.apply"]));
  });

  it("the out-of-service taint is the one Kubernetes acts on", () => {
    expect(OUT_OF_SERVICE_TAINT).toEqual({ key: "node.kubernetes.io/out-of-service", value: "nodeshutdown", effect: "NoExecute" });
  });

  it("exclusion keys and the last-action annotation", () => {
    expect([...EXCLUSION_KEYS]).toEqual([
      "node-rescue.dev/exclude",
      "remediation.medik8s.io/exclude-from-remediation",
      "cluster.x-k8s.io/skip-remediation",
    ]);
    expect(LAST_ACTION_ANNOTATION).toBe("node-rescue.dev/last-action");
  });
});
