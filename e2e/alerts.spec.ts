import fs from "node:fs";
import path from "node:path";
import { expect, test, type APIRequestContext, type Browser, type Locator, type Page } from "@playwright/test";
import { Webhook } from "standardwebhooks";
import { startReceiver, type ReceivedRequest } from "../tests/support/receiver";
import { hashOf } from "./support/keys";
import { E2E_ADMIN, signIn } from "./support/sign-in";
import { E2E_PORT, E2E_SLACK_PATH, E2E_SLACK_RECEIVER_PORT, ROOT } from "./support/stack-env";
import { expectTheme, pageOverflowX } from "./support/theme";

// The alerts UI on the shared stack, against real alerts: the demo traffic's demo-leaky (limit 5)
// runs more requests at once than its limit (#16011's windowed counter), so the built-in
// "Concurrency above the limit" rule fires for it within a minute or two of the stack's start and
// notifies the in-app feed and the environment's Slack channel (a receiver global-setup keeps up).
// Nothing is inserted behind the app's back: the alert is the evaluator's own.

const BASE = `http://127.0.0.1:${E2E_PORT}`;
const SHOTS = path.join(ROOT, "test-results", "screenshots");
const LEAKY_LIMIT = 5;
const SLACK = "Slack (ALERT_SLACK_WEBHOOK_URL)";
const BELL_FEED = "In-app (the bell)";
const EXCEEDED_RULE = "Concurrency above the limit";

interface AlertRow {
  id: string;
  ruleId: string;
  ruleName: string;
  keyAlias: string | null;
  state: string;
}

/** The key's alerts of a rule, once the evaluator has made one that went out (firing, or resolved after firing). */
async function alertOf(request: APIRequestContext, hash: string, ruleName: string, timeout = 240_000): Promise<AlertRow> {
  let found: AlertRow | undefined;
  await expect(async () => {
    const res = await request.get(`/api/alerts?key=${hash}&limit=50`);
    expect(res.ok()).toBe(true);
    found = ((await res.json()) as { alerts: AlertRow[] }).alerts.find((a) => a.ruleName === ruleName && a.state !== "pending");
    expect(found, `an alert of "${ruleName}" for ${hash.slice(0, 8)}`).toBeTruthy();
  }).toPass({ timeout, intervals: [2_000] });
  return found!;
}

/** Switches the page's theme in place (as the toggle does), so an open panel stays open for the second screenshot. */
async function theme(page: Page, t: "light" | "dark") {
  await page.evaluate((name) => {
    document.documentElement.classList.toggle("dark", name === "dark");
    localStorage.setItem("inflight-theme", name);
  }, t);
  await expectTheme(page, t);
}

/**
 * A screenshot of the page, or of one section of it, always taken from the top of the whole page:
 * scrolled, the sticky header would land over a section or in the middle of a full-page image.
 */
async function shoot(target: Page | Locator, name: string, fullPage = true) {
  const file = path.join(SHOTS, `alerts-${name}.png`);
  const page = "goto" in target ? target : target.page();
  if (fullPage || page !== target) await page.evaluate(() => window.scrollTo(0, 0));
  if (page === target) return page.screenshot({ path: file, fullPage });
  const box = (await (target as Locator).boundingBox())!;
  await page.screenshot({ path: file, fullPage: true, clip: { x: box.x - 8, y: box.y - 8, width: box.width + 16, height: box.height + 16 } });
}

/** A browser context with nobody signed in. */
const signedOut = (browser: Browser) => browser.newContext({ storageState: { cookies: [], origins: [] } });

/** An account of the shared stack (made again on a rerun: 409 then). */
async function account(request: APIRequestContext, email: string, password: string, teams: string[] | null = null) {
  const made = await request.post("/api/accounts", { data: { email, role: "viewer", teams, password } });
  expect([200, 409]).toContain(made.status());
}

test.describe("alerts", () => {
  test.setTimeout(300_000);
  let hash = "";
  let alert: AlertRow;

  test.beforeAll(async ({ request }) => {
    test.setTimeout(300_000);
    fs.mkdirSync(SHOTS, { recursive: true });
    hash = await hashOf(request, "demo-leaky");
    alert = await alertOf(request, hash, EXCEEDED_RULE);
  });

  test("the bell counts what is new, opens the feed, marks it read, and leads to the alert", async ({ page }) => {
    await page.goto("/keys");
    await expect(page.getByTestId("environment-badge")).toHaveText("e2e");
    const count = page.getByTestId("alert-bell-count");
    await expect(count).toHaveText(/^([1-9]\d?|99\+)$/);
    const bell = page.getByTestId("alert-bell");
    await expect(bell).toHaveAccessibleName(/^Alerts: \d+ new$/);

    const read = page.waitForResponse((r) => r.url().endsWith("/api/alerts/feed/read") && r.request().method() === "POST");
    await bell.click();
    expect((await read).status()).toBe(200);
    const feed = page.getByRole("dialog", { name: "Alert notifications" });
    const item = feed.getByTestId("feed-item").filter({ hasText: "demo-leaky" }).filter({ hasText: "Limit exceeded" }).first();
    await expect(item).toBeVisible();
    await expect(item).toContainText(/ran \d+ requests at once against a max_parallel_requests of 5/);
    await expect(item).toContainText(/just now|\d+ (s|min) ago/);
    // What was new stays marked while the feed is open; the count is gone (read up to the newest item).
    await expect(feed.locator('[data-testid="feed-item"][data-unread="true"]').first()).toBeVisible();
    await expect(count).toHaveCount(0);
    await expect(bell).toHaveAccessibleName("Alerts: nothing new");
    expect(await pageOverflowX(page)).toBe(0);
    await theme(page, "light");
    await shoot(page, "bell-light", false);
    await theme(page, "dark");
    await shoot(page, "bell-dark", false);
    await theme(page, "light");

    await item.getByRole("link").click();
    await expect(page).toHaveURL(/\/alerts\?alert=[\w-]+$/);
    await expect(page.getByTestId("alert-detail").getByTestId("alert-summary")).toContainText("demo-leaky");
    await expect(feed).toHaveCount(0);
  });

  test("the Alerts page lists the alert and opens its evidence and deliveries", async ({ page }) => {
    await page.goto("/alerts");
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link")).toHaveText(["Keys", "Alerts", "Audit", "Access"]);
    await expect(page.getByRole("link", { name: "Alert settings" }).first()).toBeVisible();
    const row = page.locator(`[data-testid="alert-row"][data-alert-id="${alert.id}"]`);
    await expect(row).toContainText("Limit exceeded");
    await expect(row).toContainText(EXCEEDED_RULE);
    await expect(row).toContainText("demo-leaky");
    await expect(row).toContainText(new RegExp(`\\d+ / ${LEAKY_LIMIT}`));
    await expect(row.getByTestId("alert-state")).toHaveText(/^(firing|resolved)$/);
    expect(await pageOverflowX(page)).toBe(0);
    await shoot(page, "list-light");
    await theme(page, "dark");
    await shoot(page, "list-dark");
    await theme(page, "light");

    // The filters live in the URL.
    await page.getByLabel("State").selectOption("open");
    await expect(page).toHaveURL(/[?&]state=open(&|$)/);
    await page.getByLabel("Rule").selectOption({ label: EXCEEDED_RULE });
    await expect(page).toHaveURL(new RegExp(`[?&]rule=${alert.ruleId}(&|$)`));
    await expect(page.getByTestId("alert-row").first()).toContainText(EXCEEDED_RULE);
    await page.getByRole("button", { name: "Clear filters" }).click();
    await expect(page).toHaveURL(/\/alerts$/);

    await row.click();
    await expect(page).toHaveURL(new RegExp(`[?&]alert=${alert.id}$`));
    const detail = page.getByTestId("alert-detail");
    await expect(detail.getByTestId("alert-summary")).toContainText(/Key demo-leaky \([0-9a-f]{8}…\) ran \d+ requests at once against a max_parallel_requests of 5/);
    // Evidence: the numbers and the requests in flight at the peak, by id.
    const evidence = detail.getByTestId("alert-evidence");
    await expect(evidence).toContainText("Most requests at once (Inflight's truth)");
    await expect(evidence).toContainText("Requests in flight at the peak");
    // An alert told from live truth may come before the peak's spend-log rows: the page says so,
    // then lists them once they are in (it refreshes itself).
    const ids = detail.getByTestId("alert-peak-requests").locator("tbody tr");
    await expect.poll(() => ids.count(), { timeout: 60_000, message: "the requests at the peak, once their spend-log rows are in" }).toBeGreaterThan(LEAKY_LIMIT);
    // Where it was told: the bell's feed and the environment's Slack channel, each with its attempt.
    const feed = detail.getByTestId("alert-channel").filter({ hasText: BELL_FEED });
    await expect(feed.getByTestId("delivery-status").first()).toHaveText("sent");
    // Slack gets a rule's alerts grouped: its notifications wait up to ALERT_GROUP_WAIT_S (30 s) first.
    const slack = detail.getByTestId("alert-channel").filter({ hasText: SLACK });
    await expect(slack.getByTestId("delivery-status").first()).toHaveText("sent", { timeout: 60_000 });
    await expect(slack.getByTestId("delivery-attempt").first()).toContainText("200");
    await expect(slack.getByTestId("delivery-attempt").first()).toHaveAttribute("data-ok", "true");
    expect(await pageOverflowX(page)).toBe(0);
    await shoot(page, "detail-light", false);
    await theme(page, "dark");
    await shoot(page, "detail-dark", false);
    await theme(page, "light");

    // The key links to its chart over the alert's span.
    await detail.getByRole("link", { name: "demo-leaky" }).click();
    await expect(page).toHaveURL(new RegExp(`/keys/${hash}\\?range=custom&from=\\d+&to=\\d+$`));
  });

  test("the key's chart marks its alerts, with a legend entry and a list linking to each", async ({ page }) => {
    await page.goto(`/keys/${hash}?range=15m`);
    const chart = page.getByTestId("concurrency-chart");
    await expect(chart.locator(".alert-mark-exceeded").first()).toBeAttached({ timeout: 60_000 });
    await expect(chart.locator(".alert-lane").first()).toBeAttached();
    await expect(page.getByRole("list", { name: "Chart legend" })).toContainText("Alert: Limit exceeded");
    const list = page.getByTestId("key-alerts");
    await expect(list.getByTestId("key-alert").first()).toContainText(EXCEEDED_RULE);
    await shoot(page, "chart-marks-light");
    await theme(page, "dark");
    await shoot(page, "chart-marks-dark");
    await theme(page, "light");
    await list.getByTestId("key-alert").filter({ hasText: EXCEEDED_RULE }).first().getByRole("link", { name: "Limit exceeded" }).click();
    await expect(page).toHaveURL(/\/alerts\?alert=[\w-]+$/);
    await expect(page.getByTestId("alert-detail")).toContainText("demo-leaky");
  });

  test("rules: add one (a refused threshold shown by its field), edit, disable and delete it; built-in rules stay", async ({ page }) => {
    await page.goto("/settings/alerts");
    const rules = page.getByRole("region", { name: "Rules" });
    const builtIn = rules.getByTestId("rule-row").filter({ hasText: EXCEEDED_RULE });
    await expect(builtIn).toContainText("built in");
    await expect(builtIn.getByRole("button", { name: "Delete" })).toHaveCount(0);
    expect(await rules.getByTestId("rule-row").filter({ hasText: "built in" }).count()).toBeGreaterThanOrEqual(3);

    await rules.getByRole("button", { name: "Add rule" }).click();
    const form = rules.getByRole("form", { name: "Add a rule" });
    await form.getByLabel("Name").fill("e2e drift on leaky");
    await form.getByLabel("Detector").selectOption("drift");
    await expect(form.getByLabel("Threshold")).toHaveAttribute("placeholder", "default 2");
    await expect(form.getByLabel("Min duration")).toHaveAttribute("placeholder", "default 120");
    await form.getByLabel("one key").check();
    await form.getByLabel("Key hash").fill(hash);
    await form.getByLabel("Threshold").fill("0");
    await form.getByRole("button", { name: "Add rule" }).click();
    // The API's 422 lands by the field it is about.
    await expect(form.getByLabel("Threshold")).toHaveAttribute("aria-invalid", "true");
    await expect(form.locator("#rule-param-threshold-note")).toContainText(">=1");
    await shoot(rules, "rule-form-error");
    await form.getByLabel("Threshold").fill("3");
    await form.getByRole("button", { name: "Add rule" }).click();
    await expect(form).toHaveCount(0);
    const row = rules.getByTestId("rule-row").filter({ hasText: "e2e drift on leaky" });
    await expect(row).toContainText("Counter drift");
    await expect(row).toContainText(`key ${hash.slice(0, 8)}…`);
    await expect(row).toContainText("threshold 3 · quiet gap bridged 10 s · min duration 120 s");

    await row.getByRole("button", { name: "Edit" }).click();
    const edit = rules.getByRole("form", { name: "Edit rule e2e drift on leaky" });
    await expect(edit.getByLabel("Threshold")).toHaveValue("3");
    await edit.getByLabel("Name").fill("e2e drift on leaky, edited");
    await edit.getByLabel("Min duration").fill("30");
    await edit.getByRole("button", { name: "Save rule" }).click();
    const edited = rules.getByTestId("rule-row").filter({ hasText: "e2e drift on leaky, edited" });
    await expect(edited).toContainText("min duration 30 s");

    const enabled = edited.getByRole("switch", { name: "e2e drift on leaky, edited enabled" });
    await expect(enabled).toHaveAttribute("aria-checked", "true");
    await enabled.click();
    await expect(enabled).toHaveAttribute("aria-checked", "false");
    const stored = (await (await page.request.get("/api/alerts/rules")).json()) as { rules: { name: string; enabled: boolean; params: Record<string, number> }[] };
    expect(stored.rules.find((r) => r.name === "e2e drift on leaky, edited")).toMatchObject({ enabled: false, params: { threshold: 3, minDurationS: 30 } });

    page.once("dialog", (d) => void d.accept());
    await edited.getByRole("button", { name: "Delete" }).click();
    await expect(edited).toHaveCount(0);
    await expect(builtIn).toHaveCount(1);
  });

  test("channels: a webhook to a local receiver, tested and signed; a refused delivery resent; the environment's Slack channel", async ({ page, request }) => {
    const rx = await startReceiver();
    const ruleName = `e2e webhook rule ${Date.now()}`;
    let ruleId: string | null = null;
    try {
      await page.goto("/settings/alerts");
      const channels = page.getByRole("region", { name: "Channels" });

      // Configured by the environment: shown so, its secret path never, only enable/disable and Test.
      const env = channels.getByTestId("channel-row").filter({ hasText: SLACK });
      await expect(env.getByTestId("channel-source")).toHaveText("environment");
      // Slack's URL is its secret: the host and its last four characters only.
      await expect(env.getByTestId("channel-target")).toHaveText(`127.0.0.1:${E2E_SLACK_RECEIVER_PORT}/…${E2E_SLACK_PATH.slice(-4)}`);
      await expect(channels).not.toContainText(E2E_SLACK_PATH.split("/").at(-1)!);
      await expect(env.getByRole("button", { name: "Edit" })).toHaveCount(0);
      await expect(env.getByRole("switch", { name: `${SLACK} enabled` })).toHaveAttribute("aria-checked", "true");
      await env.getByRole("button", { name: `Test ${SLACK}` }).click();
      await expect(env.getByTestId("channel-test-result")).toContainText(/✓ ok · HTTP 200 · \d+ ms/);
      await expect(channels.getByTestId("channel-row").filter({ hasText: BELL_FEED }).getByTestId("channel-source")).toHaveText("built in");

      // A webhook made here, with a secret generated in the browser.
      await channels.getByRole("button", { name: "Add channel" }).click();
      const form = channels.getByRole("form", { name: "Add a channel" });
      await form.getByLabel("Name").fill("e2e receiver");
      await expect(form.getByLabel("Type")).toHaveValue("webhook");
      // Only the alerts of demo-leaky's team reach it.
      await form.getByLabel("Team").fill("research");
      await form.getByLabel("URL", { exact: true }).fill(`${rx.url}/hook`);
      await form.getByRole("button", { name: "Generate" }).click();
      const secret = await form.getByLabel("Signing secret (Standard Webhooks)").inputValue();
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      await shoot(channels, "channel-form");
      await form.getByRole("button", { name: "Add channel" }).click();
      await expect(form).toHaveCount(0);
      const row = channels.getByTestId("channel-row").filter({ hasText: "e2e receiver" });
      // Redacted: the URL's path and all but the secret's last four characters stay on the server.
      await expect(row.getByTestId("channel-target").locator("span")).toHaveText([`http://127.0.0.1:${rx.port}/…`, `whsec_…${secret.slice(-4)}`]);
      await expect(row.getByTestId("channel-status")).toHaveText("ok");
      await expect(row).toContainText("research");

      // Test: the result beside the button, and a request the receiver can verify with the secret.
      await row.getByRole("button", { name: "Test e2e receiver" }).click();
      await expect(row.getByTestId("channel-test-result")).toContainText(/✓ ok · HTTP 200 · \d+ ms/);
      const [tested] = await rx.waitForRequests(1);
      expect(tested.path).toBe("/hook");
      const body = new Webhook(secret).verify(tested.body, tested.headers as Record<string, string>) as { test: boolean; key_alias: string };
      expect(body).toMatchObject({ test: true, key_alias: "test-key" });
      expect(() => new Webhook(`whsec_${Buffer.alloc(32, 7).toString("base64")}`).verify(tested.body, tested.headers as Record<string, string>)).toThrow();
      await shoot(channels, "channels-light");
      await theme(page, "dark");
      await shoot(channels, "channels-dark");
      await theme(page, "light");

      // An edit never shows the secret, and an empty field keeps it: the next test still verifies.
      await row.getByRole("button", { name: "Edit" }).click();
      const edit = channels.getByRole("form", { name: "Edit channel e2e receiver" });
      const secretField = edit.getByLabel("Signing secret (Standard Webhooks)");
      await expect(secretField).toHaveValue("");
      await expect(secretField).toHaveAttribute("placeholder", `whsec_…${secret.slice(-4)} (empty: keep)`);
      await expect(edit.getByLabel("URL", { exact: true })).toHaveValue("");
      await edit.getByLabel("Name").fill("e2e receiver, edited");
      await edit.getByRole("button", { name: "Save channel" }).click();
      await expect(edit).toHaveCount(0);
      const edited = channels.getByTestId("channel-row").filter({ hasText: "e2e receiver, edited" });
      await edited.getByRole("button", { name: "Test e2e receiver, edited" }).click();
      await expect(edited.getByTestId("channel-test-result")).toContainText("✓ ok");
      const [, retested] = await rx.waitForRequests(2);
      expect(new Webhook(secret).verify(retested.body, retested.headers as Record<string, string>)).toMatchObject({ test: true });

      // A real alert: a new rule on the leaky key fires at its next evaluation and goes to every
      // channel, this one included. The receiver refuses deliveries for good (a 400) until ours came...
      rx.reset();
      rx.answer({ status: 400, body: "bad request" });
      const made = await request.post("/api/alerts/rules", { data: { name: ruleName, detector: "exceeded", scope: { kind: "key", keyHash: hash }, params: {} } });
      expect(made.ok()).toBe(true);
      ruleId = ((await made.json()) as { id: string }).id;
      const verify = (r: ReceivedRequest) => new Webhook(secret).verify(r.body, r.headers as Record<string, string>) as { event: string; key_alias: string; rule: string; test: boolean };
      let refused: ReceivedRequest | undefined;
      await expect(() => {
        refused = rx.requests.find((r) => verify(r).rule === ruleName);
        expect(refused, "the new rule's notification at the receiver").toBeTruthy();
      }).toPass({ timeout: 60_000 });
      rx.answer({ status: 200, body: "ok" });
      const real = verify(refused!);
      expect(real).toMatchObject({ key_alias: "demo-leaky", test: false });
      expect(real.event).toMatch(/^concurrency_limit_exceeded(\.past)?$/);
      const ours = await alertOf(request, hash, ruleName, 30_000);

      // ...so the alert's detail shows it failed with its attempt, and an admin resends it.
      await page.goto(`/alerts?alert=${ours.id}`);
      const detail = page.getByTestId("alert-detail");
      const delivery = detail.getByTestId("alert-channel").filter({ hasText: "e2e receiver" });
      await expect(delivery.getByTestId("delivery-status")).toHaveText("failed");
      await expect(delivery.getByTestId("delivery-attempt")).toContainText("400");
      await expect(delivery.getByTestId("delivery-attempt")).toContainText("bad request");
      // Inside the panel, which scrolls on its own: the section as the browser shows it there.
      await detail.getByTestId("alert-notifications").screenshot({ path: path.join(SHOTS, "alerts-detail-failed.png") });
      const before = rx.requests.length;
      await delivery.getByRole("button", { name: "Resend" }).click();
      const [again] = (await rx.waitForRequests(before + 1, 30_000)).slice(before);
      // The same notification: the same webhook-id, so a receiver drops a duplicate.
      expect(again.headers["webhook-id"]).toBe(refused!.headers["webhook-id"]);
      expect(verify(again).rule).toBe(ruleName);
      await expect(delivery.getByTestId("delivery-status")).toHaveText("sent", { timeout: 20_000 });
      await expect(delivery.getByTestId("delivery-attempt")).toHaveCount(2);

      // The channels page lists the deliveries, the refused-then-resent one among them.
      await page.goto("/settings/alerts");
      const deliveries = page.getByTestId("deliveries-table");
      await expect(deliveries.getByTestId("delivery-row").filter({ hasText: "e2e receiver" }).first()).toContainText("sent");
      await expect(deliveries.getByTestId("delivery-row").filter({ hasText: SLACK }).first()).toBeVisible();
      await shoot(page, "settings-light");
      await theme(page, "dark");
      await shoot(page, "settings-dark");
      await theme(page, "light");

      // Removed again: later alerts must not go to a receiver that is gone.
      page.once("dialog", (d) => void d.accept());
      await channels.getByTestId("channel-row").filter({ hasText: "e2e receiver" }).getByRole("button", { name: "Delete" }).click();
      await expect(channels.getByTestId("channel-row").filter({ hasText: "e2e receiver" })).toHaveCount(0);
    } finally {
      if (ruleId) await request.delete(`/api/alerts/rules/${ruleId}`);
      await rx.stop();
    }
  });

  test("silences: a refused one says why, one is added with a preset, then ended", async ({ page }) => {
    await page.goto("/settings/alerts");
    const silences = page.getByRole("region", { name: "Silences" });
    const form = silences.getByRole("form", { name: "Add a silence" });
    await form.getByLabel("Comment").fill("e2e: provider maintenance");
    await form.getByRole("button", { name: "Silence" }).click();
    await expect(form.getByRole("alert")).toContainText("A silence needs a rule, a key or a team");

    await form.getByLabel("Rule").selectOption({ label: EXCEEDED_RULE });
    await form.getByLabel("Key hash").fill(hash);
    await form.getByRole("button", { name: "4 h" }).click();
    await expect(form.getByLabel("For (minutes)")).toHaveValue("240");
    await form.getByRole("button", { name: "Silence" }).click();
    const row = silences.getByTestId("silence-row").filter({ hasText: "e2e: provider maintenance" });
    await expect(row).toContainText(`rule “${EXCEEDED_RULE}” · key ${hash.slice(0, 8)}…`);
    await expect(row).toContainText(/in (4 h|3 h 59 min)/);
    await expect(row).toContainText(E2E_ADMIN.email);
    await shoot(silences, "silences");
    await row.getByRole("button", { name: "End now" }).click();
    await expect(row).toHaveCount(0);
    await expect(silences).toContainText("No silence in force.");
  });

  test("the Prometheus rules file downloads from the settings page", async ({ page }) => {
    await page.goto("/settings/alerts");
    const [dl] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download Prometheus rules" }).click()]);
    expect(dl.suggestedFilename()).toBe("inflight-rules.yml");
    const text = fs.readFileSync((await dl.path())!, "utf8");
    expect(text).toContain("groups:");
    expect(text).toContain("inflight");
  });

  test("a viewer reads alerts without an admin control, and the admin routes answer 403", async ({ browser, request }) => {
    const viewer = { email: "alerts-viewer@e2e.test", password: "e2e-alerts-viewer-0123" };
    await account(request, viewer.email, viewer.password);
    const ctx = await signedOut(browser);
    await signIn(ctx.request, BASE, viewer);
    const page = await ctx.newPage();
    await page.goto("/alerts");
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link")).toHaveText(["Keys", "Alerts", "Audit"]);
    await expect(page.getByRole("link", { name: "Alert settings" })).toHaveCount(0);
    await expect(page.getByTestId("alert-bell")).toBeVisible();
    const row = page.locator(`[data-testid="alert-row"][data-alert-id="${alert.id}"]`);
    await row.click();
    const detail = page.getByTestId("alert-detail");
    await expect(detail.getByTestId("alert-notification").first()).toBeVisible();
    await expect(detail.getByRole("button", { name: "Resend" })).toHaveCount(0);
    await shoot(page, "viewer", false);
    await page.goto("/settings/alerts");
    await expect(page).toHaveURL(/\/keys$/);

    const some = "00000000-0000-0000-0000-000000000000";
    for (const [method, p, data] of [
      ["GET", "/api/alerts/channels", undefined],
      ["POST", "/api/alerts/channels", { name: "x", type: "webhook", config: {} }],
      ["PATCH", `/api/alerts/channels/${some}`, { enabled: false }],
      ["DELETE", `/api/alerts/channels/${some}`, undefined],
      ["POST", "/api/alerts/channels/in-app/test", {}],
      ["POST", "/api/alerts/channels/in-app/resume", {}],
      ["POST", "/api/alerts/rules", { name: "x", detector: "exceeded", scope: { kind: "all" } }],
      ["PUT", `/api/alerts/rules/default-exceeded`, { name: "x", detector: "exceeded", scope: { kind: "all" } }],
      ["DELETE", `/api/alerts/rules/default-exceeded`, undefined],
      ["GET", "/api/alerts/notifications", undefined],
      ["POST", `/api/alerts/notifications/${some}/resend`, {}],
      ["POST", "/api/alerts/silences", { ruleId: "default-exceeded", minutes: 5, comment: "x" }],
      ["DELETE", `/api/alerts/silences/${some}`, undefined],
    ] as const) {
      const res = await ctx.request.fetch(`${BASE}${p}`, { method, data });
      expect(res.status(), `${method} ${p}`).toBe(403);
    }
    for (const p of ["/api/alerts", "/api/alerts/feed", "/api/alerts/rules", "/api/alerts/silences", `/api/alerts/${alert.id}`]) {
      expect((await ctx.request.get(`${BASE}${p}`)).status(), `GET ${p}`).toBe(200);
    }
    await ctx.close();
  });

  test("a viewer of a team without alerts sees why the page and the bell are empty", async ({ browser, request }) => {
    const viewer = { email: "alerts-team-viewer@e2e.test", password: "e2e-alerts-team-viewer-0123" };
    await account(request, viewer.email, viewer.password, ["e2e-quiet-team"]);
    const ctx = await signedOut(browser);
    await signIn(ctx.request, BASE, viewer);
    const page = await ctx.newPage();
    await page.goto("/alerts");
    await expect(page.getByText("No alerts yet")).toBeVisible();
    await expect(page.getByText("Default rules watch every key with a limit")).toBeVisible();
    await page.getByTestId("alert-bell").click();
    await expect(page.getByRole("dialog", { name: "Alert notifications" })).toContainText("No notifications yet");
    await shoot(page, "empty");
    await ctx.close();
  });
});
