import { describe, expect, it } from "vitest";
import { groupsFromClaims, oidcConfig, parseRoleMap, roleForGroups } from "@/lib/auth/oidc";
import { parseEnv } from "@/lib/env";

describe("OIDC group → role mapping", () => {
  const map = parseRoleMap("k8s-admins=admin, k8s-ops=operator,,readers = viewer");

  it("parses group=role pairs, ignoring whitespace and empty entries", () => {
    expect([...map.entries()]).toEqual([
      ["k8s-admins", "admin"],
      ["k8s-ops", "operator"],
      ["readers", "viewer"],
    ]);
    expect(parseRoleMap(undefined).size).toBe(0);
    expect(parseRoleMap("").size).toBe(0);
  });

  it("keeps '=' inside a group name (splits on the last one)", () => {
    expect(parseRoleMap("cn=ops=operator").get("cn=ops")).toBe("operator");
  });

  it("rejects an unknown role or an entry without a group, naming the entry", () => {
    expect(() => parseRoleMap("k8s-admins=root")).toThrow(/"k8s-admins=root" is not group=role/);
    expect(() => parseRoleMap("=admin")).toThrow(/not group=role/);
    expect(() => parseRoleMap("k8s-admins")).toThrow(/not group=role/);
  });

  it("a group listed twice keeps its higher role", () => {
    expect(parseRoleMap("ops=admin,ops=viewer").get("ops")).toBe("admin");
  });

  it("gives the highest mapped role; unmapped groups or none → viewer", () => {
    expect(roleForGroups(["k8s-ops", "k8s-admins"], map)).toBe("admin");
    expect(roleForGroups(["k8s-ops", "developers"], map)).toBe("operator");
    expect(roleForGroups(["developers"], map)).toBe("viewer");
    expect(roleForGroups([], map)).toBe("viewer");
    expect(roleForGroups(["K8S-ADMINS"], map)).toBe("viewer"); // group names are case-sensitive
  });

  it("reads the groups claim as an array or a single string, ignoring non-strings", () => {
    expect(groupsFromClaims({ groups: ["a", 1, "b", null] }, "groups")).toEqual(["a", "b"]);
    expect(groupsFromClaims({ roles: "k8s-ops" }, "roles")).toEqual(["k8s-ops"]);
    expect(groupsFromClaims({ groups: { a: 1 } }, "groups")).toEqual([]);
    expect(groupsFromClaims({}, "groups")).toEqual([]);
  });

  it("is configured only when issuer, client id and secret are all set", () => {
    expect(oidcConfig(parseEnv({}))).toBeNull();
    const config = oidcConfig(
      parseEnv({
        NODE_RESCUE_OIDC_ISSUER: "https://idp.example.com/realms/ops/",
        NODE_RESCUE_OIDC_CLIENT_ID: "node-rescue",
        NODE_RESCUE_OIDC_CLIENT_SECRET: "s3cret",
        NODE_RESCUE_OIDC_ROLE_MAP: "k8s-admins=admin",
      }),
    );
    expect(config).toMatchObject({
      issuer: "https://idp.example.com/realms/ops",
      groupsClaim: "groups",
      scopes: ["openid", "email", "profile", "groups"],
    });
    expect(config?.roleMap.get("k8s-admins")).toBe("admin");
    expect(() => parseEnv({ NODE_RESCUE_OIDC_ISSUER: "https://idp.example.com" })).toThrow(/OIDC needs all of/);
  });

  it("requires a secret of at least 32 characters when one is set", () => {
    expect(() => parseEnv({ NODE_RESCUE_SECRET: "short" })).toThrow(/at least 32 characters/);
    expect(parseEnv({ NODE_RESCUE_SECRET: "x".repeat(32) }).NODE_RESCUE_SECRET).toHaveLength(32);
    expect(parseEnv({}).NODE_RESCUE_DEMO).toBe(false);
    expect(parseEnv({ NODE_RESCUE_DEMO: "1" }).NODE_RESCUE_DEMO).toBe(true);
  });
});
