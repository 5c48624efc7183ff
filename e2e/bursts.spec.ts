import { spawn } from "node:child_process";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { hashOf } from "./support/keys";
import { ROOT, SCREENS_DIR } from "./support/stack-env";

// Burst tests against the demo proxy (a windowed limiter, LiteLLM's #16011, with a 20 s window):
// from the key page an admin fills the form (the twin's team and the key itself say what they cost
// live traffic), watches the run progress and reads a report whose verdict the spend logs confirm;
// a cancel still cleans up; `npm run burst` with INFLIGHT_URL and INFLIGHT_TOKEN runs through this
// Inflight and its run shows in the UI.

const shot = (name: string) => path.join(SCREENS_DIR, name);

test.describe("burst tests", () => {
  test.setTimeout(240_000);
  let hash = "";

  test.beforeAll(async ({ request }) => {
    hash = await hashOf(request, "demo-healthy");
  });

  test("the form says what each target costs; rounds across a window roll end FAIL-leaky, with progress, a timeline and the spend logs' view", async ({ page }) => {
    await page.goto(`/keys/${hash}`);
    const panel = page.getByRole("region", { name: "Burst tests" });
    await panel.getByRole("button", { name: "Run a burst test" }).click();
    const form = page.getByRole("form", { name: "Start a burst test" });
    await expect(form).toBeVisible();
    await form.getByLabel("Create the twin in team web").check();
    await expect(form.getByText("The twin spends the team's limits")).toBeVisible();
    await panel.screenshot({ path: shot("burst-form-twin.png") });
    await form.getByLabel("Create the twin in team web").uncheck();
    await form.getByRole("radio", { name: /The key itself/ }).check();
    await expect(form.getByText("Live traffic on this key will see 429s")).toBeVisible();
    await expect(form.getByText(/LiteLLM #39309/)).toBeVisible();
    await expect(form.getByRole("button", { name: "Start burst test" })).toBeDisabled();
    await panel.screenshot({ path: shot("burst-form-key.png") });

    // A bad value is refused in the form, by the schema the route uses.
    await form.getByRole("radio", { name: /A temporary twin key/ }).check();
    await form.locator('input[name="rounds"]').fill("11");
    await form.getByRole("button", { name: "Start burst test" }).click();
    await expect(form.getByRole("alert")).toHaveText("rounds: at most 10");

    // Three rounds over 1.25 windows: the window rolls while the first round still holds its slots.
    await form.locator('input[name="rounds"]').fill("3");
    await form.locator('input[name="n"]').fill("12");
    await form.getByRole("button", { name: "Start burst test" }).click();
    await expect(page).toHaveURL(/\/bursts\/[A-Za-z0-9_-]+$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Burst test on demo-healthy");
    const progress = page.getByTestId("burst-progress");
    await expect(progress).toBeVisible();
    await expect(page.getByRole("progressbar", { name: "Requests done" })).toBeVisible();
    // The first round: 8 admitted and holding their slots, the other 4 refused at once.
    await expect(progress.getByText("In flight").locator("..").locator("dd")).toHaveText("8", { timeout: 20_000 });
    await expect(progress.getByText("Refused (429)").locator("..").locator("dd")).toHaveText("4");
    await page.screenshot({ path: shot("burst-progress.png"), fullPage: true });

    const card = page.getByTestId("burst-verdict-card");
    await expect(card).toBeVisible({ timeout: 90_000 });
    await expect(page.getByTestId("burst-verdict")).toHaveText("Fail: leaky limit");
    await expect(card).toContainText("the limiter forgot requests still running when its window rolled over");
    await expect(page.getByTestId("spend-log-view")).toContainText(/admitted in flight at once by the spend logs/, { timeout: 60_000 });
    await expect(card).toContainText("the proxy's spend logs agree");
    await expect(page.locator("figure .recharts-reference-line")).toHaveCount(1);
    await expect(page.getByTestId("burst-latency")).toContainText("Admitted");
    await expect(page.getByTestId("peak-ids").locator("li").first()).toContainText("inflight-burst-");
    await page.screenshot({ path: shot("burst-report.png"), fullPage: true });

    // The JSON export and the audit trail.
    const [dl] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export JSON" }).click()]);
    expect(dl.suggestedFilename()).toMatch(/^inflight-burst-[A-Za-z0-9_-]+\.json$/);
    await page.goto(`/audit?key=${hash}`);
    await expect(page.getByText("key.burst").first()).toBeVisible();
    // Listed on the key's page.
    await page.goto(`/keys/${hash}`);
    await expect(page.getByTestId("burst-runs").getByTestId("burst-verdict").first()).toHaveText("Fail: leaky limit");
    await page.getByRole("region", { name: "Burst tests" }).screenshot({ path: shot("burst-panel.png") });
  });

  test("a cancel from the report page aborts the requests and still deletes the twin", async ({ page }) => {
    await page.goto(`/keys/${hash}`);
    await page.getByRole("button", { name: "Run a burst test" }).click();
    const form = page.getByRole("form", { name: "Start a burst test" });
    await form.locator('input[name="holdS"]').fill("60");
    await form.getByRole("button", { name: "Start burst test" }).click();
    await expect(page).toHaveURL(/\/bursts\//);
    await expect(page.getByTestId("burst-progress").getByText("In flight").locator("..").locator("dd")).toHaveText("8", { timeout: 20_000 });
    await page.getByRole("button", { name: "Cancel" }).click();
    await expect(page.getByTestId("burst-verdict")).toHaveText("Inconclusive", { timeout: 20_000 });
    await expect(page.getByTestId("burst-verdict-card")).toContainText("cancelled");
    await expect(page.getByText("Cleanup pending on the proxy")).toHaveCount(0);
  });

  test("npm run burst through this Inflight with an admin token: the verdict line, the run in the UI", async ({ page, request, baseURL }) => {
    const made = await request.post("/api/tokens", { data: { name: "ci-burst", scope: "admin" }, headers: { origin: baseURL! } });
    expect(made.ok(), await made.text()).toBe(true);
    const { token } = (await made.json()) as { token: string };
    const run = await new Promise<{ code: number | null; out: string }>((resolve, reject) => {
      const env = { ...process.env, INFLIGHT_URL: baseURL!, INFLIGHT_TOKEN: token, LITELLM_URL: "", LITELLM_MASTER_KEY: "" };
      const child = spawn(path.join(ROOT, "node_modules", ".bin", "tsx"), ["scripts/burst.ts", "--key", "demo-healthy", "--hold", "2"], { cwd: ROOT, env });
      let out = "";
      child.stdout.on("data", (d: Buffer) => (out += d));
      child.stderr.on("data", (d: Buffer) => (out += d));
      child.once("error", reject);
      child.once("exit", (code) => resolve({ code, out }));
    });
    const lines = run.out.trim().split("\n");
    expect(lines.at(-1), run.out).toBe("verdict: PASS");
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/peak +8 admitted in flight at once/);
    expect(run.out).toMatch(/proxy +8 admitted in flight at once by the spend logs/);
    expect(run.out).not.toContain(token);
    const page_ = /report +(http\S+\/bursts\/[A-Za-z0-9_-]+)/.exec(run.out)?.[1];
    expect(page_, run.out).toBeTruthy();
    await page.goto(page_!);
    await expect(page.getByTestId("burst-verdict")).toHaveText("Pass: the limit held");
    await expect(page.getByText(/by token ci-burst/)).toBeVisible();
  });
});
