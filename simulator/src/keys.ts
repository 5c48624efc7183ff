/**
 * LiteLLM_VerificationToken table (§3, §4.1, §9.4, §9.6), in memory; with --data-dir the simulator also writes it to
 * disk after every change (persist.ts), so keys survive a restart as they do in the proxy's database.
 * Keys are identified by sha256 hex of the raw `sk-…` key everywhere.
 */
import type { Upperbound } from "./config";
import { ProxyError, ValidationError } from "./http";
import { abbreviateKey, hashToken, newRawKey, pyErrorDict, pyFloat, pydanticIso, pyIso } from "./util";

export interface KeyRow {
  token: string;
  key_name: string;
  key_alias: string | null;
  soft_budget_cooldown: boolean;
  spend: number;
  expires: number | null;
  models: string[];
  aliases: Record<string, unknown>;
  config: Record<string, unknown>;
  router_settings: Record<string, unknown>;
  user_id: string | null;
  team_id: string | null;
  agent_id: string | null;
  project_id: string | null;
  permissions: Record<string, unknown>;
  max_parallel_requests: number | null;
  metadata: Record<string, unknown>;
  blocked: boolean | null;
  tpm_limit: number | null;
  rpm_limit: number | null;
  max_budget: number | null;
  budget_duration: string | null;
  budget_reset_at: number | null;
  allowed_cache_controls: string[];
  allowed_routes: string[];
  policies: string[];
  access_group_ids: string[];
  model_spend: Record<string, unknown>;
  model_max_budget: Record<string, unknown>;
  budget_id: string | null;
  organization_id: string | null;
  object_permission_id: string | null;
  created_at: number;
  created_by: string | null;
  updated_at: number;
  updated_by: string | null;
  last_active: number | null;
  rotation_count: number;
  auto_rotate: boolean;
  rotation_interval: string | null;
  last_rotation_at: number | null;
  key_rotation_at: number | null;
  budget_limits: unknown;
  /** Not a LiteLLM column: used only by the simulator to keep /key/list order stable. */
  seq: number;
  /** Not a LiteLLM column (the proxy stores only the hash): kept so --demo can drive its stored keys after a restart. */
  raw: string;
}

type Kind = "int" | "float" | "str" | "bool" | "strlist" | "obj" | "list" | "any";

/** Request fields of GenerateKeyRequest / UpdateKeyRequest that the simulator understands, with their pydantic type. */
const FIELDS: Record<string, Kind> = {
  key_alias: "str",
  duration: "str",
  models: "strlist",
  spend: "float",
  max_budget: "float",
  user_id: "str",
  team_id: "str",
  max_parallel_requests: "int",
  metadata: "obj",
  tpm_limit: "int",
  rpm_limit: "int",
  budget_duration: "str",
  allowed_cache_controls: "strlist",
  config: "obj",
  permissions: "obj",
  model_max_budget: "obj",
  model_rpm_limit: "obj",
  model_tpm_limit: "obj",
  guardrails: "strlist",
  blocked: "bool",
  aliases: "obj",
  key: "str",
  budget_id: "str",
  tags: "strlist",
  enforced_params: "strlist",
  allowed_routes: "list",
  soft_budget: "float",
  send_invite_email: "bool",
  key_type: "str",
  auto_rotate: "bool",
  rotation_interval: "str",
  organization_id: "str",
  project_id: "str",
  agent_id: "str",
  temp_budget_increase: "float",
  temp_budget_expiry: "any",
  object_permission: "any",
  prompts: "strlist",
};

/** Management fields that LiteLLM stores inside `metadata` (prepare_metadata_fields). */
const METADATA_FIELDS = ["model_rpm_limit", "model_tpm_limit", "guardrails", "tags", "prompts", "enforced_params"];

function coerce(name: string, kind: Kind, v: unknown): unknown {
  if (v === null) return null;
  const bad = (type: string, msg: string) => new ValidationError([{ type, loc: ["body", name], msg, input: v }]);
  switch (kind) {
    case "int":
      if (typeof v === "number" && Number.isInteger(v)) return v;
      if (typeof v === "number") throw bad("int_from_float", "Input should be a valid integer, got a number with a fractional part");
      if (typeof v === "string" && /^\s*[-+]?\d+\s*$/.test(v)) return parseInt(v, 10);
      throw bad("int_parsing", "Input should be a valid integer, unable to parse string as an integer");
    case "float":
      if (typeof v === "number") return v;
      if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
      throw bad("float_parsing", "Input should be a valid number, unable to parse string as a number");
    case "str":
      if (typeof v === "string") return v;
      throw bad("string_type", "Input should be a valid string");
    case "bool":
      if (typeof v === "boolean") return v;
      if (v === "true" || v === 1) return true;
      if (v === "false" || v === 0) return false;
      throw bad("bool_parsing", "Input should be a valid boolean, unable to interpret input");
    case "strlist":
      if (Array.isArray(v) && v.every((x) => typeof x === "string")) return v;
      throw bad("list_type", "Input should be a valid list");
    case "list":
      if (Array.isArray(v)) return v;
      throw bad("list_type", "Input should be a valid list");
    case "obj":
      if (typeof v === "object" && !Array.isArray(v)) return v;
      throw bad("dict_type", "Input should be a valid dictionary");
    default:
      return v;
  }
}

const FIELD_ORDER = new Map(Object.keys(FIELDS).map((f, i) => [f, i]));

/**
 * The request model's validation. pydantic reports every bad field at once, in the model's field order
 * (FIELDS follows GenerateRequestBase / KeyRequestBase, where UpdateKeyRequest's `key: str` keeps its place).
 * `keyRequired`: UpdateKeyRequest's `key: str` (required, not nullable); GenerateKeyRequest's is Optional.
 */
function validate(body: Record<string, unknown>, keyRequired = false): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const errors: Record<string, unknown>[] = [];
  for (const [k, v] of Object.entries(body)) {
    const kind = FIELDS[k];
    if (!kind) {
      out[k] = v; // pydantic extra fields are ignored by LiteLLM's models; keep for echo only
      continue;
    }
    if (k === "key" && keyRequired && v === null) {
      errors.push({ type: "string_type", loc: ["body", "key"], msg: "Input should be a valid string", input: null });
      continue;
    }
    try {
      out[k] = coerce(k, kind, v);
    } catch (e) {
      if (e instanceof ValidationError) errors.push(...(e.detail as Record<string, unknown>[]));
      else throw e;
    }
  }
  if (keyRequired && !("key" in body)) {
    errors.push({ type: "missing", loc: ["body", "key"], msg: "Field required", input: body });
  }
  if (errors.length) {
    const at = (e: Record<string, unknown>) => FIELD_ORDER.get(String((e.loc as unknown[])[1])) ?? FIELD_ORDER.size;
    throw new ValidationError(errors.sort((a, b) => at(a) - at(b)));
  }
  return out;
}

/** The fields `_enforce_upperbound_key_params` compares as numbers, in the request model's field order. */
const UPPERBOUND_FIELDS = ["max_parallel_requests", "tpm_limit", "rpm_limit"] as const;

/**
 * `_enforce_upperbound_key_params(data, fill_defaults)` (key_management_endpoints.py; before PR #23466 the same loop
 * inline in `_common_key_generation_helper`): a value above the bound raises
 * `HTTPException(400, {"error": "<field> is over max limit set in config - user_value=<v>; max_value=<bound>"})`;
 * on /key/generate (`fillDefaults`) an omitted or null field takes the bound; on /key/update None is skipped
 * (so an explicit null still clears the limit). Returns the message of the first field over its bound, or null.
 */
function enforceUpperbound(req: Record<string, unknown>, upperbound: Upperbound | undefined, fillDefaults: boolean): string | null {
  if (!upperbound) return null;
  for (const f of UPPERBOUND_FIELDS) {
    const bound = upperbound[f];
    if (bound === null) continue;
    const v = req[f];
    if (v === undefined || v === null) {
      if (fillDefaults) req[f] = bound;
    } else if ((v as number) > bound) {
      return pyErrorDict(`${f} is over max limit set in config - user_value=${v}; max_value=${bound}`);
    }
  }
  return null;
}

/** LiteLLM duration_in_seconds: "30s", "10m", "1h", "7d", "2w", "1mo". */
export function durationMs(d: string): number {
  const m = /^(\d+)(s|m|h|d|w|mo)$/.exec(d.trim());
  if (!m) throw new ProxyError(400, `Invalid duration format: ${d}. Use e.g. 30s, 10m, 1h, 7d, 1mo`, "bad_request");
  const n = Number(m[1]);
  const unit = { s: 1, m: 60, h: 3600, d: 86400, w: 604800, mo: 2592000 }[m[2] as "s"];
  return n * unit * 1000;
}

export interface ListOptions {
  page: number;
  size: number;
  user_id?: string;
  team_id?: string;
  organization_id?: string;
  key_hash?: string;
  key_alias?: string;
  substring: boolean;
  sort_by?: string;
  sort_order: "asc" | "desc";
}

export const KEY_LIST_SORT_FIELDS = new Set(["spend", "max_budget", "created_at", "updated_at", "token", "key_alias"]);

export class KeyStore {
  private byHash = new Map<string, KeyRow>();
  private rawToHash = new Map<string, string>();
  private seq = 0;
  /** Called after every change to the table (--data-dir writes it out). */
  onChange: () => void = () => {};

  get size(): number {
    return this.byHash.size;
  }

  /** Resolves a raw `sk-…` key (or a hash) to its hash, caching the sha256 of raw keys. */
  hashOf(keyOrHash: string): string {
    if (!keyOrHash.startsWith("sk-")) return keyOrHash;
    let h = this.rawToHash.get(keyOrHash);
    if (h === undefined) {
      h = hashToken(keyOrHash);
      if (this.rawToHash.size > 100_000) this.rawToHash.clear();
      this.rawToHash.set(keyOrHash, h);
    }
    return h;
  }

  get(keyOrHash: string): KeyRow | undefined {
    return this.byHash.get(this.hashOf(keyOrHash));
  }

  all(): KeyRow[] {
    return [...this.byHash.values()];
  }

  /** Adds rows read back from --data-dir. */
  load(rows: KeyRow[]): void {
    for (const r of rows) {
      this.byHash.set(r.token, r);
      this.seq = Math.max(this.seq, r.seq);
    }
  }

  /**
   * The key with this alias, else a new one from `body`: what a script that "ensures" its keys does. A stored key is
   * reused as stored, so edits made through /key/update survive.
   */
  ensure(body: Record<string, unknown> & { key_alias: string }): { key: string; hash: string } {
    for (const r of this.byHash.values()) if (r.key_alias === body.key_alias) return { key: r.raw, hash: r.token };
    const g = this.generate(body, null);
    return { key: g.key as string, hash: g.token_id as string };
  }

  aliasTaken(alias: string, exceptHash?: string): boolean {
    for (const r of this.byHash.values()) if (r.key_alias === alias && r.token !== exceptHash) return true;
    return false;
  }

  /**
   * POST /key/generate. Returns the GenerateKeyResponse body. `upperbound`: the proxy's upperbound_key_generate_params,
   * given for HTTP requests only (keys the simulator makes itself, demo/seed/viewer, are not requests).
   */
  generate(body: Record<string, unknown>, createdBy: string | null, upperbound?: Upperbound): Record<string, unknown> {
    const req = validate(body);
    // generate_key_fn turns the HTTPException into handle_exception_on_proxy's ProxyException: type internal_server_error.
    const over = enforceUpperbound(req, upperbound, true);
    if (over !== null) throw new ProxyError(400, over, "internal_server_error", "None");
    const raw = typeof req.key === "string" ? (req.key as string) : newRawKey();
    if (!raw.startsWith("sk-")) throw new ProxyError(400, `Invalid key format. LiteLLM Virtual Key must start with 'sk-'. Received: ${raw}`, "bad_request");
    const hash = hashToken(raw);
    if (this.byHash.has(hash)) throw new ProxyError(400, "Unique key required. A key with this value already exists.", "bad_request");
    if (typeof req.key_alias === "string" && this.aliasTaken(req.key_alias)) {
      throw new ProxyError(400, `Unique key aliases across all keys are required. Key alias=${req.key_alias} already exists.`, "bad_request");
    }
    const now = Date.now();
    const metadata: Record<string, unknown> = { ...((req.metadata as Record<string, unknown>) ?? {}) };
    for (const f of METADATA_FIELDS) if (req[f] !== undefined && req[f] !== null) metadata[f] = req[f];
    const row: KeyRow = {
      token: hash,
      key_name: abbreviateKey(raw),
      key_alias: (req.key_alias as string) ?? null,
      soft_budget_cooldown: false,
      spend: (req.spend as number) ?? 0,
      expires: typeof req.duration === "string" ? now + durationMs(req.duration) : null,
      models: (req.models as string[]) ?? [],
      aliases: (req.aliases as Record<string, unknown>) ?? {},
      config: (req.config as Record<string, unknown>) ?? {},
      router_settings: {},
      user_id: (req.user_id as string) ?? null,
      team_id: (req.team_id as string) ?? null,
      agent_id: (req.agent_id as string) ?? null,
      project_id: (req.project_id as string) ?? null,
      permissions: (req.permissions as Record<string, unknown>) ?? {},
      max_parallel_requests: (req.max_parallel_requests as number) ?? null,
      metadata,
      blocked: (req.blocked as boolean) ?? null,
      tpm_limit: (req.tpm_limit as number) ?? null,
      rpm_limit: (req.rpm_limit as number) ?? null,
      max_budget: (req.max_budget as number) ?? null,
      budget_duration: (req.budget_duration as string) ?? null,
      budget_reset_at: null,
      allowed_cache_controls: (req.allowed_cache_controls as string[]) ?? [],
      allowed_routes: (req.allowed_routes as string[]) ?? [],
      policies: [],
      access_group_ids: [],
      model_spend: {},
      model_max_budget: (req.model_max_budget as Record<string, unknown>) ?? {},
      budget_id: (req.budget_id as string) ?? null,
      organization_id: (req.organization_id as string) ?? null,
      object_permission_id: null,
      created_at: now,
      created_by: createdBy,
      updated_at: now,
      updated_by: createdBy,
      last_active: null,
      rotation_count: 0,
      auto_rotate: (req.auto_rotate as boolean) ?? false,
      rotation_interval: (req.rotation_interval as string) ?? null,
      last_rotation_at: null,
      key_rotation_at: null,
      budget_limits: null,
      seq: ++this.seq,
      raw,
    };
    this.byHash.set(hash, row);
    this.rawToHash.set(raw, hash);
    this.onChange();
    return {
      key_alias: row.key_alias,
      duration: (req.duration as string) ?? null,
      models: row.models,
      spend: row.spend,
      max_budget: row.max_budget,
      user_id: row.user_id,
      team_id: row.team_id,
      max_parallel_requests: row.max_parallel_requests,
      metadata: row.metadata,
      tpm_limit: row.tpm_limit,
      rpm_limit: row.rpm_limit,
      budget_duration: row.budget_duration,
      allowed_cache_controls: row.allowed_cache_controls,
      config: row.config,
      permissions: row.permissions,
      model_max_budget: row.model_max_budget,
      model_rpm_limit: (req.model_rpm_limit as unknown) ?? null,
      model_tpm_limit: (req.model_tpm_limit as unknown) ?? null,
      guardrails: (req.guardrails as unknown) ?? null,
      blocked: row.blocked,
      aliases: row.aliases,
      tags: (req.tags as unknown) ?? null,
      enforced_params: (req.enforced_params as unknown) ?? null,
      allowed_routes: row.allowed_routes,
      soft_budget: (req.soft_budget as unknown) ?? null,
      key_type: (req.key_type as string) ?? "default",
      auto_rotate: row.auto_rotate,
      rotation_interval: row.rotation_interval,
      organization_id: row.organization_id,
      project_id: row.project_id,
      budget_id: row.budget_id,
      key: raw,
      key_name: row.key_name,
      expires: pyIso(row.expires),
      token_id: hash,
      litellm_budget_table: null,
      token: raw,
      created_by: row.created_by,
      updated_by: row.updated_by,
      created_at: pyIso(row.created_at),
      updated_at: pyIso(row.updated_at),
    };
  }

  private mustGet(keyOrHash: unknown): KeyRow {
    if (typeof keyOrHash !== "string" || keyOrHash === "") {
      throw new ValidationError([{ type: "missing", loc: ["body", "key"], msg: "Field required", input: null }]);
    }
    const row = this.get(keyOrHash);
    if (!row) throw new ProxyError(404, `Key not found in database. Key=${keyOrHash}`, "not_found", "key");
    return row;
  }

  /**
   * POST /key/update, §9.4: omitted fields unchanged, explicit null written, metadata replaced whole.
   * Checks in update_key_fn's order: UpdateKeyRequest validation (422), negative max_budget (400), the row lookup
   * (404), then the upperbound (400; its place after the lookup is inferred from PR #25108's regenerate twin),
   * then the alias. update_key_fn renders an HTTPException as ProxyException(message=detail, type auth_error).
   */
  update(body: Record<string, unknown>, updatedBy: string | null, upperbound?: Upperbound): Record<string, unknown> {
    const req = validate(body, true);
    if (typeof req.max_budget === "number" && req.max_budget < 0) {
      throw new ProxyError(400, pyErrorDict(`max_budget cannot be negative. Received: ${pyFloat(req.max_budget)}`), "auth_error", "None");
    }
    const row = this.get(req.key as string);
    if (!row) {
      // Sic: LiteLLM's message for an unknown key names the team (`data.team_id`, None when not sent).
      const teamId = typeof req.team_id === "string" ? req.team_id : "None";
      throw new ProxyError(404, pyErrorDict(`Team not found, passed team_id=${teamId}`), "auth_error", "None");
    }
    const over = enforceUpperbound(req, upperbound, false);
    if (over !== null) throw new ProxyError(400, over, "auth_error", "None");
    if (typeof req.key_alias === "string" && this.aliasTaken(req.key_alias, row.token)) {
      throw new ProxyError(400, `Unique key aliases across all keys are required. Key alias=${req.key_alias} already exists.`, "bad_request");
    }
    const r = row as unknown as Record<string, unknown>;
    const direct = [
      "key_alias", "models", "spend", "max_budget", "user_id", "team_id", "max_parallel_requests", "tpm_limit", "rpm_limit",
      "budget_duration", "allowed_cache_controls", "config", "permissions", "model_max_budget", "blocked", "aliases",
      "allowed_routes", "organization_id", "project_id", "agent_id", "budget_id", "auto_rotate", "rotation_interval",
    ];
    for (const f of direct) {
      if (!(f in req)) continue;
      const v = req[f];
      // Non-nullable columns keep pydantic's None → Prisma default behaviour approximated as "empty".
      if (v === null && ["models", "allowed_cache_controls", "allowed_routes"].includes(f)) r[f] = [];
      else if (v === null && ["config", "permissions", "model_max_budget", "aliases"].includes(f)) r[f] = {};
      else if (v === null && f === "spend") r[f] = 0;
      else if (v === null && f === "auto_rotate") r[f] = false;
      else r[f] = v;
    }
    if ("duration" in req) row.expires = typeof req.duration === "string" ? Date.now() + durationMs(req.duration) : null;
    // prepare_metadata_fields: the old metadata is kept only when `metadata` is absent from the body.
    const metadata: Record<string, unknown> =
      "metadata" in req ? { ...((req.metadata as Record<string, unknown>) ?? {}) } : { ...row.metadata };
    for (const f of METADATA_FIELDS) if (req[f] !== undefined && req[f] !== null) metadata[f] = req[f];
    row.metadata = metadata;
    row.updated_at = Date.now();
    row.updated_by = updatedBy;
    this.onChange();
    return { key: req.key, ...this.rowJson(row, true) };
  }

  setBlocked(keyOrHash: unknown, blocked: boolean, by: string | null): Record<string, unknown> {
    const row = this.mustGet(keyOrHash);
    row.blocked = blocked;
    row.updated_at = Date.now();
    row.updated_by = by;
    this.onChange();
    return this.rowJson(row, true);
  }

  /** POST /key/delete: returns the keys as passed; 400 if not all were found. */
  delete(body: Record<string, unknown>): Record<string, unknown> {
    const keys = body.keys;
    const aliases = body.key_aliases;
    const hashes: string[] = [];
    let passed: unknown[];
    if (Array.isArray(keys)) {
      passed = keys;
      for (const k of keys) {
        const row = typeof k === "string" ? this.get(k) : undefined;
        if (row) hashes.push(row.token);
      }
    } else if (Array.isArray(aliases)) {
      passed = aliases;
      for (const a of aliases) {
        for (const row of this.byHash.values()) if (row.key_alias === a) hashes.push(row.token);
      }
    } else {
      throw new ProxyError(400, "Invalid request: must pass either 'keys' or 'key_aliases'", "bad_request");
    }
    if (hashes.length !== passed.length) {
      throw new ProxyError(
        400,
        `Failed to delete all keys. Keys passed in: ${passed.length}. Keys found: ${hashes.length}. Not all keys passed in were deleted. This probably means you don't have access to delete all the keys passed in.`,
        "bad_request",
      );
    }
    for (const h of hashes) this.byHash.delete(h);
    for (const [raw, h] of this.rawToHash) if (hashes.includes(h)) this.rawToHash.delete(raw);
    this.onChange();
    return { deleted_keys: passed };
  }

  /** The DB row as JSON (Prisma model_dump through FastAPI: `+00:00` datetimes), without the simulator's seq and raw. */
  rowJson(row: KeyRow, withToken: boolean): Record<string, unknown> {
    const { seq: _seq, raw: _raw, ...rest } = row;
    const out: Record<string, unknown> = {
      ...rest,
      expires: pyIso(row.expires),
      budget_reset_at: pyIso(row.budget_reset_at),
      created_at: pyIso(row.created_at),
      updated_at: pyIso(row.updated_at),
      last_active: pyIso(row.last_active),
      last_rotation_at: pyIso(row.last_rotation_at),
      key_rotation_at: pyIso(row.key_rotation_at),
      litellm_budget_table: null,
    };
    if (!withToken) delete out.token;
    return out;
  }

  /** UserAPIKeyAuth(**row) as /key/list?return_full_object=true prints it (§9.6). */
  fullObject(row: KeyRow): Record<string, unknown> {
    return {
      token: row.token,
      key_name: row.key_name,
      key_alias: row.key_alias,
      spend: row.spend,
      max_budget: row.max_budget,
      expires: pydanticIso(row.expires),
      models: row.models,
      aliases: row.aliases,
      config: row.config,
      user_id: row.user_id,
      team_id: row.team_id,
      agent_id: row.agent_id,
      project_id: row.project_id,
      max_parallel_requests: row.max_parallel_requests,
      metadata: row.metadata,
      tpm_limit: row.tpm_limit,
      rpm_limit: row.rpm_limit,
      budget_duration: row.budget_duration,
      budget_reset_at: pydanticIso(row.budget_reset_at),
      allowed_cache_controls: row.allowed_cache_controls,
      allowed_routes: row.allowed_routes,
      permissions: row.permissions,
      model_spend: row.model_spend,
      model_max_budget: row.model_max_budget,
      soft_budget_cooldown: row.soft_budget_cooldown,
      blocked: row.blocked,
      litellm_budget_table: null,
      org_id: row.organization_id,
      created_at: pydanticIso(row.created_at),
      created_by: row.created_by,
      updated_at: pydanticIso(row.updated_at),
      updated_by: row.updated_by,
      last_active: pydanticIso(row.last_active),
      object_permission_id: row.object_permission_id,
      object_permission: null,
      access_group_ids: row.access_group_ids,
      rotation_count: row.rotation_count,
      auto_rotate: row.auto_rotate,
      rotation_interval: row.rotation_interval,
      last_rotation_at: pydanticIso(row.last_rotation_at),
      key_rotation_at: pydanticIso(row.key_rotation_at),
      router_settings: row.router_settings,
      budget_limits: row.budget_limits,
      team_spend: null,
      team_alias: null,
      team_tpm_limit: null,
      team_rpm_limit: null,
      team_max_budget: null,
      team_models: [],
      team_blocked: false,
      soft_budget: null,
      team_model_aliases: null,
      team_member_spend: null,
      team_member: null,
      team_metadata: null,
      end_user_id: null,
      end_user_tpm_limit: null,
      end_user_rpm_limit: null,
      end_user_max_budget: null,
      api_key: null,
      user_role: null,
      user_tpm_limit: null,
      user_rpm_limit: null,
      user_email: null,
    };
  }

  list(o: ListOptions): { rows: KeyRow[]; total: number } {
    let rows = this.all();
    if (o.user_id !== undefined) rows = rows.filter((r) => r.user_id === o.user_id);
    if (o.team_id !== undefined) rows = rows.filter((r) => r.team_id === o.team_id);
    if (o.organization_id !== undefined) rows = rows.filter((r) => r.organization_id === o.organization_id);
    if (o.key_hash !== undefined) {
      const h = this.hashOf(o.key_hash);
      rows = rows.filter((r) => r.token === h);
    }
    if (o.key_alias !== undefined) {
      const a = o.key_alias;
      rows = o.substring
        ? rows.filter((r) => r.key_alias !== null && r.key_alias.toLowerCase().includes(a.toLowerCase()))
        : rows.filter((r) => r.key_alias === a);
    }
    const dir = o.sort_order === "asc" ? 1 : -1;
    if (o.sort_by) {
      const f = o.sort_by as keyof KeyRow;
      rows.sort((a, b) => {
        const x = a[f] as number | string | null;
        const y = b[f] as number | string | null;
        // Postgres orders NULLs last for ASC and first for DESC.
        if (x === y) return (a.seq - b.seq) * dir;
        if (x === null) return dir;
        if (y === null) return -dir;
        return (x < y ? -1 : 1) * dir;
      });
    } else {
      // default: created_at desc, token desc (seq breaks created_at ties deterministically)
      rows.sort((a, b) => b.created_at - a.created_at || b.seq - a.seq || (a.token < b.token ? 1 : -1));
    }
    const total = rows.length;
    const start = (o.page - 1) * o.size;
    return { rows: rows.slice(start, start + o.size), total };
  }

  /** update_spend: key spend and last_active move with each flushed batch of spend-log rows. */
  applySpend(rows: { api_key: string; spend: number; endMs: number }[]): void {
    let changed = false;
    for (const r of rows) {
      const row = this.byHash.get(r.api_key);
      if (!row) continue; // e.g. the master key, which has no row
      row.spend += r.spend;
      row.last_active = r.endMs;
      changed = true;
    }
    if (changed) this.onChange();
  }
}
