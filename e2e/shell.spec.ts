import path from "node:path";
import { expect, test } from "@playwright/test";
import { SCREENS_DIR } from "./support/stack-env";
import { expectTheme, pageOverflowX } from "./support/theme";

test.describe("app shell and Keys page", () => {
  test("home leads to the Keys page with the proxy's keys and their limits", async ({ page }) => {
    await page.goto("/");
    await expect(page).toHaveURL(/\/keys$/);
    await expect(page.getByRole("heading", { name: "Keys" })).toBeVisible();

    // Only areas that exist are in the navigation (an admin also sees Access; alert settings are on the Alerts page).
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav.getByRole("link")).toHaveText(["Keys", "Alerts", "Audit", "Access"]);

    const rows = page.getByTestId("overview-row");
    await expect(rows.first()).toBeVisible();
    expect(await rows.count()).toBeGreaterThanOrEqual(4);
    // The demo keys carry limits, read from the proxy's /key/list.
    const table = page.getByTestId("overview-table");
    await expect(table.getByRole("columnheader", { name: "Limits" })).toBeVisible();
    await expect(rows.filter({ hasText: "demo-healthy" })).toContainText("8");
    // Hashes are shortened, never the raw sk- key.
    await expect(table).not.toContainText("sk-");
  });

  test("health indicator shows LiteLLM and Redis reachable", async ({ page }) => {
    await page.goto("/keys");
    await expect(page.getByTestId("health-litellm")).toHaveAttribute("data-ok", "true");
    await expect(page.getByTestId("health-redis")).toHaveAttribute("data-ok", "true");
    await expect(page.getByTestId("health-litellm")).toContainText(/ms/);
  });

  test("theme toggle switches to dark and is remembered", async ({ page }) => {
    await page.goto("/keys");
    await expect(page.getByTestId("overview-row").first()).toBeVisible();
    const html = page.locator("html");
    const wasDark = await html.evaluate((el) => el.classList.contains("dark"));
    await page.getByRole("button", { name: /Switch to (dark|light) theme/ }).click();
    await expect(html).toHaveClass(wasDark ? /^(?!.*dark)/ : /dark/);
    await page.reload();
    expect(await html.evaluate((el) => el.classList.contains("dark"))).toBe(!wasDark);
  });

  test("screenshots of the Keys page in light and dark: the page, its keys and the theme each shows", async ({ page }) => {
    for (const theme of ["light", "dark"] as const) {
      await page.addInitScript((t) => localStorage.setItem("inflight-theme", t), theme);
      await page.goto("/keys");
      await expect(page.getByRole("heading", { level: 1, name: "Keys" })).toBeVisible();
      await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Keys" })).toBeVisible();
      const rows = page.getByTestId("overview-row");
      await expect(rows.first()).toBeVisible();
      expect(await rows.count()).toBeGreaterThanOrEqual(4);
      for (const alias of ["demo-leaky", "demo-healthy", "demo-unlimited"]) await expect(rows.filter({ hasText: alias })).toHaveCount(1);
      // Each row a status, a name and a sparkline.
      await expect(rows.getByTestId("status-badge")).toHaveCount(await rows.count());
      await expect(page.getByTestId("health-litellm")).toHaveAttribute("data-ok", "true");
      await expect(page.getByTestId("health-redis")).toHaveAttribute("data-ok", "true");
      // The theme is applied for real: the page, the table's panel and the toggle's promise.
      await expectTheme(page, theme, [page.getByTestId("overview-table").locator("xpath=..")]);
      await expect(page.getByRole("button", { name: theme === "dark" ? "Switch to light theme" : "Switch to dark theme" })).toBeVisible();
      expect(await pageOverflowX(page)).toBe(0);
      await page.screenshot({ path: path.join(SCREENS_DIR, `keys-${theme}.png`), fullPage: true });
    }
  });
});
