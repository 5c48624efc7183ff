import type { z } from "zod";
import {
  CoordinationSettingsSchema,
  ErrorBodySchema,
  GeneratedKeySchema,
  KeyInfoSchema,
  KeyListPageSchema,
  SpendLogPageSchema,
  SpendLogRowsSchema,
  type GenerateKeyRequest,
  type GeneratedKey,
  type KeyInfo,
  type KeyLimitsUpdate,
  type KeyListPage,
  type SpendLogPage,
  type VirtualKey,
} from "./schemas";
import { LiteLLMError, kindForStatus } from "./errors";
import { HttpTransport } from "./http";
import { parseJsonBytes } from "./json-bytes";

export interface LiteLLMClientOptions {
  baseUrl: string;
  /** The master key, an admin key or a read-only (proxy_admin_viewer) key. */
  apiKey: string;
  timeoutMs?: number;
}

type Query = Record<string, string | number | boolean | undefined | null>;

/** Largest page `/key/list` accepts (docs/litellm-reference.md §3). */
export const KEY_LIST_MAX_PAGE = 100;

/** Typed access to the LiteLLM proxy's admin API. Every answer is parsed with zod. */
export class LiteLLMClient {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly http = new HttpTransport();

  constructor(private readonly opts: LiteLLMClientOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, "");
    this.timeoutMs = opts.timeoutMs ?? 10_000;
  }

  /** `GET /health/liveliness`: answers without auth when the proxy process is up. */
  async liveliness(): Promise<void> {
    await this.request("GET", "/health/liveliness", {}, null);
  }

  /** One page of `/key/list` with full key objects. */
  async listKeysPage(page: number, size = KEY_LIST_MAX_PAGE): Promise<KeyListPage> {
    return this.request("GET", "/key/list", { page, size, return_full_object: true }, KeyListPageSchema);
  }

  /** Every virtual key, following pages until the proxy has no more. */
  async listAllKeys(): Promise<VirtualKey[]> {
    const keys: VirtualKey[] = [];
    for (let page = 1; ; page++) {
      const res = await this.listKeysPage(page);
      keys.push(...res.keys);
      const lastPage = res.total_pages ?? (res.keys.length < KEY_LIST_MAX_PAGE ? page : page + 1);
      if (page >= lastPage || res.keys.length === 0) return keys;
    }
  }

  /** `GET /key/info`: one key as the proxy holds it now (limits, metadata). */
  async keyInfo(hash: string): Promise<KeyInfo> {
    return (await this.request("GET", "/key/info", { key: hash }, KeyInfoSchema)).info;
  }

  /** `POST /key/update` with only the fields given (an explicit null clears a limit). */
  async updateKey(hash: string, fields: KeyLimitsUpdate): Promise<void> {
    await this.request("POST", "/key/update", {}, null, { key: hash, ...fields });
  }

  /** `POST /key/generate`: a new virtual key; its raw value is in the answer only. */
  async generateKey(body: GenerateKeyRequest): Promise<GeneratedKey> {
    return this.request("POST", "/key/generate", {}, GeneratedKeySchema, body);
  }

  /** `POST /key/delete` of keys given raw or by hash. */
  async deleteKeys(keys: string[]): Promise<void> {
    await this.request("POST", "/key/delete", {}, null, { keys });
  }

  /**
   * `GET /coordination_redis/settings` (LiteLLM v1.93+): where the limiter's shared Redis comes
   * from; `source` null means each worker counts on its own. Undefined from a proxy without the
   * route (404) or that will not tell this key (401/403).
   */
  async coordinationSource(): Promise<string | null | undefined> {
    try {
      return (await this.request("GET", "/coordination_redis/settings", {}, CoordinationSettingsSchema)).source ?? null;
    } catch (e) {
      if (e instanceof LiteLLMError && (e.status === 404 || e.status === 401 || e.status === 403)) return undefined;
      throw e;
    }
  }

  /**
   * One page of `/spend/logs/ui` (or `/spend/logs/v2`, the same handler): rows whose startTime lies
   * in [startDate, endDate], both "%Y-%m-%d %H:%M:%S" UTC.
   */
  async spendLogsPage(
    route: "/spend/logs/ui" | "/spend/logs/v2",
    q: { startDate: string; endDate: string; page: number; pageSize: number; sortBy?: string; sortOrder?: "asc" | "desc"; apiKey?: string },
  ): Promise<SpendLogPage> {
    return this.request(
      "GET",
      route,
      { start_date: q.startDate, end_date: q.endDate, page: q.page, page_size: q.pageSize, sort_by: q.sortBy, sort_order: q.sortOrder, api_key: q.apiKey },
      SpendLogPageSchema,
    );
  }

  /** The oldest list form, `/spend/logs?summarize=false` with whole-day dates ("%Y-%m-%d"): no paging. */
  async spendLogsByDay(startDay: string, endDay: string): Promise<unknown[]> {
    return this.request("GET", "/spend/logs", { start_date: startDay, end_date: endDay, summarize: false }, SpendLogRowsSchema);
  }

  protected async request<S extends z.ZodType | null>(
    method: "GET" | "POST",
    path: string,
    query: Query,
    schema: S,
    body?: unknown,
  ): Promise<S extends z.ZodType ? z.output<S> : unknown> {
    const url = new URL(this.baseUrl + path);
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null) url.searchParams.set(k, String(v));
    let res: Answer;
    try {
      res = await this.http.request(
        url,
        {
          method,
          headers: {
            authorization: `Bearer ${this.opts.apiKey}`,
            accept: "application/json",
            ...(body === undefined ? {} : { "content-type": "application/json" }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          timeoutMs: this.timeoutMs,
        },
        readAnswer,
      );
    } catch (e) {
      throw new LiteLLMError("unreachable", `LiteLLM at ${this.baseUrl} is unreachable: ${describeRequestError(e)}`, undefined, path);
    }
    if (!res.ok) {
      const detail = errorMessage(res.text);
      throw new LiteLLMError(kindForStatus(res.status), `LiteLLM ${path} answered ${res.status}: ${detail}`, res.status, path, detail);
    }
    if (schema === null) return undefined as never;
    if (res.json === NOT_JSON) {
      throw new LiteLLMError("invalid_response", `LiteLLM ${path} answered with something that is not JSON`, res.status, path);
    }
    const json = res.json;
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new LiteLLMError(
        "invalid_response",
        `LiteLLM ${path} answered in an unexpected shape (${issue.path.join(".") || "body"}: ${issue.message})`,
        res.status,
        path,
      );
    }
    return parsed.data as never;
  }
}

const NOT_JSON = Symbol("not JSON");

/** A 2xx answer's body parsed as JSON; any other answer's body as text, for the error. */
type Answer = { ok: true; status: number; json: unknown } | { ok: false; status: number; text: string };

function readAnswer(status: number, body: Buffer): Answer {
  if (status < 200 || status >= 300) return { ok: false, status, text: body.toString("utf8") };
  try {
    return { ok: true, status, json: body.length === 0 ? NOT_JSON : parseJsonBytes(body) };
  } catch {
    return { ok: true, status, json: NOT_JSON };
  }
}

function describeRequestError(e: unknown): string {
  if (e instanceof Error) {
    if (e.name === "TimeoutError") return "timed out";
    return (e as NodeJS.ErrnoException).code ?? e.message;
  }
  return String(e);
}

function errorMessage(text: string): string {
  try {
    const parsed = ErrorBodySchema.safeParse(JSON.parse(text));
    if (parsed.success) {
      const raw = "error" in parsed.data ? parsed.data.error.message : parsed.data.detail;
      return typeof raw === "string" ? raw : JSON.stringify(raw);
    }
  } catch {
    // not JSON: fall through to the raw text
  }
  return text.slice(0, 200) || "(empty body)";
}
