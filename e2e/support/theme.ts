import { expect, type Locator, type Page } from "@playwright/test";

/**
 * The relative luminance (0 black … 1 white) of an element's computed background colour, or of its
 * text colour: what the eye gets, whatever notation the CSS used (Tailwind 4 writes oklch). The
 * browser converts it by painting one canvas pixel with it.
 */
export function luminance(el: Locator, what: "backgroundColor" | "color" | "fill"): Promise<number> {
  return el.evaluate((node, prop) => {
    const css = getComputedStyle(node)[prop];
    const ctx = Object.assign(document.createElement("canvas"), { width: 1, height: 1 }).getContext("2d", { willReadFrequently: true })!;
    ctx.fillStyle = "#808080"; // an unparsable colour would leave this, which no theme uses
    ctx.fillStyle = css;
    ctx.fillRect(0, 0, 1, 1);
    const [r, g, b, a] = ctx.getImageData(0, 0, 1, 1).data;
    if (a === 0) throw new Error(`${prop} is transparent (${css})`);
    const lin = (v: number) => ((v /= 255) <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  }, what);
}

/**
 * The page shows `theme` for real: the class on <html> and its color-scheme, and the page's
 * background and text (and each of `surfaces`, such as a card or the chart's panel) are measurably
 * dark or light, not just classed so.
 */
export async function expectTheme(page: Page, theme: "light" | "dark", surfaces: Locator[] = []) {
  const html = page.locator("html");
  const darkClass = /(^|\s)dark(\s|$)/;
  if (theme === "dark") await expect(html).toHaveClass(darkClass);
  else await expect(html).not.toHaveClass(darkClass);
  await expect(html).toHaveCSS("color-scheme", theme);
  const body = page.locator("body");
  const [bg, fg] = [await luminance(body, "backgroundColor"), await luminance(body, "color")];
  const dark = (v: number) => v < 0.05;
  const light = (v: number) => v > 0.6;
  const [bgOk, fgOk] = theme === "dark" ? [dark(bg), light(fg)] : [light(bg), dark(fg)];
  expect(bgOk, `page background luminance ${bg.toFixed(3)} in the ${theme} theme`).toBe(true);
  expect(fgOk, `page text luminance ${fg.toFixed(3)} in the ${theme} theme`).toBe(true);
  for (const s of surfaces) {
    const v = await luminance(s, "backgroundColor");
    expect(theme === "dark" ? dark(v) : light(v), `${s} background luminance ${v.toFixed(3)} in the ${theme} theme`).toBe(true);
  }
}

/** WCAG contrast ratio of two luminances (1 … 21); body text wants 4.5. */
export function contrast(a: number, b: number): number {
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}

/** No horizontal scrollbar on the page: nothing sticks out to the right at this width. */
export function pageOverflowX(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}
