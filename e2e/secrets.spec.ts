import fs from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { kindOf, recordResponses, type Received } from "./support/responses";
import { buildTimeNeedles, leaksIn, searchable, serverSecrets, storedSecrets, type Needle } from "./support/secrets";
import { E2E_DATA_DIR, E2E_PORT, E2E_SIMULATOR_PORT, ROOT } from "./support/stack-env";

// The master key (and the store's and Redis's URLs) never leave the server: not in any response the
// browser receives on any page, not in any file of the client bundle. The key is the one the shared
// stack drew at this start, learnt from the server's own environment (support/secrets.ts).

const SIMULATOR = `http://127.0.0.1:${E2E_SIMULATOR_PORT}`;
const STATIC_DIR = path.join(ROOT, ".next", "static");

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/** Every leak in the responses, as "<what> in <status> <url>". */
function leaksInResponses(received: Received[], needles: Needle[]): string[] {
  return received.flatMap((r) =>
    leaksIn(`${r.url}\n${r.headers}\n${r.body?.toString("latin1") ?? ""}`, needles).map((what) => `${what} in ${r.status} ${r.url}`),
  );
}

/** Clicks a preset of the range picker and waits for the URL to say it. */
async function pickPreset(page: Page, preset: string) {
  await page.getByRole("radiogroup", { name: "Time range" }).getByRole("radio", { name: preset, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`[?&]range=${preset}(&|$)`));
}

test.describe("secrets stay on the server", () => {
  test.setTimeout(300_000);
  let needles: Needle[] = [];
  let healthyRawKey = "";

  test.beforeAll(async ({ request }) => {
    const secrets = serverSecrets(E2E_PORT, E2E_DATA_DIR);
    // The key learnt is the one the proxy takes as admin, so the scans below look for the real thing.
    const asAdmin = (key: string) => request.get(`${SIMULATOR}/key/list`, { headers: { authorization: `Bearer ${key}` } });
    expect((await asAdmin(secrets.masterKey)).status()).toBe(200);
    expect((await asAdmin("sk-not-the-master-key-0000000000")).status()).toBe(401);
    expect(secrets.masterKey).toMatch(/^sk-[A-Za-z0-9_-]{20,}$/);
    expect(secrets.redisUrl).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/); // the private Redis has no password to leak; the URL is scanned whole
    expect(secrets.databaseUrl).toMatch(/^file:.+inflight\.db$/);
    // The demo's raw virtual keys (from the simulator's test-only state): Inflight only ever shows hashes.
    const state = (await (await request.get(`${SIMULATOR}/sim/state`)).json()) as { demo_keys: { alias: string; key: string }[] };
    expect(state.demo_keys.length).toBeGreaterThanOrEqual(4);
    const demo = state.demo_keys.map((k) => ({ name: `the raw key of ${k.alias}`, value: k.key }));
    healthyRawKey = state.demo_keys.find((k) => k.alias === "demo-healthy")!.key;
    // Password hashes, session tokens (this browser's own cookie excepted: it is set on purpose) and the cookie secret.
    const own = (await request.storageState()).cookies.map((c) => decodeURIComponent(c.value).split(".")[0]);
    const stored = storedSecrets(secrets.databaseUrl).filter((n) => !own.includes(n.value));
    expect(stored.filter((n) => n.name === "a password hash").length).toBeGreaterThanOrEqual(1);
    expect(stored.some((n) => n.name === "the generated session secret")).toBe(true);
    needles = [...secrets.needles, ...demo, ...stored];
    expect(secrets.needles.map((n) => n.name)).toContain("INFLIGHT_ADMIN_PASSWORD");
    expect(secrets.needles.map((n) => n.name)).toContain("ALERT_SLACK_WEBHOOK_URL");
    expect(searchable(needles).tooShort).toEqual([]);
  });

  test("no response the browser receives, on any page, carries the master key, a store or Redis URL, or a raw key", async ({ page, context }) => {
    const recording = recordResponses(context);
    // A new page only once the bodies of the last one are read.
    const go = async (url: string) => {
      await recording.settle();
      return page.goto(url);
    };

    // The Keys page (the home page leads there), every range, a sort and a filter.
    await go("/");
    await expect(page).toHaveURL(/\/keys$/);
    const rows = page.getByTestId("overview-row");
    await expect(rows.first()).toBeVisible();
    for (const preset of ["15m", "1h", "6h", "24h", "7d", "30d"]) {
      await pickPreset(page, preset);
      await expect(rows.first()).toBeVisible();
    }
    await page.getByRole("button", { name: "429s" }).click();
    await expect(page).toHaveURL(/sort=rejected/);
    await page.getByLabel("Filter keys").fill("demo");
    await expect(page).toHaveURL(/q=demo/);
    const hashes = await rows.evaluateAll((els) => els.map((e) => e.getAttribute("data-hash")!));
    expect(hashes.length).toBeGreaterThanOrEqual(4);

    // Every key's page, by its link, as a person gets there.
    for (const hash of hashes) {
      await go("/keys?range=15m");
      await page.locator(`[data-testid="overview-row"][data-hash="${hash}"] a`).click();
      await expect(page).toHaveURL(new RegExp(`/keys/${hash}`));
      await expect(page.getByTestId("key-hash")).toHaveText(hash);
      await expect(page.getByTestId("concurrency-chart").or(page.getByText(/^No traffic from this key/))).toBeVisible();
    }

    // The leaky key's page with its range controls, the evidence at its peak, and every export.
    const leaky = (await page.request.get(`/api/overview?from=${Date.now() - 3_600_000}&to=${Date.now()}`).then((r) => r.json())) as {
      rows: { alias: string | null; hash: string }[];
    };
    const leakyHash = leaky.rows.find((r) => r.alias === "demo-leaky")!.hash;
    await go(`/keys/${leakyHash}?range=15m`);
    await expect(page.locator(".violation-band").first()).toBeAttached({ timeout: 150_000 });
    for (const preset of ["1h", "6h", "24h", "7d", "30d", "15m"]) {
      await pickPreset(page, preset);
      await expect(page.getByTestId("range-caption")).not.toContainText("loading");
    }
    const to = Math.floor(Date.now() / 1000) * 1000;
    const utc = (ms: number) => new Date(ms).toISOString().replace("T", " ").slice(0, 19);
    await page.getByLabel("From (UTC)").fill(utc(to - 10 * 60_000));
    await page.getByLabel("To (UTC)").fill(utc(to));
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(page).toHaveURL(/[?&]range=custom&/);
    await pickPreset(page, "15m");
    await page.getByRole("button", { name: "Pause: stop following the present" }).click();
    await expect(page).toHaveURL(/[?&]live=0/);
    await page.getByRole("button", { name: "Show requests at the peak" }).click();
    await expect(page.getByTestId("evidence-row").first()).toBeVisible();
    const exported: { name: string; text: string }[] = [];
    for (const button of ["Export evidence as CSV", "Export evidence as JSON", "Export series as CSV", "Export series as JSON"]) {
      const [dl] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: button }).click()]);
      exported.push({ name: dl.suggestedFilename(), text: fs.readFileSync((await dl.path())!, "utf8") });
    }

    // The audit trail (with its CSV) and the access page with its accounts and tokens.
    await go("/audit");
    await expect(page.getByRole("heading", { name: "Audit trail" })).toBeVisible();
    const [csv] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download CSV" }).click()]);
    exported.push({ name: csv.suggestedFilename(), text: fs.readFileSync((await csv.path())!, "utf8") });
    expect(exported.at(-1)!.text).toMatch(/^id,time_utc,actor_kind,actor,/);
    await go("/settings/access");
    await expect(page.getByTestId("account-row").first()).toBeVisible();

    // A burst test on a key itself, its raw key pasted into the form: the report and the key's list
    // of runs never carry it back.
    const healthyHash = leaky.rows.find((r) => r.alias === "demo-healthy")!.hash;
    await go(`/keys/${healthyHash}`);
    await page.getByRole("button", { name: "Run a burst test" }).click();
    const form = page.getByRole("form", { name: "Start a burst test" });
    await form.getByRole("radio", { name: /The key itself/ }).check();
    await form.locator('input[name="rawKey"]').fill(healthyRawKey);
    await form.locator('input[name="holdS"]').fill("1");
    await form.getByRole("button", { name: "Start burst test" }).click();
    await expect(page).toHaveURL(/\/bursts\//);
    await expect(page.getByTestId("burst-verdict-card")).toBeVisible({ timeout: 60_000 });
    const [report] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export JSON" }).click()]);
    exported.push({ name: report.suggestedFilename(), text: fs.readFileSync((await report.path())!, "utf8") });
    await go(`/keys/${healthyHash}`);
    await expect(page.getByTestId("burst-runs")).toBeVisible();

    // The alerts: the bell's feed, the list and an alert's detail with its deliveries, and the alert
    // settings, whose channel targets are secrets shown redacted (the environment's Slack URL among them).
    await go("/alerts");
    await page.getByTestId("alert-bell").click();
    await expect(page.getByRole("dialog", { name: "Alert notifications" })).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(page.getByRole("dialog", { name: "Alert notifications" })).toHaveCount(0);
    await page.getByTestId("alert-row").first().click({ timeout: 120_000 });
    await expect(page.getByTestId("alert-detail").getByTestId("alert-summary")).toBeVisible();
    await go("/settings/alerts");
    await expect(page.getByTestId("channel-row").filter({ hasText: "ALERT_SLACK_WEBHOOK_URL" })).toBeVisible();
    await expect(page.getByTestId("delivery-row").first()).toBeVisible();

    // What is left: an unknown key, an unknown page, and the two endpoints a browser may be pointed at.
    await go(`/keys/${"0".repeat(64)}`);
    await expect(page.getByText("Inflight does not know this key")).toBeVisible();
    expect((await go("/no-such-page"))!.status()).toBe(404);
    expect((await go("/api/health"))!.ok()).toBe(true);
    expect((await go("/metrics"))!.ok()).toBe(true);

    const received = await recording.stop();
    // Everything was read: only redirects come without a body.
    expect(received.filter((r) => r.unreadable !== null && r.unreadable !== "redirect").map((r) => `${r.status} ${r.url}: ${r.unreadable}`)).toEqual([]);
    // The scan covered every kind of response and every API the pages use.
    const kinds = new Set(received.map(kindOf));
    for (const kind of ["html", "rsc", "json", "js", "css", "text"]) expect([...kinds], `a ${kind} response among those scanned`).toContain(kind);
    const paths = received.map((r) => new URL(r.url).pathname);
    for (const p of [
      "/api/overview",
      `/api/keys/${leakyHash}/series`,
      `/api/keys/${leakyHash}/evidence`,
      `/api/keys/${leakyHash}/limits`,
      `/api/keys/${leakyHash}/bursts`,
      "/api/audit",
      "/api/accounts",
      "/api/tokens",
      "/api/alerts",
      "/api/alerts/feed",
      "/api/alerts/rules",
      "/api/alerts/channels",
      "/api/alerts/notifications",
      "/api/alerts/silences",
      "/api/health",
      "/metrics",
    ]) {
      expect(paths, `a response from ${p}`).toContain(p);
    }
    for (const h of hashes) expect(paths, `the page of key ${h}`).toContain(`/keys/${h}`);
    expect(received.filter((r) => r.body !== null).length).toBeGreaterThan(50);
    const refetched = received.filter((r) => r.refetched);
    const summary = `${received.length} responses (${[...kinds].join(", ")}); ${refetched.length} asked again after the browser dropped the body (prefetches and replaced RSC requests)`;
    test.info().annotations.push({ type: "scanned", description: summary });
    console.log(`scanned ${summary}`);

    expect(leaksInResponses(received, needles)).toEqual([]);
    expect(exported.flatMap((f) => leaksIn(f.text, needles).map((what) => `${what} in the export ${f.name}`))).toEqual([]);
  });

  test("no file of the built client bundle carries them, nor code that handles them", async ({ request }) => {
    const files = filesUnder(STATIC_DIR);
    // The bundle scanned is the one the server serves: every chunk the Keys page loads is among the files.
    const html = await (await request.get("/keys")).text();
    const served = [...html.matchAll(/\/_next\/static\/([^"'?\\\s]+)/g)].map((m) => path.join(STATIC_DIR, decodeURIComponent(m[1])));
    expect(served.length).toBeGreaterThan(0);
    expect(served.filter((f) => !files.includes(f))).toEqual([]);
    expect(files.some((f) => f.endsWith(".js"))).toBe(true);
    expect(files.some((f) => f.endsWith(".css"))).toBe(true);

    // The running stack's secrets (drawn after the build: a check that the bundle is not rebuilt with
    // them), and those the build could have seen (.env files, this environment).
    const all = [...needles, ...searchable(buildTimeNeedles(ROOT)).needles];
    // Server-only code in the bundle would bring these along: the settings' names and their checks,
    // the client that sends the key, URLs of Redis and Postgres.
    const serverOnly = ["LITELLM_MASTER_KEY", "INFLIGHT_DATABASE_URL", "INFLIGHT_REDIS_URL", "masterKey", "Bearer ", "redis://", "rediss://", "postgres://", "postgresql://"];
    const found: string[] = [];
    for (const file of files) {
      const text = fs.readFileSync(file).toString("latin1");
      const rel = path.relative(ROOT, file);
      for (const what of leaksIn(text, all)) found.push(`${what} in ${rel}`);
      for (const mark of serverOnly) if (text.includes(mark)) found.push(`"${mark}" in ${rel}`);
    }
    expect(found).toEqual([]);
  });
});
