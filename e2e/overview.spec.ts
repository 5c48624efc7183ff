import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { SCREENS_DIR } from "./support/stack-env";
import { expectTheme, pageOverflowX } from "./support/theme";

// Against the simulator's demo traffic: demo-leaky (limit 5) exceeds its limit through the
// windowed limiter of #16011, demo-healthy (limit 8) stays under it, demo-unlimited has no limit.

const row = (page: Page, alias: string) => page.getByTestId("overview-row").filter({ hasText: alias });

async function waitForLeak(page: Page) {
  await expect(row(page, "demo-leaky").getByTestId("status-badge")).toHaveAttribute("data-status", /^(exceeding|exceeded)$/, { timeout: 150_000 });
}

test.describe("keys overview", () => {
  test.setTimeout(240_000);

  test("worst first with a badge per key; the leaky key shows its violations", async ({ page }) => {
    await page.goto("/keys?range=15m");
    await waitForLeak(page);
    const badges = await page.getByTestId("overview-row").getByTestId("status-badge").evaluateAll((els) => els.map((e) => e.getAttribute("data-status")));
    const rank = { stuck: 0, exceeding: 1, exceeded: 2, ok: 3, "no-limit": 4, "no-traffic": 5 } as Record<string, number>;
    // Keys over their limit come before keys within it; keys without a limit after those.
    const overs = badges.filter((b) => b === "exceeding" || b === "exceeded" || b === "stuck").length;
    expect(badges.slice(0, overs).every((b) => rank[b!] <= 2)).toBe(true);
    const limited = badges.flatMap((b, i) => (rank[b!] <= 3 ? [i] : []));
    expect(badges.indexOf("no-limit")).toBeGreaterThan(Math.max(...limited));
    await expect(row(page, "demo-healthy").getByTestId("status-badge")).toHaveAttribute("data-status", /^(ok|no-traffic)$/);
    await expect(row(page, "demo-unlimited").getByTestId("status-badge")).toHaveAttribute("data-status", "no-limit");
    const leaky = row(page, "demo-leaky");
    await expect(leaky.locator("td").nth(7)).not.toHaveText("0"); // violations
    await expect(page.getByTestId("summary-exceeded")).not.toContainText(/^Exceeded in range0/);
    // The sparkline draws the limit and the part above it.
    await expect(leaky.locator("svg line")).toHaveCount(1);
  });

  test("sort and filter live in the URL and survive a reload and a refresh", async ({ page }) => {
    await page.goto("/keys?range=1h");
    await expect(page.getByTestId("overview-row").first()).toBeVisible();
    await page.getByRole("button", { name: "429s" }).click();
    await expect(page).toHaveURL(/sort=rejected/);
    await expect(page).toHaveURL(/dir=desc/);
    const values = async () =>
      (await page.getByTestId("overview-row").locator("td:nth-child(9)").allInnerTexts()).map((t) => Number(t.replace(/,/g, "")));
    const sorted = await values();
    expect([...sorted].sort((a, b) => b - a)).toEqual(sorted);

    await page.getByLabel("Team").selectOption("web");
    await expect(page).toHaveURL(/team=web/);
    await expect(page.getByTestId("overview-row")).toHaveCount(2);
    await expect(page.getByTestId("overview-row").filter({ hasText: "demo-leaky" })).toHaveCount(0);

    await page.getByLabel("Filter keys").fill("healthy");
    await expect(page).toHaveURL(/q=healthy/);
    await expect(page.getByTestId("overview-row")).toHaveCount(1);
    await page.reload();
    await expect(page.getByTestId("overview-row")).toHaveCount(1);
    await expect(page.getByLabel("Filter keys")).toHaveValue("healthy");
    await expect(page.getByRole("columnheader", { name: "429s" })).toHaveAttribute("aria-sort", "descending");
    // A refresh (every 5 s) keeps sort and filter.
    await page.waitForTimeout(6_000);
    await expect(page.getByTestId("overview-row")).toHaveCount(1);
    await expect(page.getByRole("radio", { name: "1h" })).toHaveAttribute("aria-checked", "true");
  });

  test("screenshots of the overview in light and dark: worst first, the leak on its sparkline, the theme each shows", async ({ page }) => {
    for (const theme of ["light", "dark"] as const) {
      await page.addInitScript((t) => localStorage.setItem("inflight-theme", t), theme);
      await page.setViewportSize({ width: 1440, height: 900 });
      await page.goto("/keys?range=15m");
      await waitForLeak(page);
      await expect(page.getByRole("heading", { level: 1, name: "Keys" })).toBeVisible();
      await expect(page.getByRole("radio", { name: "15m" })).toHaveAttribute("aria-checked", "true");
      // The four summary cards, the leaky key counted among those that exceeded.
      for (const id of ["exceeding", "exceeded", "stuck", "rejected"]) await expect(page.getByTestId(`summary-${id}`)).toBeVisible();
      expect(Number(await page.getByTestId("summary-exceeded").locator("dd").first().innerText())).toBeGreaterThanOrEqual(1);
      // Worst first: the leaky key above the healthy and the unlimited ones; its sparkline with the limit and the part above it.
      const leaky = row(page, "demo-leaky");
      const order = await page.getByTestId("overview-row").locator("td:nth-child(2) a > span:first-child").allInnerTexts();
      expect(order.indexOf("demo-leaky")).toBeGreaterThanOrEqual(0);
      expect(order.indexOf("demo-leaky")).toBeLessThan(order.indexOf("demo-healthy"));
      expect(order.indexOf("demo-leaky")).toBeLessThan(order.indexOf("demo-unlimited"));
      await expect(leaky.getByRole("img", { name: /^peak \d+ of limit 5$/ })).toBeVisible();
      const peak = Number((await leaky.getByRole("img").getAttribute("aria-label"))!.match(/^peak (\d+)/)![1]);
      expect(peak).toBeGreaterThan(5);
      await expect(leaky.locator("svg line")).toHaveCount(1);
      await expect(leaky.locator("svg polyline.stroke-rose-500")).toHaveCount(1);
      // A key without a limit has no limit line.
      await expect(row(page, "demo-unlimited").locator("svg line")).toHaveCount(0);
      await expectTheme(page, theme, [page.getByTestId("overview-table").locator("xpath=.."), page.getByTestId("summary-exceeded")]);
      expect(await pageOverflowX(page)).toBe(0);
      await page.screenshot({ path: path.join(SCREENS_DIR, `overview-${theme}.png`), fullPage: true });
      // At 1280 px the table still fits, with nothing cut off to the right.
      await page.setViewportSize({ width: 1280, height: 800 });
      await expect(page.getByRole("columnheader", { name: "Concurrency" })).toBeInViewport();
      expect(await pageOverflowX(page)).toBe(0);
      await page.screenshot({ path: path.join(SCREENS_DIR, `overview-${theme}-1280.png`), fullPage: true });
    }
  });
});
