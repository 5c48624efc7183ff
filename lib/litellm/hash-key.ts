import crypto from "node:crypto";

/** A virtual key's hash as LiteLLM stores it (`hash_token`: sha256 hex of the raw `sk-…` key). */
export function hashKey(raw: string): string {
  return crypto.createHash("sha256").update(raw).digest("hex");
}
