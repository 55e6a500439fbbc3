import { createHash, randomBytes } from "node:crypto";
import type { SecretTokens } from "../../app/ports/tokens.js";

/** 256-bit random refresh tokens, stored as SHA-256: a database leak yields no usable token. */
export const secretTokens: SecretTokens = {
  generate: () => randomBytes(32).toString("base64url"),
  hash: (token) => createHash("sha256").update(token).digest(),
};
