import { describe, expect, it } from "vitest";
import { LiteLLMClient } from "../litellm/client";
import type { SpendLogPage } from "../litellm/schemas";
import { ProxySpendLogSource, type SpendLogWindow } from "./source";

/** A client whose spend-log pages answer only when the test releases them, so prefetching shows. */
class HeldClient extends LiteLLMClient {
  readonly asked: number[] = [];
  private readonly held = new Map<number, () => void>();

  constructor(
    private readonly rows: number,
    private readonly capped = false,
  ) {
    super({ baseUrl: "http://127.0.0.1:1", masterKey: "sk-test" });
  }

  override spendLogsPage(_route: string, q: { page: number; pageSize: number }): Promise<SpendLogPage> {
    this.asked.push(q.page);
    const from = (q.page - 1) * q.pageSize;
    const data = Array.from({ length: Math.max(0, Math.min(q.pageSize, this.rows - from)) }, (_, i) => ({ request_id: `r${from + i}` }));
    const total = this.capped ? Math.min(this.rows, 10_000) : this.rows;
    return new Promise((resolve) => this.held.set(q.page, () => resolve({ data, total, total_is_capped: this.capped })));
  }

  release(page: number) {
    this.held.get(page)!();
  }
}

const tick = () => new Promise((r) => setTimeout(r, 0));
const window = (order: SpendLogWindow["order"]): SpendLogWindow => ({ fromMs: 0, toMs: 60_000, order });

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
});
