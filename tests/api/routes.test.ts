// Route handler modules called directly with a Request, over the app the server builds (lib/server/
// app.ts) on a real SQLite store: the status and body each kind of failure gets, end to end.
// app() is one per process, built from process.env on first use: this file sets the env first
// (vitest runs each test file in its own worker).
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { GET as overview } from "../../app/api/overview/route";
import { GET as series } from "../../app/api/keys/[hash]/series/route";
import { GET as metrics } from "../../app/metrics/route";
import type { VirtualKey } from "../../lib/litellm/schemas";
import { app } from "../../lib/server/app";
import { T0 } from "../support/rows";
import { setAppEnv } from "../support/app-env";
import { createTestDatabase } from "../support/store";

const KNOWN = "e".repeat(64);
const UNKNOWN = "0123456789abcdef".repeat(4);
const range = `from=${T0}&to=${T0 + 3_600_000}`;

// Route handlers want a caller: the automation token the environment registers (INFLIGHT_API_TOKEN).
const TOKEN = "ift_routes-test-token-0123456789";
const get = (path: string) => new Request(`http://inflight.test${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
const seriesOf = (hash: string, query: string) => series(get(`/api/keys/${hash}/series?${query}`), { params: Promise.resolve({ hash }) });
const body = async (res: Response) => [res.status, await res.json()];

describe("API routes on the server's app", () => {
  let db: { url: string; remove(): Promise<void> };
  let restoreEnv: () => void = () => undefined;

  beforeAll(async () => {
    db = await createTestDatabase("sqlite");
    // Only what this test sets: no proxy, no Redis, so the app is the store alone.
    restoreEnv = setAppEnv({ INFLIGHT_DATABASE_URL: db.url, INFLIGHT_API_TOKEN: TOKEN });
    const { store } = await app();
    const key = { token: KNOWN, key_alias: "known", team_id: null, max_parallel_requests: 2, rpm_limit: null, tpm_limit: null, blocked: false } as VirtualKey;
    await store.catalog.apply({ upserts: [key], limitChanges: [], removed: [] }, T0);
  });
  afterAll(async () => {
    await (await app()).store.close(); // closing twice is harmless (better-sqlite3)
    await db?.remove();
    restoreEnv();
  });

  it("422 for a bad query, before the store is asked", async () => {
    expect(await body(await seriesOf(KNOWN, `from=${T0}&to=${T0 - 1}`))).toEqual([422, { error: { code: "invalid_input", message: "to: to must be after from" } }]);
    expect(await body(await overview(get("/api/overview?from=yesterday&to=now")))).toEqual([
      422,
      { error: { code: "invalid_input", message: "from: Invalid input; to: Invalid input" } },
    ]);
  });

  it("422 for a key name that is not a sha256 hex, 404 for a key nobody knows", async () => {
    expect(await body(await seriesOf("sk-1234", range))).toEqual([
      422,
      { error: { code: "invalid_input", message: "hash: a key is named by the sha256 hex of its sk- key (64 hex characters)" } },
    ]);
    expect(await body(await seriesOf(UNKNOWN, range))).toEqual([404, { error: { code: "not_found", message: "No key 01234567… is known yet (the catalog syncs every 30 s)" } }]);
  });

  it("200 for a known key", async () => {
    const res = await seriesOf(KNOWN, range);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect((await res.json()).key).toMatchObject({ hash: KNOWN, alias: "known", maxParallelRequests: 2 });
  });

  it("/metrics answers Prometheus text, uncached, with no lag before ingest ran", async () => {
    const res = await metrics(get("/metrics"));
    expect([res.status, res.headers.get("content-type"), res.headers.get("cache-control")]).toEqual([200, "text/plain; version=0.0.4; charset=utf-8", "no-store"]);
    const text = await res.text();
    expect(text).toContain(`inflight_key_max_parallel_requests{hashed_api_key="${KNOWN}",api_key_alias="known",team=""} 2`);
    expect(text).not.toContain("inflight_ingest_lag_seconds");
  });

  // Last on purpose, and must stay last: it closes the process's one app store, which no test after it could use.
  it("(last: closes the app's store) a generic 500 when the store fails in a way that is not 'unavailable' (here: closed under the route)", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      await (await app()).store.close();
      const res = await overview(get(`/api/overview?${range}`));
      const text = await res.text();
      expect([res.status, JSON.parse(text)]).toEqual([500, { error: { code: "internal", message: "Internal error; see the server log" } }]);
      expect(text).not.toMatch(/database|connection|not open|\.ts:| at /i);
      expect(text).not.toContain(db.url);
      expect(logged).toHaveBeenCalledTimes(1);
    } finally {
      logged.mockRestore();
    }
  });
});
