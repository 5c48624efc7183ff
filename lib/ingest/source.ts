import type { LiteLLMClient } from "../litellm/client";
import { LiteLLMError } from "../litellm/errors";
import type { SpendLogPage } from "../litellm/schemas";
import { formatProxyDate, parseTimestampMs } from "./timestamps";

/** Which list endpoint the proxy answers; older proxies lack the newer ones (docs/litellm-reference.md §4.2, §9.2). */
export type SpendLogRoute = "/spend/logs/ui" | "/spend/logs/v2" | "/spend/logs";

/**
 * Rows whose startTime lies in [fromMs, toMs]. `endDesc` asks for newest-ended first so a caller can
 * stop reading once rows end before what it already has; `startAsc` reads a settled window whole.
 */
export interface SpendLogWindow {
  fromMs: number;
  toMs: number;
  order: "endDesc" | "startAsc";
  /** Only this key's rows (its hash: the proxy's `api_key` filter); absent: every key's. */
  keyHash?: string;
}

export interface SpendLogPageOut {
  rows: unknown[];
  /** Whether this page came back newest-ended first (null when the order was not checked). */
  endDesc: boolean | null;
}

/**
 * Given how many pages the window being read has, the window the caller will read next, or null
 * when it cannot tell. A source may fetch that window's first page early; it is used only if the
 * next read asks for exactly that window.
 */
export type NextWindow = (pagesInWindow: number) => SpendLogWindow | null;

/** The proxy's count of rows whose startTime lies in a window; `capped` when it stopped counting (10,000 on newer proxies). */
export interface SpendLogCount {
  total: number;
  capped: boolean;
}

export interface SpendLogSource {
  pages(w: SpendLogWindow, next?: NextWindow): AsyncGenerator<SpendLogPageOut>;
  /** Rows with startTime in [fromMs, toMs] (whole seconds), counted by the proxy; null when it cannot count (an old proxy). */
  count(fromMs: number, toMs: number): Promise<SpendLogCount | null>;
  /** What the source learned about the proxy, for status. */
  describe(): { route: SpendLogRoute; pageSize: number; endTimeSort: boolean | null };
}

const FULL_PAGE = 1000;
const OLD_PAGE = 100; // the cap before PR #33994 (docs/litellm-reference.md §9.2): larger pages get a 422

/** A prefetch the caller may never await (it stopped early, or read another window) must not become an unhandled rejection. */
function quietly<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}

/** Pages in the window by the proxy's own count; null when it sent none or capped it (docs/litellm-reference.md §9.2). */
function knownPageCount(first: SpendLogPage, pageSize: number): number | null {
  if (typeof first.total !== "number" || first.total_is_capped === true) return null;
  return Math.ceil(first.total / pageSize);
}

function isSortedByEndDesc(rows: unknown[]): boolean {
  let prev = Infinity;
  for (const r of rows) {
    const end = parseTimestampMs((r as { endTime?: unknown } | null)?.endTime);
    if (Number.isNaN(end)) continue;
    if (end > prev) return false;
    prev = end;
  }
  return true;
}

/**
 * Spend-log pages from a LiteLLM proxy, adapting to what its version answers: `/spend/logs/ui`,
 * then `/spend/logs/v2`, then the unpaged `/spend/logs`; pages of 1000, or 100 on older proxies.
 * The next page is requested while the caller handles the current one.
 */
export class ProxySpendLogSource implements SpendLogSource {
  private route: SpendLogRoute = "/spend/logs/ui";
  private pageSize = FULL_PAGE;
  private endTimeSort: boolean | null = null;
  /** The next window's first page, asked for while the previous window was still being read. */
  private early: { query: string; page: Promise<SpendLogPage> } | null = null;

  constructor(private readonly client: LiteLLMClient) {}

  describe() {
    return { route: this.route, pageSize: this.pageSize, endTimeSort: this.endTimeSort };
  }

  async *pages(w: SpendLogWindow, next?: NextWindow): AsyncGenerator<SpendLogPageOut> {
    if (this.route === "/spend/logs") {
      yield* this.dayPages(w);
      return;
    }
    let first: SpendLogPage;
    try {
      first = await this.firstPage(w);
    } catch (e) {
      if (!(e instanceof LiteLLMError)) throw e;
      if (e.kind === "not_found") {
        // An older proxy: step down one route and try again.
        this.route = this.route === "/spend/logs/ui" ? "/spend/logs/v2" : "/spend/logs";
        yield* this.pages(w, next);
        return;
      }
      if (e.kind === "bad_request" && e.status === 422 && this.pageSize > OLD_PAGE) {
        this.pageSize = OLD_PAGE;
        yield* this.pages(w, next);
        return;
      }
      throw e;
    }
    // A settled window is read whole, so when the first page's total says how many pages there are,
    // two stay in flight: the proxy builds page k + 2 while this process reads and parses page k + 1
    // and the caller stores page k; once the last page is asked for, the next window's first page
    // follows, so the proxy is not left idle between windows. A live poll may stop early: it only
    // prefetches the next page.
    const lastPage = w.order === "startAsc" ? knownPageCount(first, this.pageSize) : null;
    const inFlight = new Map<number, Promise<SpendLogPage>>();
    const request = (p: number) => {
      if (inFlight.has(p)) return;
      inFlight.set(p, quietly(this.fetchPage(w, p)));
    };
    let nextAsked = false;
    const askNextWindow = (highestAsked: number) => {
      if (nextAsked || lastPage === null || !next || highestAsked < lastPage) return;
      nextAsked = true;
      const after = next(Math.max(1, lastPage)); // an empty window still yields one (empty) page
      if (after) this.early = { query: this.queryKey(after), page: quietly(this.fetchPage(after, 1)) };
    };
    let page = 1;
    let current = first;
    for (;;) {
      const full = current.data.length >= this.pageSize;
      if (full) request(page + 1);
      if (full && lastPage !== null && page + 2 <= lastPage) request(page + 2);
      askNextWindow(full ? Math.min(page + 2, lastPage ?? page + 1) : page);
      yield { rows: current.data, endDesc: w.order === "endDesc" ? this.noteOrder(current.data) : null };
      if (!full) return;
      current = await inFlight.get(page + 1)!;
      inFlight.delete(page + 1);
      page++;
      if (current.data.length === 0) return;
    }
  }

  async count(fromMs: number, toMs: number): Promise<SpendLogCount | null> {
    if (this.route === "/spend/logs") return null;
    // One row is the smallest page: the proxy's `total` is the count of the whole window.
    const w: SpendLogWindow = { fromMs, toMs, order: "startAsc" };
    const res = await this.client.spendLogsPage(this.route, { ...this.query(w, 1), pageSize: 1 });
    if (typeof res.total !== "number") return null;
    return { total: res.total, capped: res.total_is_capped === true };
  }

  private noteOrder(rows: unknown[]): boolean {
    const sorted = isSortedByEndDesc(rows);
    if (rows.length > 1) this.endTimeSort = (this.endTimeSort ?? true) && sorted;
    return sorted && this.endTimeSort !== false;
  }

  /** Page 1 of the window: the one fetched early if it was asked for with exactly this query. */
  private firstPage(w: SpendLogWindow): Promise<SpendLogPage> {
    const early = this.early;
    this.early = null;
    return early && early.query === this.queryKey(w) ? early.page : this.fetchPage(w, 1);
  }

  private queryKey(w: SpendLogWindow): string {
    return JSON.stringify([this.route, this.query(w, 1)]);
  }

  private query(w: SpendLogWindow, page: number) {
    return {
      startDate: formatProxyDate(w.fromMs),
      endDate: formatProxyDate(w.toMs),
      page,
      pageSize: this.pageSize,
      sortBy: w.order === "endDesc" ? "endTime" : "startTime",
      sortOrder: w.order === "endDesc" ? ("desc" as const) : ("asc" as const),
      apiKey: w.keyHash,
    };
  }

  private fetchPage(w: SpendLogWindow, page: number): Promise<SpendLogPage> {
    return this.client.spendLogsPage(this.route as "/spend/logs/ui" | "/spend/logs/v2", this.query(w, page));
  }

  /** `/spend/logs` takes whole days and returns them unpaged: filter to the window here. */
  private async *dayPages(w: SpendLogWindow): AsyncGenerator<SpendLogPageOut> {
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const endDay = day(w.toMs + 86_400_000); // the end date is exclusive on this route
    const rows = await this.client.spendLogsByDay(day(w.fromMs), endDay);
    const inWindow = rows.filter((r) => {
      const start = parseTimestampMs((r as { startTime?: unknown } | null)?.startTime);
      if (w.keyHash !== undefined && (r as { api_key?: unknown } | null)?.api_key !== w.keyHash) return false;
      return Number.isNaN(start) || (start >= Math.floor(w.fromMs / 1000) * 1000 && start <= w.toMs);
    });
    this.endTimeSort = false;
    yield { rows: inWindow, endDesc: false };
  }
}
