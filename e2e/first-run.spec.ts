import path from "node:path";
import { expect, test } from "@playwright/test";
import { startRedis, type TestRedis } from "../tests/support/redis";
import { startSimulator, type TestSimulator } from "../tests/support/simulator";
import { startOwnStack, type OwnStack } from "./support/own-stack";
import { SCREENS_DIR } from "./support/stack-env";

// A fresh install with no INFLIGHT_ADMIN_EMAIL: every page leads to the first-run setup, which makes
// the first admin and signs it in; then the setup page is gone. A stack of its own (the shared one
// has its admin from the environment).

const ADMIN = { email: "first@example.test", password: "first-admin-password-0123" };

test.describe("first run", () => {
  test.describe.configure({ timeout: 180_000 });
  let redis: TestRedis;
  let sim: TestSimulator;
  let stack: OwnStack;

  test.beforeAll(async () => {
    redis = await startRedis();
    sim = await startSimulator(["--master-key", "sk-e2e-first-run-master-key"]);
    stack = await startOwnStack({
      LITELLM_URL: sim.url,
      LITELLM_MASTER_KEY: "sk-e2e-first-run-master-key",
      REDIS_URL: redis.url,
      INFLIGHT_ADMIN_EMAIL: "",
      INFLIGHT_ADMIN_PASSWORD: "",
    });
  });
  test.afterAll(async () => {
    await stack?.stop();
    await sim?.stop();
    await redis?.stop();
  });

  test("with no admin, every page leads to setup; setup makes the admin, signs it in and closes", async ({ browser }) => {
    const ctx = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const page = await ctx.newPage();
    for (const p of ["/", "/keys", "/audit", "/sign-in"]) {
      await page.goto(`${stack.base}${p}`);
      await expect(page, p).toHaveURL(`${stack.base}/setup`);
    }
    expect(stack.output()).toContain("the setup page makes the first admin");
    await expect(page.getByRole("heading", { name: "Set up Inflight" })).toBeVisible();

    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Password", { exact: true }).fill(ADMIN.password);
    await page.getByLabel("Repeat the password").fill("something-else-entirely");
    await page.getByRole("button", { name: "Create the admin account" }).click();
    await expect(page.getByText("The two passwords differ")).toBeVisible();
    await page.screenshot({ path: path.join(SCREENS_DIR, "first-run-setup.png") });

    await page.getByLabel("Repeat the password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Create the admin account" }).click();
    await expect(page).toHaveURL(`${stack.base}/keys`);
    await expect(page.getByRole("button", { name: new RegExp(ADMIN.email) })).toContainText("admin");

    // Set up once: the page and the route are closed now.
    await page.goto(`${stack.base}/setup`);
    await expect(page).toHaveURL(`${stack.base}/keys`);
    const again = await ctx.request.post(`${stack.base}/api/setup`, { data: { email: "second@example.test", password: "second-admin-password-0123" } });
    expect(again.status()).toBe(409);
    await page.goto(`${stack.base}/audit`);
    await expect(page.getByTestId("audit-row").first()).toContainText("first-run setup");
    await ctx.close();
  });
});
