import type { Role } from "./roles";

/** An API token as listed: never the token itself, which is shown once when made. */
export interface ApiTokenRow {
  id: number;
  name: string;
  /** The first characters, to recognise a token. */
  prefix: string;
  scope: Role;
  createdBy: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface ApiTokenRepository {
  /** Stores a new token's hash; false when a token with this hash exists. */
  insert(t: { name: string; tokenHash: string; prefix: string; scope: Role; createdBy: string; createdAt: Date }): Promise<ApiTokenRow | null>;
  /** The live (not revoked) token with this hash, marking it used. */
  use(tokenHash: string, at: Date): Promise<ApiTokenRow | null>;
  list(): Promise<ApiTokenRow[]>;
  /** Revokes a token; false when none was live. */
  revoke(id: number, at: Date): Promise<boolean>;
  /** Revokes the live tokens made by `createdBy` except the one with this hash (a rotated environment token). */
  revokeOthersOf(createdBy: string, keepHash: string, at: Date): Promise<number>;
}

/** Values one install keeps for every instance. `claim` writes only when the key is new. */
export interface InstanceSettingRepository {
  get(key: string): Promise<string | null>;
  /** Writes value unless the key exists; answers the value now stored (the first writer's). */
  claim(key: string, value: string): Promise<string>;
  /** Removes the key if it still holds this value (a claim given back). */
  release(key: string, value: string): Promise<void>;
}
