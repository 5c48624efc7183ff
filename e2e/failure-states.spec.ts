import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import Redis from "ioredis";
import { startRedis, type TestRedis } from "../tests/support/redis";
import { startSimulator, type TestSimulator } from "../tests/support/simulator";
import { startOwnStack, type OwnStack } from "./support/own-stack";
import { recordResponses } from "./support/responses";
import { signIn } from "./support/sign-in";
import { leaksIn, needlesFor } from "./support/secrets";
import { SCREENS_DIR } from "./support/stack-env";

// What the user sees when something Inflight depends on fails: the proxy down, LiteLLM's limiter
// kept in process memory (nothing in Redis to read), Redis down. Each state needs a stack of its
// own: `npm start` (scripts/start.mjs) pointed at a simulator and a Redis this spec starts, so it
// can stop them, on free loopback ports with a throwaway DATA_DIR. The shared webServer stack is
// not touched.
//
// The proxy's Redis has a password here (the shared stack's private Redis has none), so the scan of
// every response for the master key and the Redis URL also looks for a Redis password, in the very
// states where error messages reach the browser.

const MASTER_KEY = "sk-e2e-failure-states-master-key";
const REDIS_PASSWORD = "e2e-failure-states-redis-password";
const LEAKY_LIMIT = 5;
const WINDOW_S = "20";

/** "2026-11-25 01:52:07 UTC" as ms. */
const stampMs = (stamp: string) => Date.parse(stamp.replace(" UTC", "Z").replace(" ", "T"));
const STAMP = /\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC/;

/** A throwaway redis-server (tests/support/redis.ts) that wants a password, and its URL with it. */
async function redisWithPassword(): Promise<TestRedis> {
  const redis = await startRedis();
  const admin = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await admin.connect();
  await admin.config("SET", "requirepass", REDIS_PASSWORD);
  admin.disconnect();
  return { ...redis, url: `redis://:${REDIS_PASSWORD}@127.0.0.1:${redis.port}` };
}

/** The simulator with demo traffic and spend logs flushed every second; its limiter in `redisUrl`, or in process memory without one. */
function proxy(redisUrl: string | null): Promise<TestSimulator> {
  return startSimulator([
    ...["--master-key", MASTER_KEY, "--window", WINDOW_S, "--demo", "--flush-interval", "1"],
    ...(redisUrl ? ["--redis-url", redisUrl] : []),
  ]);
}

function inflight(sim: TestSimulator, redis: TestRedis): Promise<OwnStack> {
  return startOwnStack({
    LITELLM_URL: sim.url,
    LITELLM_MASTER_KEY: MASTER_KEY,
    REDIS_URL: redis.url,
    LITELLM_RATE_LIMIT_WINDOW_SIZE: WINDOW_S,
    // The simulator flushes every second: stored truth trails by seconds, not the production minute.
    INGEST_FLUSH_LAG_S: "3",
    INGEST_POLL_INTERVAL_S: "2",
    CATALOG_SYNC_INTERVAL_S: "5",
  });
}

/** Signs in to the stack; the leaky demo key's hash, once Inflight has stored some of its traffic (a peak above zero). */
async function leakyWithData(page: Page, base: string): Promise<string> {
  await signIn(page.request, base); // this stack's own admin (its own accounts)
  let hash = "";
  await expect(async () => {
    const res = await page.request.get(`${base}/api/overview?from=${Date.now() - 900_000}&to=${Date.now()}`);
    expect(res.ok()).toBe(true);
    const rows = ((await res.json()) as { rows: { alias: string | null; hash: string; state: { peak: number } }[] }).rows;
    const leaky = rows.find((r) => r.alias === "demo-leaky");
    expect(leaky?.state.peak ?? 0, "stored traffic of demo-leaky").toBeGreaterThan(0);
    hash = leaky!.hash;
  }).toPass({ timeout: 90_000 });
  return hash;
}

/** A whole-page screenshot, and one of the header's health pills (their title tooltips are native: no screenshot shows them). */
async function screenshots(page: Page, name: string) {
  await page.mouse.move(0, 0);
  await page.screenshot({ path: path.join(SCREENS_DIR, `failure-${name}.png`), fullPage: true });
}
async function pillsScreenshot(page: Page, name: string) {
  await page.getByRole("list", { name: "Service health" }).screenshot({ path: path.join(SCREENS_DIR, `failure-${name}-pills.png`) });
}

/** Every response of the session, and the stack's own output, free of the master key, the Redis password and URL, the store's URL. */
async function expectNoLeaks(recording: ReturnType<typeof recordResponses>, stack: OwnStack, redis: TestRedis) {
  const needles = needlesFor({ LITELLM_MASTER_KEY: MASTER_KEY, REDIS_URL: redis.url, INFLIGHT_DATABASE_URL: `file:${path.join(stack.dataDir, "inflight.db")}` });
  expect(needles.map((n) => n.name)).toContain("REDIS_URL password");
  const received = await recording.stop();
  expect(received.length).toBeGreaterThan(10);
  const leaks = received.flatMap((r) => leaksIn(`${r.url}\n${r.headers}\n${r.body?.toString("latin1") ?? ""}`, needles).map((w) => `${w} in ${r.status} ${r.url}`));
  expect(leaks).toEqual([]);
  // The logs may name the store (a SQLite file has no password); never the key or the Redis password.
  const logNeedles = needles.filter((n) => n.name !== "INFLIGHT_DATABASE_URL");
  expect(leaksIn(stack.output(), logNeedles), "secrets in the output of npm start and the server").toEqual([]);
}

/**
 * A stack of its own for one failure state, started before the describe's tests and stopped after:
 * a Redis with a password, the simulator (its limiter in that Redis, or in process memory) and Inflight.
 */
function ownStack(limiterInRedis: boolean) {
  const parts: { redis?: TestRedis; sim?: TestSimulator; stack?: OwnStack } = {};
  test.beforeAll(async () => {
    parts.redis = await redisWithPassword();
    parts.sim = await proxy(limiterInRedis ? parts.redis.url : null);
    parts.stack = await inflight(parts.sim, parts.redis);
  });
  test.afterAll(async () => {
    await parts.stack?.stop();
    await parts.sim?.stop();
    await parts.redis?.stop();
  });
  return { redis: () => parts.redis!, sim: () => parts.sim!, stack: () => parts.stack! };
}

test.describe("failure states", () => {
  test.describe.configure({ timeout: 300_000 });

  test.describe("the proxy is down", () => {
    const own = ownStack(true);

    test("the LiteLLM pill turns red with since-when, and the pages keep the stored data and say the proxy is unreachable", async ({ page, context }) => {
      const recording = recordResponses(context);
      const base = own.stack().base;
      const leaky = await leakyWithData(page, base);
      await page.goto(`${base}/keys?range=15m`);
      const litellm = page.getByTestId("health-litellm");
      await expect(litellm).toHaveAttribute("data-ok", "true");

      const stoppedAt = Date.now();
      await own.sim().stop();

      // The pill: red, "down · last answered …", and in its tooltip since when and the last answer.
      await expect(litellm).toHaveAttribute("data-ok", "false", { timeout: 30_000 });
      await expect(litellm).toContainText(/LiteLLM\s*down · last answered (just now|\d+ s ago)/);
      await expect(litellm).toContainText("unreachable"); // what a screen reader says
      const title = (await litellm.getAttribute("title"))!;
      expect(title).toMatch(new RegExp(`^LiteLLM unreachable since (${STAMP.source}); last answered (${STAMP.source})`));
      const [, since, last] = title.match(new RegExp(`since (${STAMP.source}); last answered (${STAMP.source})`))!;
      expect(stampMs(since)).toBeGreaterThanOrEqual(Math.floor(stoppedAt / 1000) * 1000);
      expect(stampMs(last)).toBeLessThanOrEqual(stampMs(since));
      // Only the proxy is down.
      await expect(page.getByTestId("health-redis")).toHaveAttribute("data-ok", "true");
      // Ingest cannot poll a proxy that is gone: its pill says so.
      await expect(page.getByTestId("health-ingest")).toHaveAttribute("data-ok", "false", { timeout: 30_000 });
      await expect(page.getByTestId("health-ingest")).toContainText(/failing/);

      // The Keys page says it at the top, and still shows what is stored.
      const banner = page.getByRole("alert").filter({ hasText: "LiteLLM is unreachable" });
      await expect(banner).toContainText(`LiteLLM is unreachable since ${since}`);
      await expect(banner).toContainText(`Last answered ${last}`);
      await expect(banner).toContainText(new RegExp(`the data below is complete up to ${STAMP.source}`));
      const row = page.locator(`[data-testid="overview-row"][data-hash="${leaky}"]`);
      await expect(row).toContainText("demo-leaky");
      await expect(row.getByRole("img", { name: new RegExp(`^peak [1-9]\\d* of limit ${LEAKY_LIMIT}$`) })).toBeVisible();
      await screenshots(page, "proxy-down-keys");
      await pillsScreenshot(page, "proxy-down");

      // The key's page: the same, worded for its chart; the stored chart still drawn.
      await recording.settle();
      await page.goto(`${base}/keys/${leaky}?range=15m`);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("demo-leaky");
      const keyBanner = page.getByTestId("health-banner");
      await expect(keyBanner).toContainText(`LiteLLM has not answered since ${since} (last answer ${last})`);
      await expect(keyBanner).toContainText(new RegExp(`Truth stops at the last spend-log read, ${STAMP.source}; newer traffic appears once LiteLLM answers again`));
      await expect(page.getByRole("alert").filter({ hasText: "LiteLLM unreachable" })).toBeVisible();
      await expect(page.getByTestId("concurrency-chart")).toBeVisible();
      await expect(page.getByTestId("concurrency-chart").getByTestId("limit-label")).toHaveText(`limit ${LEAKY_LIMIT}`);
      await expect(page.getByTestId("now-truth")).toContainText(`/ ${LEAKY_LIMIT}`);
      await screenshots(page, "proxy-down-key");

      await expectNoLeaks(recording, own.stack(), own.redis());
    });
  });

  test.describe("LiteLLM keeps its limiter in process memory", () => {
    // Inflight gets a Redis, but the proxy does not use it: its counters stay in its own memory.
    const own = ownStack(false);

    test("the pages say LiteLLM's view cannot be seen, why, and what to set; the truth is still shown", async ({ page, context }) => {
      const recording = recordResponses(context);
      const base = own.stack().base;
      const leaky = await leakyWithData(page, base);
      await page.goto(`${base}/keys?range=15m`);
      // Everything answers: this is not an outage.
      await expect(page.getByTestId("health-litellm")).toHaveAttribute("data-ok", "true");
      await expect(page.getByTestId("health-redis")).toHaveAttribute("data-ok", "true");
      // The limiter-discovery job's finding, in the ingest pill's tooltip and as a notice on the Keys page.
      await expect(page.getByTestId("health-ingest")).toHaveAttribute(
        "title",
        /Limiter: Redis holds no limiter keys: the proxy runs its limiter in process memory, per worker, invisible from outside/,
      );
      const notice = page.getByRole("status").filter({ hasText: "LiteLLM's own view is not visible" });
      await expect(notice).toContainText("Redis holds no limiter keys: the proxy runs its limiter in process memory");
      await expect(notice).toContainText("The “LiteLLM believes” column stays empty; the true concurrency from spend logs is unaffected.");
      // The belief column is empty (a dash, its tooltip saying why), the truth is there.
      const row = page.locator(`[data-testid="overview-row"][data-hash="${leaky}"]`);
      await expect(row.locator("td").nth(5)).toHaveText("–");
      await expect(row.locator("td").nth(5).locator("span")).toHaveAttribute("title", "LiteLLM's view is not visible in Redis");
      await expect(row.getByRole("img", { name: new RegExp(`^peak [1-9]\\d* of limit ${LEAKY_LIMIT}$`) })).toBeVisible();
      await expect(page.getByRole("main").getByRole("alert")).toHaveCount(0);
      await screenshots(page, "limiter-in-memory-keys");
      await pillsScreenshot(page, "limiter-in-memory");

      // The key's page: the belief card says it is unavailable and why; the note under the chart says what to set.
      await recording.settle();
      await page.goto(`${base}/keys/${leaky}?range=15m`);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("demo-leaky");
      await expect(page.getByTestId("now-belief")).toContainText("unavailable: limiter in process memory");
      await expect(page.getByTestId("now-belief")).toHaveAttribute("title", /the proxy runs its limiter in process memory/);
      const note = page.getByTestId("belief-note");
      await expect(note).toContainText("LiteLLM's view is unavailable:");
      await expect(note).toContainText("Redis holds no limiter keys: the proxy runs its limiter in process memory");
      await expect(note).toContainText("Only Inflight's truth is shown; set REDIS_URL to the Redis the proxy uses for its limiter to compare the two.");
      await expect(page.getByTestId("concurrency-chart")).toBeVisible();
      const legend = page.getByRole("list", { name: "Chart legend" });
      await expect(legend).toContainText("In flight — Inflight's truth");
      await expect(legend).not.toContainText("LiteLLM's belief");
      await expect(page.getByTestId("health-banner")).toHaveCount(0);
      await screenshots(page, "limiter-in-memory-key");

      await expectNoLeaks(recording, own.stack(), own.redis());
    });
  });

  test.describe("Redis is down", () => {
    const own = ownStack(true);

    test("the Redis pill turns red with since-when, and the pages say LiteLLM's belief stops at its last sample", async ({ page, context }) => {
      const recording = recordResponses(context);
      const base = own.stack().base;
      const leaky = await leakyWithData(page, base);
      // Before: LiteLLM's belief is sampled from Redis.
      await page.goto(`${base}/keys/${leaky}?range=15m`);
      await expect(page.getByTestId("now-belief")).toContainText("sampled", { timeout: 60_000 });
      const redisPill = page.getByTestId("health-redis");
      await expect(redisPill).toHaveAttribute("data-ok", "true");

      const stoppedAt = Date.now();
      await own.redis().stop();

      await expect(redisPill).toHaveAttribute("data-ok", "false", { timeout: 30_000 });
      await expect(redisPill).toContainText(/Redis\s*down · last answered (just now|\d+ s ago)/);
      const title = (await redisPill.getAttribute("title"))!;
      const [, since, last] = title.match(new RegExp(`^Redis unreachable since (${STAMP.source}); last answered (${STAMP.source})`))!;
      expect(stampMs(since)).toBeGreaterThanOrEqual(Math.floor(stoppedAt / 1000) * 1000);
      expect(stampMs(last)).toBeLessThanOrEqual(stampMs(since));
      // Only Redis is down: the proxy still answers.
      await expect(page.getByTestId("health-litellm")).toHaveAttribute("data-ok", "true");

      // The key's page: what stops updating, and the time of the last sample of LiteLLM's belief.
      const keyBanner = page.getByTestId("health-banner");
      await expect(keyBanner).toContainText(`Redis has not answered since ${since} (last answer ${last})`);
      await expect(keyBanner).toContainText(new RegExp(`LiteLLM's belief stops at its last sample, ${STAMP.source}\\.`));
      await expect(page.getByRole("alert").filter({ hasText: "Redis unreachable" })).toBeVisible();
      await expect(page.getByTestId("concurrency-chart")).toBeVisible();
      await screenshots(page, "redis-down-key");
      await pillsScreenshot(page, "redis-down");

      // The Keys page: the same at the top, the stored keys below.
      await recording.settle();
      await page.goto(`${base}/keys?range=15m`);
      const banner = page.getByRole("alert").filter({ hasText: "Redis is unreachable" });
      await expect(banner).toContainText(`Redis is unreachable since ${since}`);
      await expect(banner).toContainText(`Last answered ${last}`);
      const row = page.locator(`[data-testid="overview-row"][data-hash="${leaky}"]`);
      await expect(row.getByRole("img", { name: new RegExp(`^peak [1-9]\\d* of limit ${LEAKY_LIMIT}$`) })).toBeVisible();
      await screenshots(page, "redis-down-keys");

      await expectNoLeaks(recording, own.stack(), own.redis());
    });
  });
});
