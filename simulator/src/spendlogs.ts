/**
 * Spend-log store (LiteLLM_SpendLogs, docs/litellm-reference.md §4, §9.1, §9.2, §9.7, §9.9).
 *
 * Rows are kept sorted by startTime in two segments: seeded rows in columnar typed arrays, live rows as small objects.
 * A date range is two binary searches per segment; paging in startTime order with no filter jumps straight to the
 * page (k-th element of two sorted runs), so a page of 1000 rows costs O(page + log n) whatever the store size.
 */
import type { ModelInfo } from "./models";
import { mulberry32, type Rng } from "./rng";
import { isoOffset } from "./util";

export const SPEND_LOGS_PAGINATION_COUNT_CAP = 10_000;

/**
 * A live row, kept lean (one object, shared strings): `metadata` and the constant columns are built when the row
 * is served, not stored.
 */
export interface LiveRow {
  request_id: string;
  litellm_call_id: string;
  /** The route's CallTypes value: acompletion, anthropic_messages, aresponses. */
  call_type: string;
  api_key: string;
  spend: number;
  prompt_tokens: number;
  completion_tokens: number;
  startMs: number;
  endMs: number;
  completionStartMs: number | null;
  model: string;
  model_id: string;
  model_group: string;
  custom_llm_provider: string;
  api_base: string;
  user: string;
  team_id: string | null;
  organization_id: string | null;
  status: "success" | "failure";
  keyAlias: string | null;
  keyUserId: string | null;
  errorCode: string | null;
  errorClass: string | null;
  errorMessage: string | null;
  llmProvider: string;
  /** The x-ratelimit-* headers of the admission (shared object), copied to hidden_params.additional_headers. */
  rateLimitHeaders: Record<string, string> | null;
  mock: boolean;
}

/** The row's `metadata` JSON (StandardLoggingPayload fields LiteLLM keeps there). */
function liveMetadata(r: LiveRow): Record<string, unknown> {
  const m: Record<string, unknown> = {
    user_api_key: r.api_key,
    user_api_key_alias: r.keyAlias,
    user_api_key_team_id: r.team_id,
    user_api_key_org_id: r.organization_id,
    user_api_key_user_id: r.keyUserId,
    user_api_key_team_alias: null,
    user_api_key_end_user_id: null,
    requester_ip_address: "",
    applied_guardrails: [],
    mcp_tool_call_metadata: null,
    spend_logs_metadata: null,
    status: r.status,
  };
  if (r.status === "failure") {
    m.error_information = {
      error_code: r.errorCode,
      error_class: r.errorClass,
      error_message: r.errorMessage,
      llm_provider: r.llmProvider,
      traceback: "",
    };
  } else {
    m.usage_object = {
      completion_tokens: r.completion_tokens,
      prompt_tokens: r.prompt_tokens,
      total_tokens: r.prompt_tokens + r.completion_tokens,
    };
    const additional: Record<string, number> = {};
    if (r.rateLimitHeaders) for (const [k, v] of Object.entries(r.rateLimitHeaders)) additional[k] = Number(v);
    m.hidden_params = { additional_headers: additional, litellm_overhead_time_ms: null, response_cost: r.spend, mock_response: r.mock };
  }
  return m;
}

export interface Filter {
  api_key?: string;
  user?: string;
  request_id?: string;
  team_id?: string;
  min_spend?: number;
  max_spend?: number;
  /** "success" also matches NULL status (§4.2). */
  status?: string;
  model?: string;
  model_id?: string;
  model_group?: string;
  end_user?: string;
  error_code?: string;
  error_message?: string;
  session_id?: string;
  key_alias?: string;
}

export const SORT_FIELDS = ["spend", "total_tokens", "startTime", "endTime", "request_duration_ms", "model", "ttft_ms"] as const;
export type SortField = (typeof SORT_FIELDS)[number];

interface Source {
  readonly length: number;
  start(i: number): number;
  matches(i: number, f: Filter): boolean;
  sortValue(i: number, field: SortField): number | string | null;
  /** full = the /spend/logs Prisma row (all columns); otherwise the list routes' selected columns. */
  json(i: number, full: boolean): Record<string, unknown>;
  keyHash(i: number): string;
  user(i: number): string;
  model(i: number): string;
  spend(i: number): number;
}

function rowJson(r: {
  request_id: string;
  litellm_call_id: string;
  call_type: string;
  api_key: string;
  spend: number;
  total_tokens: number;
  prompt_tokens: number;
  completion_tokens: number;
  startMs: number;
  endMs: number;
  completionStartMs: number | null;
  model: string;
  model_id: string;
  model_group: string;
  custom_llm_provider: string;
  api_base: string;
  user: string;
  metadata: Record<string, unknown>;
  request_tags: string[];
  team_id: string | null;
  organization_id: string | null;
  end_user: string;
  session_id: string;
  status: string;
}, full: boolean): Record<string, unknown> {
  const o: Record<string, unknown> = {
    request_id: r.request_id,
    call_type: r.call_type,
    api_key: r.api_key,
    spend: r.spend,
    total_tokens: r.total_tokens,
    prompt_tokens: r.prompt_tokens,
    completion_tokens: r.completion_tokens,
    startTime: isoOffset(r.startMs),
    endTime: isoOffset(r.endMs),
    request_duration_ms: r.endMs - r.startMs,
    completionStartTime: r.completionStartMs === null ? null : isoOffset(r.completionStartMs),
    model: r.model,
    model_id: r.model_id,
    model_group: r.model_group,
    custom_llm_provider: r.custom_llm_provider,
    api_base: r.api_base,
    user: r.user,
    metadata: r.metadata,
    cache_hit: "False",
    cache_key: "",
    request_tags: r.request_tags,
    team_id: r.team_id,
    organization_id: r.organization_id,
    end_user: r.end_user,
    requester_ip_address: "",
    session_id: r.session_id,
    status: r.status,
    mcp_namespaced_tool_name: null,
    agent_id: null,
  };
  if (full) {
    o.messages = {};
    o.response = {};
    o.proxy_server_request = {};
  } else {
    o.litellm_call_id = r.litellm_call_id;
  }
  return o;
}

function lowerBound(s: Source, lo: number, hi: number, t: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (s.start(mid) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
function upperBound(s: Source, lo: number, hi: number, t: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (s.start(mid) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function liveMatches(r: LiveRow, f: Filter): boolean {
  if (f.api_key !== undefined && r.api_key !== f.api_key) return false;
  if (f.user !== undefined && r.user !== f.user) return false;
  if (f.request_id !== undefined && r.request_id !== f.request_id && r.litellm_call_id !== f.request_id) return false;
  if (f.team_id !== undefined && r.team_id !== f.team_id) return false;
  if (f.min_spend !== undefined && !(r.spend >= f.min_spend)) return false;
  if (f.max_spend !== undefined && !(r.spend <= f.max_spend)) return false;
  if (f.status !== undefined && r.status !== f.status) return false;
  if (f.model !== undefined && r.model !== f.model) return false;
  if (f.model_id !== undefined && r.model_id !== f.model_id) return false;
  if (f.model_group !== undefined && r.model_group !== f.model_group) return false;
  if (f.end_user !== undefined && f.end_user !== "") return false;
  if (f.error_code !== undefined && r.errorCode !== f.error_code) return false;
  if (f.error_message !== undefined && !(r.errorMessage ?? "").includes(f.error_message)) return false;
  if (f.session_id !== undefined && !r.litellm_call_id.includes(f.session_id)) return false;
  if (f.key_alias !== undefined && !(r.keyAlias ?? "").includes(f.key_alias)) return false;
  return true;
}

class LiveSource implements Source {
  rows: LiveRow[] = [];
  get length(): number {
    return this.rows.length;
  }
  start(i: number): number {
    return this.rows[i].startMs;
  }
  matches(i: number, f: Filter): boolean {
    return liveMatches(this.rows[i], f);
  }
  sortValue(i: number, field: SortField): number | string | null {
    const r = this.rows[i];
    switch (field) {
      case "spend":
        return r.spend;
      case "total_tokens":
        return r.prompt_tokens + r.completion_tokens;
      case "startTime":
        return r.startMs;
      case "endTime":
        return r.endMs;
      case "request_duration_ms":
        return r.endMs - r.startMs;
      case "model":
        return r.model;
      case "ttft_ms":
        return r.completionStartMs === null ? null : r.completionStartMs - r.startMs;
    }
  }
  json(i: number, full: boolean): Record<string, unknown> {
    const r = this.rows[i];
    return rowJson(
      {
        ...r,
        total_tokens: r.prompt_tokens + r.completion_tokens,
        metadata: liveMetadata(r),
        request_tags: [],
        end_user: "",
        session_id: r.litellm_call_id,
      },
      full,
    );
  }
  keyHash(i: number): string {
    return this.rows[i].api_key;
  }
  user(i: number): string {
    return this.rows[i].user;
  }
  model(i: number): string {
    return this.rows[i].model;
  }
  spend(i: number): number {
    return this.rows[i].spend;
  }
  /** Inserts a flushed batch, keeping startTime order (only the overlapping tail is re-merged). */
  insert(batch: LiveRow[]): void {
    if (batch.length === 0) return;
    batch.sort((a, b) => a.startMs - b.startMs);
    const rows = this.rows;
    if (rows.length === 0 || batch[0].startMs >= rows[rows.length - 1].startMs) {
      for (const r of batch) rows.push(r);
      return;
    }
    const p = upperBound(this, 0, rows.length, batch[0].startMs);
    const tail = rows.splice(p);
    let i = 0;
    let j = 0;
    while (i < tail.length || j < batch.length) {
      if (j >= batch.length || (i < tail.length && tail[i].startMs <= batch[j].startMs)) rows.push(tail[i++]);
      else rows.push(batch[j++]);
    }
  }
}

export interface SeedKey {
  hash: string;
  alias: string | null;
  teamId: string | null;
  userId: string | null;
}

/** Columnar seeded rows (`--seed-spend-logs N`), generated already sorted by startTime. */
export class SeedSource implements Source {
  readonly length: number;
  readonly startMs: Float64Array;
  readonly durMs: Uint32Array;
  readonly keyIdx: Uint8Array;
  readonly modelIdx: Uint8Array;
  /** 0 = success, 1 = failure (a limiter 429). */
  readonly failed: Uint8Array;
  readonly prompt: Uint16Array;
  readonly completion: Uint16Array;

  constructor(
    n: number,
    readonly keys: SeedKey[],
    readonly models: ModelInfo[],
    private runId: string,
    fromMs: number,
    toMs: number,
    seed = 0x9e3779b9,
  ) {
    this.length = n;
    this.startMs = new Float64Array(n);
    this.durMs = new Uint32Array(n);
    this.keyIdx = new Uint8Array(n);
    this.modelIdx = new Uint8Array(n);
    this.failed = new Uint8Array(n);
    this.prompt = new Uint16Array(n);
    this.completion = new Uint16Array(n);
    const rnd = mulberry32(seed);
    const step = (toMs - fromMs) / Math.max(1, n);
    const nk = keys.length;
    const nm = models.length;
    // Key weights: a few heavy keys and a long tail.
    const cum = new Float64Array(nk);
    let acc = 0;
    for (let k = 0; k < nk; k++) cum[k] = acc += 1 / (k + 1);
    for (let k = 0; k < nk; k++) cum[k] /= acc;
    for (let i = 0; i < n; i++) {
      // Monotone: each row starts within its own slot of the range, rounded to whole milliseconds.
      this.startMs[i] = Math.floor(fromMs + (i + rnd()) * step);
      const u = rnd();
      let k = 0;
      while (k < nk - 1 && u > cum[k]) k++;
      this.keyIdx[i] = k;
      this.modelIdx[i] = (rnd() * nm) | 0;
      if (rnd() < 0.03) {
        this.failed[i] = 1; // 429: startTime == endTime, no tokens, spend 0
        continue;
      }
      this.durMs[i] = 150 + Math.floor(-Math.log(1 - rnd()) * 3000);
      this.prompt[i] = 10 + ((rnd() * 1500) | 0);
      this.completion[i] = 5 + ((rnd() * 600) | 0);
    }
    // Whole-millisecond flooring can tie neighbours; ties are fine (startTime has no tie-breaker), order is kept.
  }

  start(i: number): number {
    return this.startMs[i];
  }
  private requestId(i: number): string {
    const tail = i.toString(16).padStart(12, "0");
    return this.failed[i] ? `${this.runId}-0000-4000-8000-${tail}` : `chatcmpl-${this.runId}-0000-4000-8000-${tail}`;
  }
  spend(i: number): number {
    if (this.failed[i]) return 0;
    const m = this.models[this.modelIdx[i]];
    return this.prompt[i] * m.inPrice + this.completion[i] * m.outPrice;
  }
  keyHash(i: number): string {
    return this.keys[this.keyIdx[i]].hash;
  }
  user(_i: number): string {
    return "";
  }
  model(i: number): string {
    return this.models[this.modelIdx[i]].name;
  }
  matches(i: number, f: Filter): boolean {
    const k = this.keys[this.keyIdx[i]];
    const m = this.models[this.modelIdx[i]];
    const failed = this.failed[i] === 1;
    if (f.api_key !== undefined && k.hash !== f.api_key) return false;
    if (f.user !== undefined && f.user !== "") return false;
    if (f.request_id !== undefined && this.requestId(i) !== f.request_id) return false;
    if (f.team_id !== undefined && k.teamId !== f.team_id) return false;
    if (f.min_spend !== undefined && !(this.spend(i) >= f.min_spend)) return false;
    if (f.max_spend !== undefined && !(this.spend(i) <= f.max_spend)) return false;
    if (f.status !== undefined && f.status !== (failed ? "failure" : "success")) return false;
    if (f.model !== undefined && m.name !== f.model) return false;
    if (f.model_id !== undefined && (failed ? "" : m.modelId) !== f.model_id) return false;
    if (f.model_group !== undefined && (failed ? "" : m.name) !== f.model_group) return false;
    if (f.end_user !== undefined && f.end_user !== "") return false;
    if (f.error_code !== undefined && !(failed && f.error_code === "429")) return false;
    if (f.error_message !== undefined && !(failed && this.errorMessage(i).includes(f.error_message))) return false;
    if (f.session_id !== undefined && !this.requestId(i).includes(f.session_id)) return false;
    if (f.key_alias !== undefined && !(k.alias ?? "").includes(f.key_alias)) return false;
    return true;
  }
  private errorMessage(i: number): string {
    const k = this.keys[this.keyIdx[i]];
    return `429: Rate limit exceeded for api_key: ${k.hash}. Limit type: max_parallel_requests.`;
  }
  sortValue(i: number, field: SortField): number | string | null {
    switch (field) {
      case "spend":
        return this.spend(i);
      case "total_tokens":
        return this.prompt[i] + this.completion[i];
      case "startTime":
        return this.startMs[i];
      case "endTime":
        return this.startMs[i] + this.durMs[i];
      case "request_duration_ms":
        return this.durMs[i];
      case "model":
        return this.model(i);
      case "ttft_ms":
        return this.failed[i] ? null : Math.floor(this.durMs[i] / 4);
    }
  }
  json(i: number, full: boolean): Record<string, unknown> {
    const k = this.keys[this.keyIdx[i]];
    const m = this.models[this.modelIdx[i]];
    const failed = this.failed[i] === 1;
    const start = this.startMs[i];
    const rid = this.requestId(i);
    const metadata: Record<string, unknown> = {
      user_api_key: k.hash,
      user_api_key_alias: k.alias,
      user_api_key_team_id: k.teamId,
      user_api_key_user_id: k.userId,
      user_api_key_org_id: null,
      status: failed ? "failure" : "success",
    };
    if (failed) {
      metadata.error_information = {
        error_code: "429",
        error_class: "ProxyRateLimitError",
        error_message: this.errorMessage(i),
        llm_provider: "",
        traceback: "",
      };
    }
    return rowJson(
      {
        request_id: rid,
        litellm_call_id: failed ? rid : rid.slice("chatcmpl-".length),
        call_type: "acompletion",
        api_key: k.hash,
        spend: this.spend(i),
        total_tokens: this.prompt[i] + this.completion[i],
        prompt_tokens: this.prompt[i],
        completion_tokens: this.completion[i],
        startMs: start,
        endMs: start + this.durMs[i],
        completionStartMs: failed ? null : start + Math.floor(this.durMs[i] / 4),
        model: m.name,
        model_id: failed ? "" : m.modelId,
        model_group: failed ? "" : m.name,
        custom_llm_provider: failed ? "" : m.provider,
        api_base: failed ? "" : m.apiBase,
        user: "",
        metadata,
        request_tags: [],
        team_id: k.teamId,
        organization_id: null,
        end_user: "",
        session_id: rid,
        status: failed ? "failure" : "success",
      },
      full,
    );
  }
}

export interface PageQuery {
  startMs: number;
  endMs: number;
  filter: Filter;
  sortBy: SortField;
  order: "asc" | "desc";
  page: number;
  pageSize: number;
}

type Ref = [Source, number];

export class SpendStore {
  seed: SeedSource | null = null;
  readonly live = new LiveSource();

  private sources(): Source[] {
    return this.seed ? [this.seed, this.live] : [this.live];
  }

  get size(): number {
    return (this.seed?.length ?? 0) + this.live.length;
  }

  insert(batch: LiveRow[]): void {
    this.live.insert(batch);
  }

  /** Walks rows with startTime in [fromMs, toMs] in startTime order (ties: seeded rows first); stop by returning false. */
  private walk(fromMs: number, toMs: number, desc: boolean, skip: number, visit: (s: Source, i: number) => boolean): void {
    const srcs = this.sources();
    const lo = srcs.map((s) => lowerBound(s, 0, s.length, fromMs));
    const hi = srcs.map((s, k) => upperBound(s, lo[k], s.length, toMs));
    // consumed[k] = rows already taken from source k
    const consumed = srcs.map(() => 0);
    if (skip > 0) {
      if (srcs.length === 1) consumed[0] = Math.min(skip, hi[0] - lo[0]);
      else {
        const [a, b] = srcs;
        const nA = hi[0] - lo[0];
        const nB = hi[1] - lo[1];
        const k = Math.min(skip, nA + nB);
        const av = (x: number) => (desc ? -a.start(hi[0] - 1 - x) : a.start(lo[0] + x));
        const bv = (x: number) => (desc ? -b.start(hi[1] - 1 - x) : b.start(lo[1] + x));
        let l = Math.max(0, k - nB);
        let h = Math.min(k, nA);
        let i = l;
        while (l <= h) {
          i = (l + h) >>> 1;
          const j = k - i;
          if (i < nA && j > 0 && av(i) <= bv(j - 1)) l = i + 1;
          else if (i > 0 && j < nB && bv(j) < av(i - 1)) h = i - 1;
          else break;
        }
        consumed[0] = i;
        consumed[1] = k - i;
      }
    }
    const pos = (k: number) => (desc ? hi[k] - 1 - consumed[k] : lo[k] + consumed[k]);
    const left = (k: number) => consumed[k] < hi[k] - lo[k];
    for (;;) {
      let best = -1;
      let bestT = 0;
      for (let k = 0; k < srcs.length; k++) {
        if (!left(k)) continue;
        const t = srcs[k].start(pos(k));
        if (best < 0 || (desc ? t > bestT : t < bestT)) {
          best = k;
          bestT = t;
        }
      }
      if (best < 0) return;
      const i = pos(best);
      consumed[best]++;
      if (!visit(srcs[best], i)) return;
    }
  }

  private count(fromMs: number, toMs: number): number {
    let n = 0;
    for (const s of this.sources()) {
      const lo = lowerBound(s, 0, s.length, fromMs);
      n += upperBound(s, lo, s.length, toMs) - lo;
    }
    return n;
  }

  /** One page of /spend/logs/ui and /v2 (§9.2): startTime in [start, end], filters, sort, total capped at 10,000. */
  page(q: PageQuery): { data: Record<string, unknown>[]; total: number; capped: boolean } {
    const CAP = SPEND_LOGS_PAGINATION_COUNT_CAP;
    const skip = (q.page - 1) * q.pageSize;
    const noFilter = Object.keys(q.filter).length === 0;
    const out: Record<string, unknown>[] = [];
    if (q.sortBy === "startTime") {
      const desc = q.order === "desc";
      if (noFilter) {
        const n = this.count(q.startMs, q.endMs);
        if (skip < n) {
          this.walk(q.startMs, q.endMs, desc, skip, (s, i) => {
            out.push(s.json(i, false));
            return out.length < q.pageSize;
          });
        }
        return { data: out, total: Math.min(n, CAP), capped: n > CAP };
      }
      let matched = 0;
      this.walk(q.startMs, q.endMs, desc, 0, (s, i) => {
        if (!s.matches(i, q.filter)) return true;
        if (matched >= skip && out.length < q.pageSize) out.push(s.json(i, false));
        matched++;
        return !(matched > CAP && matched >= skip + q.pageSize);
      });
      return { data: out, total: Math.min(matched, CAP), capped: matched > CAP };
    }
    // Other sort fields: collect the matches, then sort (Postgres: NULLS LAST for ASC, NULLS FIRST for DESC).
    const refs: Ref[] = [];
    const vals: (number | string | null)[] = [];
    this.walk(q.startMs, q.endMs, true, 0, (s, i) => {
      if (noFilter || s.matches(i, q.filter)) {
        refs.push([s, i]);
        vals.push(s.sortValue(i, q.sortBy));
      }
      return true;
    });
    const dir = q.order === "asc" ? 1 : -1;
    const perm = Array.from(refs.keys());
    perm.sort((x, y) => {
      const a = vals[x];
      const b = vals[y];
      if (a === b) return 0;
      if (a === null) return q.order === "asc" ? 1 : -1;
      if (b === null) return q.order === "asc" ? -1 : 1;
      return (a < b ? -1 : 1) * dir;
    });
    for (let p = skip; p < Math.min(perm.length, skip + q.pageSize); p++) {
      const [s, i] = refs[perm[p]];
      out.push(s.json(i, false));
    }
    return { data: out, total: Math.min(refs.length, CAP), capped: refs.length > CAP };
  }

  /** Raw rows for /spend/logs, newest first, capped at 10,000 (`truncated` tells). */
  rows(fromMs: number, toMs: number, filter: Filter): { rows: Record<string, unknown>[]; truncated: boolean } {
    const out: Record<string, unknown>[] = [];
    let truncated = false;
    const noFilter = Object.keys(filter).length === 0;
    this.walk(fromMs, toMs, true, 0, (s, i) => {
      if (!noFilter && !s.matches(i, filter)) return true;
      if (out.length >= SPEND_LOGS_PAGINATION_COUNT_CAP) {
        truncated = true;
        return false;
      }
      out.push(s.json(i, true));
      return true;
    });
    return { rows: out, truncated };
  }

  /** The summarize=true aggregate of /spend/logs (per UTC day: spend, users, models, and spend per api_key). */
  summarize(fromMs: number, toMs: number, filter: Filter): Record<string, unknown>[] {
    const days = new Map<string, { users: Record<string, number>; models: Record<string, number>; spend: number; keys: Record<string, number> }>();
    const noFilter = Object.keys(filter).length === 0;
    this.walk(fromMs, toMs, false, 0, (s, i) => {
      if (!noFilter && !s.matches(i, filter)) return true;
      const day = new Date(s.start(i)).toISOString().slice(0, 10);
      let d = days.get(day);
      if (!d) days.set(day, (d = { users: {}, models: {}, spend: 0, keys: {} }));
      const sp = s.spend(i);
      const k = s.keyHash(i);
      const u = s.user(i);
      const m = s.model(i);
      d.spend += sp;
      d.keys[k] = (d.keys[k] ?? 0) + sp;
      d.users[u] = (d.users[u] ?? 0) + sp;
      d.models[m] = (d.models[m] ?? 0) + sp;
      return true;
    });
    if (days.size === 0) return [];
    const sorted = [...days.keys()].sort();
    const out: Record<string, unknown>[] = sorted.map((day) => {
      const d = days.get(day)!;
      return { users: d.users, models: d.models, spend: d.spend, ...d.keys, startTime: day };
    });
    const endDay = new Date(toMs).toISOString().slice(0, 10);
    let cur = Date.parse(sorted[sorted.length - 1] + "T00:00:00Z") + 86400000;
    while (new Date(cur).toISOString().slice(0, 10) <= endDay) {
      out.push({ startTime: new Date(cur).toISOString().slice(0, 10), spend: 0, users: {}, models: {} });
      cur += 86400000;
    }
    return out;
  }
}

/**
 * The spend-log write queue: rows become visible only when flushed, every `interval + jitter` seconds
 * (proxy_batch_write_at + random.randint(0, 5), jitter drawn once at start and scaled down for short intervals),
 * or earlier once 100 rows are queued, checked every min(2, interval/5) s (SPEND_LOG_QUEUE_POLL_INTERVAL).
 */
export class SpendLogWriter {
  private queue: LiveRow[] = [];
  private timer: NodeJS.Timeout;
  private poller: NodeJS.Timeout;
  readonly intervalMs: number;
  readonly pollMs: number;
  flushes = 0;

  constructor(
    private store: SpendStore,
    flushIntervalS: number,
    private onFlush: (rows: LiveRow[]) => void,
    /** Where the jitter is drawn from: random by nature in LiteLLM, seedable here (--seed). */
    random: Rng,
  ) {
    const jitter = random() * Math.min(5, flushIntervalS / 2);
    this.intervalMs = Math.round((flushIntervalS + jitter) * 1000);
    this.pollMs = Math.round(Math.min(2, flushIntervalS / 5) * 1000);
    this.timer = setInterval(() => this.flush(), this.intervalMs);
    this.poller = setInterval(() => {
      if (this.queue.length >= 100) this.flush();
    }, this.pollMs);
    this.timer.unref();
    this.poller.unref();
  }

  get queued(): number {
    return this.queue.length;
  }

  push(row: LiveRow): void {
    this.queue.push(row);
  }

  flush(): number {
    const batch = this.queue;
    if (batch.length === 0) return 0;
    this.queue = [];
    this.store.insert(batch);
    this.flushes++;
    this.onFlush(batch);
    return batch.length;
  }

  stop(): void {
    clearInterval(this.timer);
    clearInterval(this.poller);
  }
}
