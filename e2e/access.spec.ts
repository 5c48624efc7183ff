import path from "node:path";
import { expect, test, type Browser } from "@playwright/test";
import { hashOf } from "./support/keys";
import { E2E_ADMIN, signIn } from "./support/sign-in";
import { E2E_PORT, SCREENS_DIR } from "./support/stack-env";
import { pageOverflowX } from "./support/theme";

// Sign-in, roles and limit edits in the browser, on the shared stack (its first admin comes from
// INFLIGHT_ADMIN_EMAIL). The edited demo key gets its limit back at the end: later specs read it.

const BASE = `http://127.0.0.1:${E2E_PORT}`;
const VIEWER = { email: "viewer@e2e.test", password: "e2e-viewer-password-0123", newPassword: "e2e-viewer-new-password-4567" };

/** A browser context with nobody signed in. */
const signedOut = (browser: Browser) => browser.newContext({ storageState: { cookies: [], origins: [] } });

test.describe("access", () => {
  test("signed out: every page goes to sign-in, every API route answers 401; a wrong password says so", async ({ browser, request }) => {
    const hash = await hashOf(request, "demo-healthy");
    const ctx = await signedOut(browser);
    const page = await ctx.newPage();
    for (const p of ["/", "/keys", `/keys/${hash}`, "/alerts", "/audit", "/settings/access", "/settings/alerts"]) {
      await page.goto(p);
      await expect(page, p).toHaveURL(new RegExp(`/sign-in\\?next=${encodeURIComponent(p === "/" ? "/keys" : p).replace(/[/]/g, "%2F")}$`));
    }
    const range = `from=${Date.now() - 3_600_000}&to=${Date.now()}`;
    for (const [method, p] of [
      ["GET", `/api/overview?${range}`],
      ["GET", `/api/keys/${hash}/series?${range}`],
      ["GET", `/api/keys/${hash}/evidence?${range}`],
      ["GET", `/api/keys/${hash}/limits`],
      ["POST", `/api/keys/${hash}/limits`],
      ["GET", "/api/audit"],
      ["GET", "/api/accounts"],
      ["POST", "/api/accounts"],
      ["GET", "/api/tokens"],
      ["POST", "/api/tokens"],
      ["GET", "/api/alerts"],
      ["GET", "/api/alerts/feed"],
      ["POST", "/api/alerts/rules"],
      ["GET", "/api/alerts/channels"],
    ] as const) {
      const res = await ctx.request.fetch(`${BASE}${p}`, { method, data: method === "POST" ? {} : undefined });
      expect(res.status(), `${method} ${p}`).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("unauthenticated");
    }

    await page.goto("/keys");
    await expect(page.getByRole("heading", { name: "Sign in to Inflight" })).toBeVisible();
    // Signed out, the shell shows no areas and no health.
    await expect(page.getByRole("navigation", { name: "Main" })).toHaveCount(0);
    await page.getByLabel("Email").fill(E2E_ADMIN.email);
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "Not signed in" })).toContainText("Wrong email or password.");
    await page.screenshot({ path: path.join(SCREENS_DIR, "sign-in.png") });

    await page.getByLabel("Password").fill(E2E_ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/keys$/);
    await expect(page.getByRole("button", { name: new RegExp(E2E_ADMIN.email) })).toBeVisible();
    await ctx.close();
  });

  test("an admin edits a limit: review with the 24 h impact, apply, see it on the proxy and in the audit trail", async ({ page, request }) => {
    const hash = await hashOf(request, "demo-healthy");
    await page.goto(`/keys/${hash}?range=15m`);
    const panel = page.getByRole("region", { name: "Limits on LiteLLM" });
    await expect(panel.getByTestId("limit-max_parallel_requests")).toHaveText("8");
    await panel.getByRole("button", { name: "Edit limits" }).click();
    const form = panel.getByRole("form", { name: "Edit limits" });
    await form.getByLabel("Max parallel requests").fill("abc");
    await form.getByRole("button", { name: "Review the change" }).click();
    await expect(panel.getByRole("alert")).toContainText("max_parallel_requests");
    await form.getByLabel("Max parallel requests").fill("3");
    await form.getByLabel("Reason").fill("e2e: tighter while the provider is slow");
    await form.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SCREENS_DIR, "limit-edit-form.png"), fullPage: true });
    await form.getByRole("button", { name: "Review the change" }).click();

    const review = panel.getByRole("region", { name: "Confirm the change" });
    await expect(review.getByRole("row", { name: /Max parallel requests/ })).toContainText("8");
    await expect(review.getByRole("row", { name: /Max parallel requests/ })).toContainText("at most 3 requests at once");
    await expect(review.getByTestId("limit-impact")).toHaveText(/^This key peaked at \d+ in the last 24 h: a limit of 3 would have /);
    await expect(review).toContainText("other replicas keep the old limit");
    await panel.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SCREENS_DIR, "limit-confirm.png"), fullPage: true });
    expect(await pageOverflowX(page)).toBe(0);

    await review.getByRole("button", { name: "Apply on LiteLLM" }).click();
    await expect(panel.getByText("Applied on LiteLLM")).toBeVisible();
    await expect(panel.getByTestId("limit-max_parallel_requests")).toHaveText("3");
    const live = (await (await request.get(`/api/keys/${hash}/limits`)).json()) as { live: { max_parallel_requests: number } };
    expect(live.live.max_parallel_requests).toBe(3);

    await page.goto(`/audit?key=${hash}`);
    const entry = page.getByTestId("audit-row").first();
    await expect(entry).toContainText(E2E_ADMIN.email);
    await expect(entry).toContainText("max_parallel_requests: 8");
    await expect(entry).toContainText("max_parallel_requests: 3");
    await expect(entry).toContainText("applied");
    await expect(entry).toContainText("tighter while the provider is slow");
    await page.screenshot({ path: path.join(SCREENS_DIR, "audit.png"), fullPage: true });
    // The entry links to the key's chart around that moment.
    await entry.getByRole("link", { name: "demo-healthy" }).click();
    await expect(page).toHaveURL(new RegExp(`/keys/${hash}\\?range=custom&from=\\d+&to=\\d+`));

    // Back to the demo's limit (later specs read it), through the API as scripts would.
    const back = await request.post(`/api/keys/${hash}/limits`, { data: { max_parallel_requests: 8, reason: "e2e: restore" } });
    expect(((await back.json()) as { outcome: string }).outcome).toBe("applied");
    const csv = await (await request.get(`/api/audit?key=${hash}&format=csv`)).text();
    expect(csv.split("\r\n")[0]).toBe("id,time_utc,actor_kind,actor,action,key_hash,key_alias,team_id,before,after,reason,outcome,message");
    expect(csv).toContain("e2e: restore");
  });

  test("an admin changes a team's limits: every key previewed, then applied key by key", async ({ page, request }) => {
    await page.goto("/keys?team=web");
    await page.getByRole("button", { name: "Change this team's limits" }).click();
    const panel = page.getByRole("region", { name: "Change the limits of team web" });
    await panel.getByLabel("RPM limit").fill("100000");
    await panel.getByRole("button", { name: "Preview key by key" }).click();
    const preview = panel.getByTestId("team-preview");
    await expect(preview.getByRole("row")).toHaveCount(3); // the header and web's two demo keys
    await expect(preview.getByRole("row", { name: /demo-healthy/ })).toContainText("no limit → 100,000");
    await expect(preview.getByRole("row", { name: /demo-unlimited/ })).toContainText("no limit → 100,000");
    await page.screenshot({ path: path.join(SCREENS_DIR, "team-limits-preview.png"), fullPage: true });
    await panel.getByRole("button", { name: "Apply to 2 keys on LiteLLM" }).click();
    await expect(panel.getByTestId("team-results")).toContainText("demo-healthy: applied");
    await expect(panel.getByTestId("team-results")).toContainText("demo-unlimited: applied");
    // Back as the demo had it, through the API as scripts would.
    const back = await request.post("/api/teams/web/limits", { data: { rpm_limit: null, reason: "e2e: restore" } });
    expect(((await back.json()) as { results: { outcome: string }[] }).results.map((r) => r.outcome)).toEqual(["applied", "applied"]);
  });

  test("a viewer sees keys but no edit; the server refuses its writes (403) and its admin pages", async ({ browser, request, page }) => {
    const made = await request.post("/api/accounts", { data: { email: VIEWER.email, role: "viewer", password: VIEWER.password } });
    expect([200, 409]).toContain(made.status());
    await page.goto("/settings/access");
    const row = page.getByTestId("account-row").filter({ hasText: VIEWER.email });
    await expect(row).toBeVisible();
    // An admin gives the viewer a new password (break-glass): the old one stops working.
    await row.getByRole("button", { name: "Set password" }).click();
    await row.getByLabel(`New password for ${VIEWER.email}`).fill(VIEWER.newPassword);
    await row.getByRole("button", { name: "Save" }).click();
    await expect(page.getByText(`Set a new password for ${VIEWER.email}; its sessions ended.`)).toBeVisible();
    await page.screenshot({ path: path.join(SCREENS_DIR, "access.png"), fullPage: true });
    const old = await (await signedOut(browser)).request.post(`${BASE}/api/auth/sign-in/email`, { data: { email: VIEWER.email, password: VIEWER.password }, headers: { origin: BASE } });
    expect(old.status()).toBe(401);

    const hash = await hashOf(request, "demo-healthy");
    const ctx = await signedOut(browser);
    await signIn(ctx.request, BASE, { email: VIEWER.email, password: VIEWER.newPassword });
    const viewerPage = await ctx.newPage();
    await viewerPage.goto(`/keys/${hash}?range=15m`);
    const panel = viewerPage.getByRole("region", { name: "Limits on LiteLLM" });
    await expect(panel.getByTestId("limit-max_parallel_requests")).toHaveText("8");
    await expect(panel).toContainText("Only admins edit limits.");
    await expect(panel.getByRole("button", { name: "Edit limits" })).toHaveCount(0);
    await expect(viewerPage.getByRole("navigation", { name: "Main" }).getByRole("link")).toHaveText(["Keys", "Alerts", "Audit"]);
    const refused = await ctx.request.post(`${BASE}/api/keys/${hash}/limits`, { data: { max_parallel_requests: 2 } });
    expect(refused.status()).toBe(403);
    await viewerPage.goto("/settings/access");
    await expect(viewerPage).toHaveURL(/\/keys$/);
    await ctx.close();
  });
});
