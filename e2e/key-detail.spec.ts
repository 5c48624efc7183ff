import fs from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { hashOf } from "./support/keys";
import { SCREENS_DIR } from "./support/stack-env";
import { contrast, expectTheme, luminance, pageOverflowX } from "./support/theme";

// Against the simulator's demo traffic: demo-leaky (limit 5) runs more requests at once than its
// limit. The e2e store starts empty, so the first test waits (generously) for the spend logs of
// overlapping requests to land; the tests after it find the data there.

const LEAKY_LIMIT = 5;

/** Opens the key's page and waits until its chart shades a stretch above the limit. */
async function openWithViolation(page: Page, hash: string, query = "range=15m") {
  await page.goto(`/keys/${hash}?${query}`);
  await expect(page.locator(".violation-band").first()).toBeAttached({ timeout: 150_000 });
}

/** Saves the download a click starts and returns its name and text. */
async function download(page: Page, button: string) {
  const [dl] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: button }).click()]);
  return { name: dl.suggestedFilename(), text: fs.readFileSync((await dl.path())!, "utf8") };
}

test.describe("key detail page", () => {
  test.setTimeout(240_000);
  let hash = "";

  test.beforeAll(async ({ request }) => {
    hash = await hashOf(request, "demo-leaky");
  });

  test("chart: the limit as a labelled line, the excess shaded, truth beside belief", async ({ page }) => {
    await openWithViolation(page, hash);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("demo-leaky");
    await expect(page.getByTestId("key-hash")).toHaveText(hash);
    await expect(page.getByTestId("status-badge")).toHaveAttribute("data-status", /^(exceeding|exceeded)$/);

    const chart = page.getByTestId("concurrency-chart");
    // The limit line is drawn flat at the limit (the demo never changes it) and labelled with it.
    const label = chart.getByTestId("limit-label");
    await expect(label).toHaveCount(1);
    await expect(label).toHaveText(`limit ${LEAKY_LIMIT}`);
    const d = await chart.locator(".limit-line path.recharts-curve").first().getAttribute("d");
    const ys = [...(d ?? "").matchAll(/[ML]\s*[\d.]+[ ,]([\d.]+)/g)].map((m) => Number(m[1]));
    expect(ys.length).toBeGreaterThan(1);
    expect(new Set(ys.map((y) => y.toFixed(1))).size).toBe(1);
    expect(Math.abs(Number(await label.getAttribute("y")) + 6 - ys[0])).toBeLessThan(1);
    // The excess above the limit is filled and each stretch of it banded.
    await expect(chart.locator(".violation-area path").first()).toBeAttached();
    await expect(page.getByTestId("peak-summary")).toContainText(/above the limit/);
    const peak = Number((await page.getByTestId("peak-summary").locator("strong").first().innerText()).trim());
    expect(peak).toBeGreaterThan(LEAKY_LIMIT);

    // "Now": Inflight's truth and LiteLLM's belief, each labelled, against the limit.
    await expect(page.getByTestId("now-truth")).toContainText("Truth · Inflight");
    await expect(page.getByTestId("now-truth")).toContainText(`/ ${LEAKY_LIMIT}`);
    await expect(page.getByTestId("now-belief")).toContainText("Belief · LiteLLM");
    await expect(page.getByTestId("now-belief")).toContainText(/sampled/);
    await expect(page.getByRole("list", { name: "Chart legend" })).toContainText("Provisional");
  });

  test("the range lives in the URL: a preset, a custom range and a drag-zoom survive a visit", async ({ page, context }) => {
    await openWithViolation(page, hash);
    await page.getByRole("radio", { name: "6h" }).click();
    await expect(page).toHaveURL(/[?&]range=6h(&|$)/);
    await expect(page.getByTestId("range-caption")).toContainText("15 s buckets");
    await page.reload();
    await expect(page.getByRole("radio", { name: "6h" })).toHaveAttribute("aria-checked", "true");
    await expect(page.getByTestId("range-caption")).toContainText("15 s buckets");

    // A custom range, typed in UTC; the link opens the same range elsewhere.
    const to = Math.floor(Date.now() / 1000) * 1000 - 60_000;
    const from = to - 10 * 60_000;
    const utc = (ms: number) => new Date(ms).toISOString().replace("T", " ").slice(0, 19);
    await page.getByLabel("From (UTC)").fill(utc(from));
    await page.getByLabel("To (UTC)").fill(utc(to));
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(page).toHaveURL(new RegExp(`[?&]range=custom&from=${from}&to=${to}(&|$)`));
    const other = await context.newPage();
    await other.goto(page.url());
    await expect(other.getByLabel("From (UTC)")).toHaveValue(utc(from));
    await expect(other.getByLabel("To (UTC)")).toHaveValue(utc(to));
    await expect(other.getByTestId("live-state")).toContainText("Custom range");
    await expect(other.getByRole("radio", { checked: true })).toHaveCount(0);
    await other.close();

    // Dragging across the chart zooms to what the drag covered.
    await page.getByRole("radio", { name: "15m" }).click();
    await expect(page).toHaveURL(/[?&]range=15m(&|$)/);
    await expect(page.getByTestId("range-caption")).toContainText("1 s buckets");
    await expect(page.getByTestId("range-caption")).not.toContainText("loading");
    const grid = (await page.getByTestId("concurrency-chart").locator(".recharts-cartesian-grid").boundingBox())!;
    const y = grid.y + grid.height / 2;
    await page.mouse.move(grid.x + grid.width * 0.3, y);
    await page.mouse.down();
    await page.mouse.move(grid.x + grid.width * 0.6, y, { steps: 10 });
    await page.mouse.up();
    await expect(page).toHaveURL(/[?&]range=custom&from=\d+&to=\d+/);
    const zoomed = new URL(page.url()).searchParams;
    const span = Number(zoomed.get("to")) - Number(zoomed.get("from"));
    // About 30% of 15 minutes (the live range may move a little while dragging).
    expect(span).toBeGreaterThan(2 * 60_000);
    expect(span).toBeLessThan(8 * 60_000);
    await page.reload();
    await expect(page.getByTestId("live-state")).toContainText("Custom range");
    await expect(page.getByLabel("From (UTC)")).toHaveValue(utc(Number(zoomed.get("from"))));
    await expect(page.getByLabel("To (UTC)")).toHaveValue(utc(Number(zoomed.get("to"))));
  });

  test("clicking the chart's peak lists the requests in flight there, which export as CSV and JSON", async ({ page }) => {
    await openWithViolation(page, hash);
    // Frozen, the peak stays where it was found.
    await page.getByRole("button", { name: "Pause: stop following the present" }).click();
    await expect(page).toHaveURL(/[?&]live=0&at=\d+/);
    // Zoom to a minute around the peak, so each 1 s bucket is wide enough to point at exactly.
    const peakMs = Number(await page.locator(".peak-marker circle").getAttribute("x"));
    await page.goto(`/keys/${hash}?range=custom&from=${peakMs - 30_000}&to=${peakMs + 30_000}`);
    const dot = page.locator(".peak-marker circle");
    await expect(dot).toBeVisible();
    const b = (await dot.boundingBox())!;
    // As a person does: point at the peak (its tooltip shows), then click.
    await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2);
    await expect(page.getByTestId("chart-tooltip")).toContainText("Click for the requests in flight");
    await page.mouse.down();
    await page.mouse.up();

    const evidence = page.getByTestId("evidence");
    await expect(evidence.getByTestId("evidence-caption")).toContainText(`limit ${LEAKY_LIMIT}`);
    // The bucket clicked is the peak's.
    expect(await page.locator(".selected-bucket path").getAttribute("x1")).toBe(await dot.getAttribute("x"));
    const rows = evidence.getByTestId("evidence-row");
    const n = await rows.count();
    expect(n).toBeGreaterThanOrEqual(LEAKY_LIMIT + 1);
    await expect(evidence.getByTestId("evidence-caption")).toContainText(new RegExp(`^${n} requests in flight at \\d{4}-\\d{2}-\\d{2} [\\d:.]+ UTC`));
    await expect(evidence.getByTestId("evidence-caption")).toContainText(`(${n - LEAKY_LIMIT} over)`);

    // Keyboard: the same evidence without the mouse.
    await evidence.getByRole("button", { name: "Close the evidence table" }).click();
    await expect(evidence).toHaveCount(0);
    await page.getByRole("button", { name: "Show requests at the peak" }).focus();
    await page.keyboard.press("Enter");
    await expect(rows).toHaveCount(n);

    const ids = await rows.locator("td:first-child").allInnerTexts();
    const evCsv = await download(page, "Export evidence as CSV");
    expect(evCsv.name).toMatch(/^inflight-demo-leaky-evidence-\d{8}T\d{6}Z\.csv$/);
    const evLines = evCsv.text.trimEnd().split("\r\n");
    expect(evLines[0]).toBe("request_id,start_utc,end_utc,duration_ms,model,status");
    expect(evLines.slice(1).map((l) => l.split(",")[0])).toEqual(ids);
    const evJson = JSON.parse((await download(page, "Export evidence as JSON")).text);
    expect(evJson.key.hash).toBe(hash);
    expect(evJson.peak).toBe(n);
    expect(evJson.requests.map((r: { requestId: string }) => r.requestId)).toEqual(ids);

    const sCsv = await download(page, "Export series as CSV");
    expect(sCsv.name).toMatch(/^inflight-demo-leaky-series-\d{8}T\d{6}Z\.csv$/);
    const sLines = sCsv.text.trimEnd().split("\r\n");
    expect(sLines[0]).toBe(
      "bucket_start_utc,bucket_start_ms,in_flight_truth,in_flight_litellm_belief,max_parallel_requests,admitted," +
        "rejected_429_max_parallel_requests,rejected_429_rpm,rejected_429_tpm,rejected_429_other,provisional",
    );
    const cells = sLines.slice(1).map((l) => l.split(","));
    expect(cells.length).toBeGreaterThanOrEqual(60); // the minute around the peak, in 1 s buckets
    expect(cells.some((c) => Number(c[2]) > LEAKY_LIMIT && c[4] === String(LEAKY_LIMIT))).toBe(true);
    const sJson = JSON.parse((await download(page, "Export series as JSON")).text);
    expect(sJson.key.hash).toBe(hash);
    expect(sJson.limits[0].maxParallelRequests).toBe(LEAKY_LIMIT);
    expect(sJson.points).toHaveLength(cells.length);
    expect(sJson.points.some((p: { inFlight: number; limit: number }) => p.inFlight > p.limit)).toBe(true);
  });

  test("the newest edge draws live truth from the tracker until spend logs settle it; the Live panel says how well the two agree", async ({ page }) => {
    // The demo mounts the tracker: the last seconds come live, dotted, over the provisional window.
    await page.setViewportSize({ width: 1440, height: 900 });
    await openWithViolation(page, hash);
    const chart = page.getByTestId("concurrency-chart");
    await expect(chart.locator(".live-line path.recharts-curve").first()).toBeAttached({ timeout: 30_000 });
    await expect(page.getByRole("list", { name: "Chart legend" })).toContainText("Live — the tracker callback, until spend logs settle it");
    // Its start lies at or after the provisional window's start: never over settled truth.
    const hatch = (await chart.locator(".provisional-area").boundingBox())!;
    const liveD = (await chart.locator(".live-line path.recharts-curve").first().getAttribute("d")) ?? "";
    const liveXs = [...liveD.matchAll(/[ML]\s*([\d.]+)[ ,]/g)].map((m) => Number(m[1]));
    expect(Math.min(...liveXs)).toBeGreaterThanOrEqual(hatch.x - (await chart.boundingBox())!.x - 60);
    await page.screenshot({ path: path.join(SCREENS_DIR, "key-detail-live-edge.png"), fullPage: true });

    // The header's Live pill opens its panel: pairs compared, agreement, lost ends.
    await page.getByTestId("health-tracker").click();
    const panel = page.getByTestId("tracker-panel");
    await expect(panel).toBeVisible();
    await expect(panel.getByTestId("tracker-agreement")).toHaveText(/^\d+(\.\d)?% of [\d,]+ requests agree within 1 s$/, { timeout: 60_000 });
    await expect(panel).toContainText("Lost ends");
    await expect(panel).toContainText("One side only");
    await page.screenshot({ path: path.join(SCREENS_DIR, "tracker-panel.png") });
    await page.keyboard.press("Escape");
    await expect(panel).toBeHidden();
  });

  test("says why when there is nothing to show", async ({ page }) => {
    await page.goto(`/keys/${"0".repeat(64)}`);
    await expect(page.getByText("Inflight does not know this key")).toBeVisible();
    await expect(page.getByRole("link", { name: "Back to all keys" })).toBeVisible();
    // Hours before the demo started: no traffic, said plainly instead of an empty axis.
    const to = Date.now() - 3 * 3_600_000;
    await page.goto(`/keys/${hash}?range=custom&from=${to - 3_600_000}&to=${to}`);
    await expect(page.getByText("No traffic from this key in this range")).toBeVisible();
    await expect(page.getByTestId("concurrency-chart")).toHaveCount(0);
  });

  test("screenshots of the detail page in light and dark: the key, its chart with limit and legend, the evidence, the theme each shows", async ({ page, request }) => {
    // Once the leak is stored (waited for, when this test runs alone), frame the chart from the key's first traffic to now.
    await openWithViolation(page, hash);
    const to = Date.now();
    const res = await request.get(`/api/keys/${hash}/series?from=${to - 15 * 60_000}&to=${to}`);
    const { points } = (await res.json()) as { points: { t: number; inFlight: number; rejected: number }[] };
    const first = points.find((p) => p.inFlight > 0 || p.rejected > 0)!.t;
    const range = `range=custom&from=${first - 20_000}&to=${to}`;
    const sizes = [
      { suffix: "", width: 1440, height: 900 },
      { suffix: "-1280", width: 1280, height: 800 },
    ];
    for (const theme of ["light", "dark"] as const) {
      await page.addInitScript((t) => localStorage.setItem("inflight-theme", t), theme);
      for (const { suffix, width, height } of sizes) {
        await page.setViewportSize({ width, height });
        await openWithViolation(page, hash, range);
        // Who the key is.
        await expect(page.getByRole("heading", { level: 1 })).toHaveText("demo-leaky");
        await expect(page.getByTestId("key-hash")).toHaveText(hash);
        await expect(page.getByTestId("status-badge")).toHaveAttribute("data-status", /^(exceeding|exceeded)$/);
        await expect(page.getByRole("heading", { level: 2, name: "Concurrency" })).toBeVisible();
        // The chart: the limit as a labelled line, the excess shaded, the peak marked, inside the viewport's width.
        const chart = page.getByTestId("concurrency-chart");
        await expect(chart).toBeVisible();
        await expect(chart.getByTestId("limit-label")).toHaveText(`limit ${LEAKY_LIMIT}`);
        // The limit line (flat: no height, so "visible" does not apply) runs across the plot.
        const limitPath = chart.locator(".limit-line path.recharts-curve").first();
        await expect(limitPath).toBeAttached();
        const xs = [...((await limitPath.getAttribute("d")) ?? "").matchAll(/[ML]\s*([\d.]+)[ ,]/g)].map((m) => Number(m[1]));
        const grid = (await chart.locator(".recharts-cartesian-grid").boundingBox())!;
        expect(Math.max(...xs) - Math.min(...xs)).toBeGreaterThan(0.8 * grid.width);
        await expect(chart.locator(".violation-area path").first()).toBeAttached();
        await expect(chart.locator(".peak-marker circle")).toBeVisible();
        const box = (await chart.boundingBox())!;
        expect(box.height).toBeGreaterThan(150);
        expect(box.x + box.width).toBeLessThanOrEqual(width);
        // Its legend names the truth, the belief, the limit and the shading.
        const legend = page.getByRole("list", { name: "Chart legend" });
        await expect(legend).toContainText("In flight — Inflight's truth");
        await expect(legend).toContainText("LiteLLM's belief");
        await expect(legend).toContainText("Limit (max_parallel_requests)");
        await expect(legend).toContainText("Above the limit (shaded)");
        await expect(page.getByTestId("peak-summary")).toContainText(/above the limit/);
        // The requests in flight at the peak, more of them than the limit.
        await page.getByRole("button", { name: "Show requests at the peak" }).click();
        await expect(page.getByTestId("evidence-row").first()).toBeVisible();
        expect(await page.getByTestId("evidence-row").count()).toBeGreaterThan(LEAKY_LIMIT);
        await expect(page.getByTestId("evidence-caption")).toContainText(`limit ${LEAKY_LIMIT}`);
        await expect(page.getByTestId("health-redis")).toHaveAttribute("data-ok", "true");
        await expect(page.getByTestId("now-belief")).toContainText("sampled");
        const panel = page.locator("section[aria-labelledby='chart-title']");
        await expectTheme(page, theme, [panel, page.getByTestId("now-truth")]);
        // The chart's own ink follows the theme: its axis labels are readable on its panel.
        const tick = chart.locator(".recharts-cartesian-axis-tick-value").first();
        const ratio = contrast(await luminance(tick, "fill"), await luminance(panel, "backgroundColor"));
        expect(ratio, `axis labels against the chart panel in the ${theme} theme`).toBeGreaterThanOrEqual(4.5);
        expect(await pageOverflowX(page)).toBe(0);
        await page.mouse.move(0, 0);
        await page.screenshot({ path: path.join(SCREENS_DIR, `key-detail-${theme}${suffix}.png`), fullPage: true });
      }
    }
  });
});
