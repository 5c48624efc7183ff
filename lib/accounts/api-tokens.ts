import crypto from "node:crypto";
import type { ApiTokenRepository, ApiTokenRow } from "./repository";
import type { Role } from "./roles";

/** Tokens carry this prefix, so a leaked one is recognisable (secret scanners, logs). */
export const TOKEN_PREFIX = "ift_";

/**
 * SHA-256 of the token. Tokens are 256 random bits, so a fast hash is enough: a slow password
 * hash protects guessable secrets, and no one guesses 2^256.
 */
export function hashToken(token: string): string {
  return crypto.createHash("sha256").update(token).digest("hex");
}

/** Makes a token and stores its hash: the token itself is returned once and kept nowhere. */
export async function issueToken(repo: ApiTokenRepository, t: { name: string; scope: Role; createdBy: string }): Promise<{ token: string; row: ApiTokenRow }> {
  const token = TOKEN_PREFIX + crypto.randomBytes(32).toString("base64url");
  const row = await repo.insert({ ...t, tokenHash: hashToken(token), prefix: token.slice(0, TOKEN_PREFIX.length + 6), createdAt: new Date() });
  if (!row) throw new Error("token collision"); // 2^-256: a broken random source
  return { token, row };
}

/**
 * Registers the token the operator chose (INFLIGHT_API_TOKEN): a restart with the same value keeps
 * its row (and last use); a new value replaces it, and the old one stops working.
 */
export async function registerToken(repo: ApiTokenRepository, token: string, t: { name: string; scope: Role }): Promise<void> {
  const tokenHash = hashToken(token);
  await repo.insert({ ...t, createdBy: "environment", tokenHash, prefix: token.slice(0, 6), createdAt: new Date() });
  await repo.revokeOthersOf("environment", tokenHash, new Date());
}

/** The live token a bearer value names, or null. */
export function findToken(repo: ApiTokenRepository, token: string): Promise<ApiTokenRow | null> {
  return repo.use(hashToken(token), new Date());
}
