/** The simulator process: HTTP routing over node:http, and the shared state every route uses. */
import crypto from "node:crypto";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { Auth, VIEWER_USER_ID, type Principal } from "./auth";
import { handleLlmCall, type LlmRoute } from "./call";
import { CHAT_ROUTE } from "./chat";
import { MAX_SPEND_LOG_DELAY_S, type SimConfig } from "./config";
import { coordinationRedisSettings } from "./coordination";
import { Demo } from "./demo";
import { ProxyError, Query, ValidationError, parseJsonObject, readBody, sendError, sendJson } from "./http";
import { KEY_LIST_SORT_FIELDS, KeyStore } from "./keys";
import { GaugeLimiter, LegacyLimiter, type Limiter, RedisScripts, WindowedLimiter, createLimiter } from "./limiter";
import { MESSAGES_ROUTE } from "./messages";
import { MODELS } from "./models";
import { keysFile, loadKeys, saveKeys } from "./persist";
import { RESPONSES_ROUTE } from "./responses";
import { SpendLogDelay } from "./spenddelay";
import { SORT_FIELDS, SeedSource, type Filter, type SortField, SpendLogWriter, SpendStore } from "./spendlogs";
import { UpstreamTracker } from "./upstream";
import { drawSeed, stream, type Rng } from "./rng";
import { Tracker } from "./tracker";
import { parseYmd, parseYmdHms } from "./util";

/** x-litellm-version per era; labels chosen by the simulator (see README), not a claim about exact releases. */
const VERSION = { legacy: "1.74.9", windowed: "1.80.0", gauge: "1.94.0" } as const;

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;

export class Simulator {
  readonly keys = new KeyStore();
  readonly auth: Auth;
  readonly upstream = new UpstreamTracker();
  readonly store = new SpendStore();
  readonly writer: SpendLogWriter;
  /** Where ended requests hand their spend-log row: held for --spend-log-delay, then the writer's queue. */
  readonly spendDelay: SpendLogDelay;
  readonly version: string;
  limiter!: Limiter;
  redis: RedisScripts | null = null;
  /** --tracker: the writes of Inflight's tracker callback; null when it is not mounted. */
  tracker: Tracker | null = null;
  private server: http.Server | null = null;
  private sockets = new Set<Socket>();
  private rr = 0;
  private inFlightHttp = 0;
  private routes = new Map<string, Map<string, Handler>>();
  private demo: Demo | null = null;
  port = 0;
  /** The seed of every random choice this run makes (--seed, else drawn at start): see rng.ts. */
  readonly randomSeed: number;
  /** The draws of simulated model calls: a real call's latency, upstream errors, completion tokens. */
  readonly callRandom: Rng;

  constructor(readonly cfg: SimConfig) {
    this.randomSeed = cfg.seed ?? drawSeed();
    this.callRandom = this.random("calls");
    this.auth = new Auth(this.keys, cfg.masterKey);
    this.version = VERSION[cfg.limiter];
    this.writer = new SpendLogWriter(this.store, cfg.flushInterval, (rows) => this.keys.applySpend(rows), this.random("flush-jitter"));
    this.spendDelay = new SpendLogDelay(this.writer, cfg.spendLogDelay);
    this.registerRoutes();
  }

  /** The run's random stream for one purpose (each purpose draws its own sequence from the seed). */
  random(purpose: string): Rng {
    return stream(this.randomSeed, purpose);
  }

  /** Round-robin over the simulated uvicorn workers. */
  nextWorker(): number {
    const w = this.rr;
    this.rr = (this.rr + 1) % this.cfg.workers;
    return w;
  }

  /** get_custom_headers: call id, version, key spend and key limits (None values dropped). */
  customHeaders(p: Principal, callId: string): Record<string, string> {
    const h: Record<string, string> = {
      "x-litellm-call-id": callId,
      "x-litellm-version": this.version,
      "x-litellm-key-spend": String(p.row?.spend ?? 0),
    };
    if (p.row?.tpm_limit != null) h["x-litellm-key-tpm-limit"] = String(p.row.tpm_limit);
    if (p.row?.rpm_limit != null) h["x-litellm-key-rpm-limit"] = String(p.row.rpm_limit);
    if (p.row?.max_budget != null) h["x-litellm-key-max-budget"] = String(p.row.max_budget);
    return h;
  }

  async start(): Promise<void> {
    if (this.cfg.redisUrl) {
      this.redis = new RedisScripts(this.cfg.redisUrl);
      try {
        await this.redis.connect();
      } catch (e) {
        await this.redis.close();
        throw new Error(`cannot connect to redis at ${this.cfg.redisUrl}: ${(e as Error).message}`);
      }
    }
    if (this.cfg.trackerRedisUrl) {
      this.tracker = new Tracker(this.cfg.trackerRedisUrl, this.cfg.workers, `simulator/${this.version}`);
      try {
        await this.tracker.connect();
      } catch (e) {
        throw new Error(`cannot connect to the tracker's redis at ${this.cfg.trackerRedisUrl}: ${(e as Error).message}`);
      }
    }
    // Legacy v1 keeps its counters in process (local_only=True) even when Redis is configured.
    this.limiter = createLimiter(
      this.cfg.limiter,
      this.cfg.limiter === "legacy" ? null : this.redis,
      this.cfg.window,
      this.cfg.workers,
      this.cfg.slotTtl,
    );
    if (this.cfg.dataDir !== null) this.useDataDir(this.cfg.dataDir);
    if (this.cfg.viewerKey !== null) this.registerViewer(this.cfg.viewerKey);
    if (this.cfg.seedSpendLogs > 0) this.seed(this.cfg.seedSpendLogs);
    if (this.cfg.demo) this.demo = new Demo(this);

    this.server = http.createServer((req, res) => this.dispatch(req, res));
    this.server.keepAliveTimeout = 5000; // uvicorn's default keep-alive
    this.server.requestTimeout = 0; // simulated requests may run for minutes (mock_timeout defaults to 6000 s)
    this.server.on("connection", (s) => {
      this.sockets.add(s);
      s.on("close", () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once("error", reject);
      this.server!.listen(this.cfg.port, "127.0.0.1", () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
    if (this.demo) this.demo.start(this.port);
  }

  /**
   * --viewer-key: the key of a user whose user_role is proxy_admin_viewer. A stored key with that value (--data-dir)
   * is reused and given to the viewer user; otherwise the key is created, as `/key/generate {"key": …, "user_id": …}`.
   */
  private registerViewer(raw: string): void {
    this.auth.userRoles.set(VIEWER_USER_ID, "proxy_admin_viewer");
    const row = this.keys.get(raw);
    if (row) {
      if (row.user_id !== VIEWER_USER_ID) {
        row.user_id = VIEWER_USER_ID;
        this.keys.onChange();
      }
      return;
    }
    this.keys.generate({ key: raw, user_id: VIEWER_USER_ID }, null);
  }

  /** --data-dir: loads the stored keys, then writes the table after every change. */
  private useDataDir(dir: string): void {
    const file = keysFile(dir);
    try {
      this.keys.load(loadKeys(dir));
      saveKeys(dir, this.keys.all()); // an unwritable DIR fails the start, not a later request
    } catch (e) {
      throw new Error(`cannot use ${file}: ${(e as Error).message}`);
    }
    console.log(`simulator keeps keys in ${file} (${this.keys.size} loaded)`);
    this.keys.onChange = () => {
      try {
        saveKeys(dir, this.keys.all());
      } catch (e) {
        // The table in memory stays authoritative; a failed write must not fail the request or the spend flush.
        console.error(`simulator: cannot write ${file}: ${(e as Error).message}`);
      }
    };
  }

  /** --seed-spend-logs: N rows over the last 24 h across seed keys (created in the key store too, or reused by alias). */
  seed(n: number): { ms: number } {
    const t0 = Date.now();
    const limits = [null, 40, 25, 60, 10, 30, 80, 15];
    const seedKeys = limits.map((mpr, i) => {
      const { hash } = this.keys.ensure({
        key_alias: `seed-key-${i + 1}`,
        team_id: i % 2 === 0 ? "team-seed-a" : "team-seed-b",
        max_parallel_requests: mpr,
        metadata: { allow_client_mock_response: true, seeded: true },
      });
      return { hash, alias: `seed-key-${i + 1}`, teamId: i % 2 === 0 ? "team-seed-a" : "team-seed-b", userId: null };
    });
    const now = Date.now();
    const runId = crypto.randomBytes(4).toString("hex"); // in each row's request id: unique per run, even with --seed
    const rowSeed = Math.floor(this.random("seed-spend-logs")() * 0x1_0000_0000);
    this.store.seed = new SeedSource(n, seedKeys, MODELS, runId, now - 86_400_000, now, rowSeed);
    const ms = Date.now() - t0;
    console.log(`simulator seeded ${n} spend-log rows in ${ms} ms`);
    return { ms };
  }

  async stop(): Promise<void> {
    this.demo?.stop();
    this.spendDelay.stop();
    this.writer.stop();
    if (this.server) {
      const closed = new Promise<void>((r) => this.server!.close(() => r()));
      this.server.closeIdleConnections();
      // Give in-flight responses no grace: simulated requests can last minutes.
      for (const s of this.sockets) s.destroy();
      await closed;
    }
    await this.limiter?.close();
    await this.redis?.close();
    await this.tracker?.close();
  }

  private on(method: string, paths: string[], h: Handler): void {
    for (const p of paths) {
      let m = this.routes.get(p);
      if (!m) this.routes.set(p, (m = new Map()));
      m.set(method, h);
    }
  }

  private dispatch(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const byMethod = this.routes.get(url.pathname);
    if (!byMethod) {
      sendJson(res, 404, { detail: "Not Found" });
      return;
    }
    const h = byMethod.get(req.method ?? "GET");
    if (!h) {
      sendJson(res, 405, { detail: "Method Not Allowed" });
      return;
    }
    this.inFlightHttp++;
    let counted = true;
    const done = () => {
      if (counted) {
        counted = false;
        this.inFlightHttp--;
      }
    };
    res.on("close", done);
    h(req, res, url).catch((e) => sendError(res, e));
  }

  /** A management or spend route: the master key, or (reads only) a proxy_admin_viewer key. */
  private admin(req: IncomingMessage, route: string): Principal {
    const p = this.auth.authenticate(req.headers, false);
    this.auth.checkRoute(p, req.method ?? "GET", route);
    return p;
  }

  private async jsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
    return parseJsonObject(await readBody(req));
  }

  /** An LLM route: any key, budget checked, then the shared LLM path with the route's shapes. */
  private llm(paths: string[], route: LlmRoute): void {
    this.on("POST", paths, async (req, res, url) => {
      const body = await readBody(req);
      const p = this.auth.authenticate(req.headers, true);
      await handleLlmCall(this, req, res, body, p, route, url.pathname);
    });
  }

  private registerRoutes(): void {
    // ---- traffic
    this.llm(["/chat/completions", "/v1/chat/completions"], CHAT_ROUTE);
    this.llm(["/v1/messages"], MESSAGES_ROUTE);
    this.llm(["/v1/responses", "/responses"], RESPONSES_ROUTE);
    this.on("GET", ["/v1/models", "/models"], async (req, res) => {
      const p = this.auth.authenticate(req.headers, false);
      const allowed = p.row && p.row.models.length > 0 && !p.row.models.includes("all-proxy-models") ? new Set(p.row.models) : null;
      const data = MODELS.filter((m) => !allowed || allowed.has(m.name)).map((m) => ({
        id: m.name,
        object: "model",
        created: 1677610602,
        owned_by: "openai",
      }));
      sendJson(res, 200, { data, object: "list" });
    });

    // ---- health
    this.on("GET", ["/health/liveliness", "/health/liveness"], async (_req, res) => sendJson(res, 200, "I'm alive!"));
    this.on("GET", ["/health/readiness"], async (_req, res) =>
      sendJson(res, 200, {
        status: "healthy",
        db: "connected",
        cache: this.redis ? "redis" : null,
        litellm_version: this.version,
        success_callbacks: [],
        use_aiohttp_transport: true,
        last_updated: new Date().toISOString(),
      }),
    );
    this.on("GET", ["/health/backlog"], async (req, res) => {
      this.auth.authenticate(req.headers, false);
      sendJson(res, 200, { in_flight_requests: this.inFlightHttp });
    });
    // v1.93+ only: the windowed and legacy eras model older proxies, which answer 404 here.
    if (this.cfg.limiter === "gauge") {
      this.on("GET", ["/coordination_redis/settings"], async (req, res) => {
        this.admin(req, "/coordination_redis/settings");
        sendJson(res, 200, coordinationRedisSettings(this.cfg.redisUrl !== null));
      });
    }

    // ---- key management (§3, §8.1, §9.4, §9.6)
    this.on("POST", ["/key/generate"], async (req, res) => {
      const p = this.admin(req, "/key/generate");
      const body = await this.jsonBody(req);
      sendJson(res, 200, this.keys.generate(body, p.admin ? "default_user_id" : null, this.cfg.upperbound));
    });
    this.on("POST", ["/key/update"], async (req, res) => {
      this.admin(req, "/key/update");
      const body = await this.jsonBody(req);
      sendJson(res, 200, this.keys.update(body, "default_user_id", this.cfg.upperbound));
    });
    this.on("POST", ["/key/delete"], async (req, res) => {
      this.admin(req, "/key/delete");
      sendJson(res, 200, this.keys.delete(await this.jsonBody(req)));
    });
    this.on("POST", ["/key/block"], async (req, res) => {
      this.admin(req, "/key/block");
      const body = await this.jsonBody(req);
      sendJson(res, 200, this.keys.setBlocked(body.key, true, "default_user_id"));
    });
    this.on("POST", ["/key/unblock"], async (req, res) => {
      this.admin(req, "/key/unblock");
      const body = await this.jsonBody(req);
      sendJson(res, 200, this.keys.setBlocked(body.key, false, "default_user_id"));
    });
    this.on("GET", ["/key/info"], async (req, res, url) => {
      const p = this.auth.authenticate(req.headers, false);
      const param = url.searchParams.get("key");
      const target = param ?? p.raw;
      const row = this.keys.get(target);
      // _can_user_query_key_info: proxy_admin and proxy_admin_viewer read any key, others only their own.
      if (!p.admin && p.role !== "proxy_admin_viewer" && (!row || row.token !== p.hash)) {
        throw new ProxyError(403, "You are not allowed to access this key's info. Your key can only access its own info.", "auth_error", "None");
      }
      if (!row) throw new ProxyError(404, "Key not found in database", "not_found", "key");
      sendJson(res, 200, { key: target, info: this.keys.rowJson(row, false) });
    });
    this.on("GET", ["/key/list"], async (req, res, url) => {
      const p = this.auth.authenticate(req.headers, false);
      if (!p.admin && p.role !== "proxy_admin_viewer") {
        throw new ProxyError(403, "Only admin users can query all keys/other keys. Your user role=None", "auth_error", "None");
      }
      const q = new Query(url.searchParams);
      const page = q.int("page", 1, 1);
      const size = q.int("size", 10, 1, 100);
      if (!p.admin) viewerKeyListCheck(p, q);
      const sortBy = q.str("sort_by");
      if (sortBy !== undefined && !KEY_LIST_SORT_FIELDS.has(sortBy)) {
        throw new ProxyError(400, `Invalid sort column: ${sortBy}. Must be one of ${[...KEY_LIST_SORT_FIELDS].join(", ")}`, "bad_request", "sort_by");
      }
      const sortOrder = (q.str("sort_order") ?? "desc").toLowerCase();
      if (sortOrder !== "asc" && sortOrder !== "desc") throw new ProxyError(400, "Invalid sort order. Must be 'asc' or 'desc'", "bad_request", "sort_order");
      const full = q.bool("return_full_object", false);
      q.bool("include_team_keys", false);
      const { rows, total } = this.keys.list({
        page,
        size,
        user_id: q.str("user_id"),
        team_id: q.str("team_id"),
        organization_id: q.str("organization_id"),
        key_hash: q.str("key_hash"),
        key_alias: q.str("key_alias"),
        substring: q.bool("substring_matching", false),
        sort_by: sortBy,
        sort_order: sortOrder,
      });
      sendJson(res, 200, {
        keys: rows.map((r) => (full ? this.keys.fullObject(r) : r.token)),
        total_count: total,
        current_page: page,
        total_pages: Math.ceil(total / size),
      });
    });

    // ---- spend logs (§4.2, §9.2)
    this.on("GET", ["/spend/logs/ui"], async (req, res, url) => this.spendLogsPage(req, res, url, false));
    this.on("GET", ["/spend/logs/v2"], async (req, res, url) => this.spendLogsPage(req, res, url, true));
    this.on("GET", ["/spend/logs"], async (req, res, url) => {
      this.admin(req, "/spend/logs");
      const q = new Query(url.searchParams);
      const apiKey = q.str("api_key");
      const requestId = q.str("request_id");
      const userId = q.str("user_id");
      const startDate = q.str("start_date");
      const endDate = q.str("end_date");
      const summarize = q.bool("summarize", true);
      if (startDate !== undefined && endDate !== undefined) {
        const from = parseYmd(startDate);
        const to = parseYmd(endDate);
        if (from === null) throw strptimeError(startDate, "%Y-%m-%d");
        if (to === null) throw strptimeError(endDate, "%Y-%m-%d");
        // The date path applies one filter, unhashed: api_key, else request_id, else user_id.
        const f: Filter = apiKey !== undefined ? { api_key: apiKey } : requestId !== undefined ? { request_id: requestId } : userId !== undefined ? { user: userId } : {};
        if (!summarize) {
          const { rows, truncated } = this.store.rows(from, to, f);
          sendJson(res, 200, rows, truncated ? { "x-litellm-spend-logs-truncated": "true" } : undefined);
        } else {
          sendJson(res, 200, this.store.summarize(from, to, f));
        }
        return;
      }
      const f: Filter =
        apiKey !== undefined
          ? { api_key: this.keys.hashOf(apiKey) }
          : requestId !== undefined
            ? { request_id: requestId }
            : userId !== undefined
              ? { user: userId }
              : {};
      const { rows, truncated } = this.store.rows(-Infinity, Infinity, f);
      sendJson(res, 200, rows, truncated ? { "x-litellm-spend-logs-truncated": "true" } : undefined);
    });

    // ---- ground truth and test hooks (Inflight must never call these)
    this.on("GET", ["/sim/upstream"], async (_req, res) => sendJson(res, 200, this.upstream.snapshot()));
    this.on("POST", ["/sim/upstream/reset"], async (_req, res) => {
      this.upstream.reset();
      sendJson(res, 200, this.upstream.snapshot());
    });
    // Flushes the write queue only: rows held by the spend-log delay stay held.
    this.on("POST", ["/sim/spend-logs/flush"], async (_req, res) => sendJson(res, 200, { flushed: this.writer.flush() }));
    this.on("POST", ["/sim/spend-logs/delay"], async (req, res) => {
      this.spendDelay.set(delaySeconds(await this.jsonBody(req)));
      sendJson(res, 200, { seconds: this.spendDelay.seconds });
    });
    if (this.cfg.trackerRedisUrl !== null) {
      // ?hash=H (repeatable): H's open set beside its ground truth, both as of the same moment (Tracker.openCounts).
      this.on("GET", ["/sim/tracker"], async (_req, res, url) => {
        const tracker = this.tracker!; // connected at start, before the server listens
        const hashes = url.searchParams.getAll("hash");
        const upstream = hashes.map((h) => this.upstream.current(h));
        const open = await tracker.openCounts(hashes);
        const samples = Object.fromEntries(hashes.map((h, i) => [h, { open: open[i], upstream: upstream[i] }]));
        sendJson(res, 200, { ...tracker.stats(), samples });
      });
    }
    this.on("GET", ["/sim/state"], async (_req, res) => {
      const l = this.limiter;
      sendJson(res, 200, {
        limiter: this.cfg.limiter,
        workers: this.cfg.workers,
        window: this.cfg.window,
        slot_ttl_s: this.cfg.slotTtl,
        leak_metadata_routes: this.cfg.leakMetadataRoutes,
        redis: this.cfg.redisUrl !== null,
        flush_interval_ms: this.writer.intervalMs,
        spend_log_delay_s: this.spendDelay.seconds,
        delayed_spend_logs: this.spendDelay.count,
        queued_spend_logs: this.writer.queued,
        stored_spend_logs: this.store.size,
        worker_local_caches: l instanceof WindowedLimiter || l instanceof GaugeLimiter || l instanceof LegacyLimiter ? l.localState() : [],
        memory_gauges: l instanceof GaugeLimiter ? l.memoryInFlight() : [],
        demo_keys: this.demo?.keyList() ?? [],
      });
    });
  }

  private async spendLogsPage(req: IncomingMessage, res: ServerResponse, url: URL, isV2: boolean): Promise<void> {
    this.admin(req, isV2 ? "/spend/logs/v2" : "/spend/logs/ui");
    const q = new Query(url.searchParams);
    // FastAPI validates typed query parameters before the handler runs (422).
    const page = q.int("page", 1, 1);
    const pageSize = q.int("page_size", 50, 1, 1000);
    const minSpend = q.float("min_spend");
    const maxSpend = q.float("max_spend");
    const startDate = q.str("start_date");
    const endDate = q.str("end_date");
    if (startDate === undefined || endDate === undefined) {
      throw new ProxyError(400, "Start date and end date are required", "bad_request", "None");
    }
    const parse = (s: string) => parseYmdHms(s) ?? (isV2 ? parseYmd(s) : null);
    const from = parse(startDate);
    const to = parse(endDate);
    if (from === null) throw strptimeError(startDate, "%Y-%m-%d %H:%M:%S");
    if (to === null) throw strptimeError(endDate, "%Y-%m-%d %H:%M:%S");
    const sortBy = q.str("sort_by") ?? "startTime";
    if (!(SORT_FIELDS as readonly string[]).includes(sortBy)) {
      throw new ProxyError(400, `Invalid sort_by: ${sortBy}. Must be one of: ${SORT_FIELDS.join(", ")}`, "bad_request", "sort_by");
    }
    const sortOrder = (q.str("sort_order") ?? "desc").toLowerCase();
    if (sortOrder !== "asc" && sortOrder !== "desc") {
      throw new ProxyError(400, `Invalid sort_order: ${sortOrder}. Must be 'asc' or 'desc'`, "bad_request", "sort_order");
    }
    const filter: Filter = {};
    const set = (k: keyof Filter, param: string) => {
      const v = q.str(param);
      if (v !== undefined && v !== "") (filter as Record<string, unknown>)[k] = v;
    };
    set("api_key", "api_key");
    set("user", "user_id");
    set("request_id", "request_id");
    set("team_id", "team_id");
    set("status", "status_filter");
    set("model", "model");
    set("model_id", "model_id");
    set("model_group", "model_group");
    set("end_user", "end_user");
    set("error_code", "error_code");
    set("error_message", "error_message");
    set("session_id", "session_id");
    set("key_alias", "key_alias");
    if (minSpend !== undefined) filter.min_spend = minSpend;
    if (maxSpend !== undefined) filter.max_spend = maxSpend;
    const r = this.store.page({ startMs: from, endMs: to, filter, sortBy: sortBy as SortField, order: sortOrder, page, pageSize });
    sendJson(res, 200, {
      data: r.data,
      total: r.total,
      page,
      page_size: pageSize,
      total_pages: Math.ceil(r.total / pageSize),
      total_is_capped: r.capped,
    });
  }
}

/**
 * validate_key_list_check (key_management_endpoints.py) for a proxy_admin_viewer: it is not PROXY_ADMIN, so the
 * filters are checked against its own user (in no team or organization here); list_keys then leaves user_id unset
 * for PROXY_ADMIN_VIEW_ONLY, so without filters it lists every key. ProxyException(type bad_request_error, 403).
 */
function viewerKeyListCheck(p: Principal, q: Query): void {
  const userId = q.str("user_id");
  if (userId && userId !== p.row?.user_id) {
    throw new ProxyError(403, "You are not authorized to check another user's keys", "bad_request_error", "user_id");
  }
  if (q.str("team_id")) throw new ProxyError(403, "You are not authorized to check this team's keys", "bad_request_error", "team_id");
  if (q.str("organization_id")) {
    throw new ProxyError(403, "You are not authorized to check this organization's keys", "bad_request_error", "organization_id");
  }
  // key_hash: _can_user_query_key_info lets a proxy_admin_viewer read any key.
}

/** handle_exception_on_proxy of a strptime ValueError: 500 "Internal Server Error, time data …". */
function strptimeError(value: string, fmt: string): ProxyError {
  return new ProxyError(500, `Internal Server Error, time data '${value}' does not match format '${fmt}'`, "internal_server_error", "None");
}

/** The body of POST /sim/spend-logs/delay, `{"seconds": S}`, refused as pydantic's `seconds: float = Field(ge=0, le=…)` would be. */
function delaySeconds(body: Record<string, unknown>): number {
  const v = body.seconds;
  const loc = ["body", "seconds"];
  if (v === undefined) throw new ValidationError([{ type: "missing", loc, msg: "Field required", input: body }]);
  if (typeof v !== "number") throw new ValidationError([{ type: "float_type", loc, msg: "Input should be a valid number", input: v }]);
  if (v < 0) {
    throw new ValidationError([{ type: "greater_than_equal", loc, msg: "Input should be greater than or equal to 0", input: v, ctx: { ge: 0 } }]);
  }
  if (v > MAX_SPEND_LOG_DELAY_S) {
    const max = MAX_SPEND_LOG_DELAY_S;
    throw new ValidationError([{ type: "less_than_equal", loc, msg: `Input should be less than or equal to ${max}`, input: v, ctx: { le: max } }]);
  }
  return v;
}

export { ValidationError };
