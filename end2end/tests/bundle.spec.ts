import { test, expect, type Page } from "@playwright/test";

// The browser bundle as Chromium receives it: the wasm with brotli, and the
// rarely opened pages (settings, import, a review) as lazy routes whose code
// comes in wasm files of their own (`cargo leptos build --split`).

async function hydrated(page: Page) {
  await page.waitForFunction(() => document.documentElement.dataset.hydrated === "true");
}

test("the wasm arrives compressed with brotli", async ({ page }) => {
  const wasm = page.waitForResponse((r) => new URL(r.url()).pathname === "/pkg/backlens.wasm");
  await page.goto("/");
  const response = await wasm;
  expect(response.status()).toBe(200);
  const headers = await response.allHeaders();
  expect(headers["content-encoding"]).toBe("br");
  expect(headers["vary"] ?? "").toMatch(/accept-encoding/i);
  await hydrated(page);
});

test("a lazy page loads its own wasm when navigated to, without a page load", async ({ page }) => {
  const split: string[] = [];
  page.on("response", (r) => {
    const path = new URL(r.url()).pathname;
    if (/^\/pkg\/.*\.wasm$/.test(path) && path !== "/pkg/backlens.wasm") split.push(path);
  });
  await page.goto("/");
  await hydrated(page);
  // Only the main wasm so far: the portfolio is not a lazy route.
  expect(split).toEqual([]);
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));

  await page.getByRole("navigation").getByRole("link", { name: "Settings" }).click();
  await expect(page).toHaveURL(/\/settings$/);
  await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();
  await expect(page.locator("#etag-hit-rate")).toBeVisible();
  expect(split.some((p) => p.includes("settings_route"))).toBe(true);

  await page.getByRole("navigation").getByRole("link", { name: "Import from GitHub" }).click();
  await expect(page).toHaveURL(/\/import$/);
  await expect(page.getByRole("heading", { level: 1, name: "Import from GitHub" })).toBeVisible();
  expect(split.some((p) => p.includes("import_route"))).toBe(true);

  // Back to an eager page; the app never reloaded.
  await page.getByRole("navigation").getByRole("link", { name: "Portfolio" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.locator("#projects")).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
});

test("a lazy page opened directly hydrates and answers in the page", async ({ page }) => {
  await page.goto("/import");
  await hydrated(page);
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 7));
  await page.getByLabel("Organisation or user").fill("not an owner!");
  await page.getByRole("button", { name: "List repositories" }).click();
  // The server's answer shown by the hydrated page, not by a full form post.
  await expect(page.locator("#import-error")).toBeVisible();
  await expect(page).toHaveURL(/\/import$/);
  expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(7);
});
