// The role an OIDC sign-in's groups map to, carried from the profile mapping (which sees the
// claims) to the database hooks (which write the user row) inside the one callback request that
// runs both. better-auth drops `input: false` fields such as `role` from provider profiles, so the
// role cannot travel with the profile; it travels in better-auth's request-scoped state
// (AsyncLocalStorage, the mechanism better-auth keeps its own OAuth state in), which no other
// request — and no later sign-in of the same email — can see.
// No `import "server-only"`: unit tests import it.
import { defineRequestState, hasRequestState } from "@better-auth/core/context";
import type { TRole } from "./roles";

const oidcRole = defineRequestState<TRole | null>(() => null);

/** From mapProfileToUser: the role this request's OIDC sign-in maps to. */
export const rememberOidcRole = (role: TRole): Promise<void> => oidcRole.set(role);

/** From the hooks: the role this request's OIDC sign-in maps to; null for any other request. */
export async function oidcRoleOfThisRequest(): Promise<TRole | null> {
  return (await hasRequestState()) ? oidcRole.get() : null;
}
