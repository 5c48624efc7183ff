import { describe, expect, it } from "vitest";
import { LiteLLMClient } from "../litellm/client";
import type { SpendLogPage } from "../litellm/schemas";
import { ProxySpendLogSource, type SpendLogWindow } from "./source";

/** A client whose spend-log pages answer only when the test releases them, so prefetching shows. */
class HeldClient extends LiteLLMClient {
  readonly asked: number[] = [];
  /** Every query as "window start/page". */
  readonly queries: string[] = [];
  private readonly held = new Map<number, () => void>();

  constructor(
    private readonly rows: number,
    private readonly capped = false,
  ) {
    super({ baseUrl: "http://127.0.0.1:1", apiKey: "sk-test" });
  }

  override spendLogsPage(_route: string, q: { startDate: string; page: number; pageSize: number }): Promise<SpendLogPage> {
    this.asked.push(q.page);
    this.queries.push(`${q.startDate}/${q.page}`);
    const from = (q.page - 1) * q.pageSize;
    const data = Array.from({ length: Math.max(0, Math.min(q.pageSize, this.rows - from)) }, (_, i) => ({ request_id: `r${from + i}` }));
    const total = this.capped ? Math.min(this.rows, 10_000) : this.rows;
    if (this.open) return Promise.resolve({ data, total, total_is_capped: this.capped });
    return new Promise((resolve) => this.held.set(q.page, () => resolve({ data, total, total_is_capped: this.capped })));
  }

  /** Answer at once from now on. */
  open = false;

  release(page: number) {
    this.held.get(page)!();
  }
}

const tick = () => new Promise((r) => setTimeout(r, 0));
const window = (order: SpendLogWindow["order"], fromMs = 0): SpendLogWindow => ({ fromMs, toMs: fromMs + 60_000, order });

/** Reads every page, releasing each as soon as it is asked for; returns the row ids and what was in flight when each page was handed over. */
async function readAll(client: HeldClient, order: SpendLogWindow["order"]) {
  const ids: string[] = [];
  const askedAtYield: number[][] = [];
  const it = new ProxySpendLogSource(client).pages(window(order));
  const pump = setInterval(() => client.asked.forEach((p) => client.release(p)), 1);
  try {
    for await (const page of it) {
      askedAtYield.push([...client.asked]);
      ids.push(...page.rows.map((r) => (r as { request_id: string }).request_id));
    }
  } finally {
    clearInterval(pump);
  }
  return { ids, askedAtYield };
}

describe("ProxySpendLogSource paging", () => {
  it("reads a settled window whole, in order, with two pages in flight and none past the proxy's total", async () => {
    const client = new HeldClient(3_500);
    const { ids, askedAtYield } = await readAll(client, "startAsc");
    expect(ids).toEqual(Array.from({ length: 3_500 }, (_, i) => `r${i}`));
    expect(askedAtYield[0]).toEqual([1, 2, 3]); // page 3 asked for before page 1 is even handled
    expect(client.asked).toEqual([1, 2, 3, 4]);
  });

  it("prefetches one page only when the total is capped or the poll is live (it may stop early)", async () => {
    for (const [client, order] of [
      [new HeldClient(3_500, true), "startAsc"],
      [new HeldClient(3_500), "endDesc"],
    ] as const) {
      const { ids, askedAtYield } = await readAll(client, order);
      expect(ids).toHaveLength(3_500);
      expect(askedAtYield[0]).toEqual([1, 2]);
      expect(client.asked).toEqual([1, 2, 3, 4]);
    }
  });

  it("asks for nothing more when the caller stops after the first page of a live poll", async () => {
    const client = new HeldClient(3_500);
    const it = new ProxySpendLogSource(client).pages(window("endDesc"));
    const first = it.next();
    await tick();
    client.release(1);
    expect((await first).value?.rows).toHaveLength(1_000);
    await it.return(undefined);
    expect(client.asked).toEqual([1, 2]);
  });

  it("asks for the next settled window's first page with the last page of this one, and uses it only for exactly that window", async () => {
    const client = new HeldClient(2_500);
    client.open = true;
    const source = new ProxySpendLogSource(client);
    const seen: number[] = [];
    const drain = async (w: SpendLogWindow, next?: (pages: number) => SpendLogWindow | null) => {
      let rows = 0;
      for await (const p of source.pages(w, next)) rows += p.rows.length;
      return rows;
    };
    const a = window("startAsc", 0);
    const b = window("startAsc", 60_000);
    expect(await drain(a, (pages) => (seen.push(pages), b))).toBe(2_500);
    expect(seen).toEqual([3]);
    const bStart = "1970-01-01 00:01:00";
    expect(client.queries.slice(-1)).toEqual([`${bStart}/1`]); // asked right after page 3 of a
    expect(await drain(b)).toBe(2_500);
    expect(client.queries.filter((q) => q === `${bStart}/1`)).toHaveLength(1); // reused, not asked again

    // An early page for a window that is not read next is dropped: the window read is asked for.
    await drain(window("startAsc", 120_000), () => window("startAsc", 999_000));
    const before = client.queries.length;
    expect(await drain(window("startAsc", 180_000))).toBe(2_500);
    expect(client.queries[before]).toBe("1970-01-01 00:03:00/1");
  });
});
