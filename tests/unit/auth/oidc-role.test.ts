// The OIDC role reaches the hooks of the request that mapped it, and no other request.
import { runWithRequestState } from "@better-auth/core/context";
import { describe, expect, it } from "vitest";
import { parseRoleMap, roleForProfile } from "@/lib/auth/oidc";
import { oidcRoleOfThisRequest, rememberOidcRole } from "@/lib/auth/oidc-role";

const inRequest = <T>(fn: () => Promise<T>) => runWithRequestState(new WeakMap(), fn);

describe("the OIDC role within one request", () => {
  const oidc = { groupsClaim: "groups", roleMap: parseRoleMap("k8s-admins=admin,k8s-ops=operator") };

  it("maps a profile's groups claim to a role", () => {
    expect(roleForProfile({ email: "a@example.com", groups: ["k8s-ops", "k8s-admins"] }, oidc)).toBe("admin");
    expect(roleForProfile({ email: "a@example.com", groups: "k8s-ops" }, oidc)).toBe("operator");
    expect(roleForProfile({ email: "a@example.com", roles: ["k8s-admins"] }, oidc)).toBe("viewer");
    expect(roleForProfile({ roles: ["k8s-admins"] }, { ...oidc, groupsClaim: "roles" })).toBe("admin");
  });

  it("is seen later in the same request", async () => {
    const seen = await inRequest(async () => {
      await rememberOidcRole("operator");
      await Promise.resolve(); // across awaits, as from the profile mapping to the hooks
      return oidcRoleOfThisRequest();
    });
    expect(seen).toBe("operator");
  });

  it("is not seen by another request, even a concurrent one, nor outside any request", async () => {
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const first = inRequest(async () => {
      await rememberOidcRole("admin");
      await gate;
      return oidcRoleOfThisRequest();
    });
    const second = inRequest(async () => {
      const role = await oidcRoleOfThisRequest();
      release();
      return role;
    });
    expect(await second).toBeNull();
    expect(await first).toBe("admin");
    expect(await inRequest(() => oidcRoleOfThisRequest())).toBeNull();
    expect(await oidcRoleOfThisRequest()).toBeNull();
  });
});
