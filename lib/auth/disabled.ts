// A person revoked with `npm run users -- disable`: better-auth refuses to create a session for
// them (lib/auth/auth.ts, every sign-in method) and the guard refuses any session they still hold
// (lib/auth/guard.ts). Shared with the login page, which words the refusal.

/** better-auth's error code for the refusal; the OIDC callback passes it to /login as ?error=. */
export const ACCOUNT_DISABLED_CODE = "account_disabled";

export const ACCOUNT_DISABLED_MESSAGE = "This account is disabled. Ask an administrator to enable it again.";

export const isDisabled = (user: { disabledAt?: Date | null }): boolean => user.disabledAt != null;
