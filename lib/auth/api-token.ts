// API tokens: `nrt_` + 32 random bytes (base64url). Only the SHA-256 (hex) is stored, so a copy
// of the database does not hand out working tokens; a token is shown once, when created.
import { createHash, randomBytes } from "node:crypto";

export const API_TOKEN_PREFIX = "nrt_";

export const generateApiToken = (): string => `${API_TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;

export const hashApiToken = (token: string): string => createHash("sha256").update(token, "utf8").digest("hex");

/** How long a token found valid is trusted without asking the database again (lib/auth/guard.ts). */
export const TOKEN_RECHECK_MS = 1_000;
