import { test, expect, type Page } from "@playwright/test";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

// Runs after 00-first-run.spec.ts, which added orders-api (grade F).
const repos = process.env.BACKLENS_E2E_REPOS ?? "";
const shots = join(__dirname, "..", "screenshots");
mkdirSync(shots, { recursive: true });

async function hydrated(page: Page) {
  await page.waitForFunction(() => document.documentElement.dataset.hydrated === "true");
}

/** Project names in the order the table shows them. */
async function order(page: Page): Promise<string[]> {
  return page.locator("#projects tbody tr[data-project]").evaluateAll((rows) =>
    rows.map((r) => r.getAttribute("data-project") ?? ""),
  );
}

test.describe.configure({ mode: "serial" });

test("the portfolio sorts, filters and searches, and the URL keeps the view", async ({ page }) => {
  // The live feed is opened once the page is interactive.
  const feed = page.waitForRequest((r) => r.url().endsWith("/events/jobs"));
  await page.goto("/");
  await hydrated(page);
  await feed;

  if ((await page.locator('tr[data-project="inventory-service"]').count()) === 0) {
    await page.getByLabel("Repository path").fill(join(repos, "inventory-service"));
    await page.getByRole("button", { name: "Add project" }).click();
    await expect(page.getByRole("status")).toContainText("Added inventory-service");
  }
  const inventory = page.locator('tr[data-project="inventory-service"]');
  // The live feed tells the page when the review ends: no reload.
  await expect(inventory.locator('[data-job-state="succeeded"]')).toBeVisible({ timeout: 45_000 });
  await expect(inventory.locator("[data-category]")).toHaveCount(6);
  await expect(page.locator("#grade-distribution")).toBeVisible();

  // Sort by score: worst first, then best first.
  await page.locator('th a[data-sort="score"]').click();
  await expect(page).toHaveURL(/sort=score/);
  // The URL changes first; the rows follow when the sorted page arrives.
  const before = (first: string, second: string) => async () => {
    const names = await order(page);
    return names.indexOf(first) < names.indexOf(second);
  };
  await expect.poll(before("orders-api", "inventory-service")).toBe(true);
  await expect(page.locator('th[aria-sort="ascending"]')).toContainText("Score");
  await page.locator('th a[data-sort="score"]').click();
  await expect(page).toHaveURL(/dir=desc/);
  await expect.poll(before("inventory-service", "orders-api")).toBe(true);
  await page.screenshot({ path: join(shots, "portfolio-sorted.png"), fullPage: true });

  // Filter by grade F: only failing projects stay, and a reload keeps the filter.
  await page.locator("#filter-grade").selectOption("F");
  await expect(page).toHaveURL(/grade=F/);
  await expect(inventory).toHaveCount(0);
  await expect(page.locator('tr[data-project="orders-api"]')).toBeVisible();
  for (const grade of await page.locator("#projects tbody [data-grade]").evaluateAll((e) => e.map((x) => x.getAttribute("data-grade")))) {
    expect(grade).toBe("F");
  }
  await page.reload();
  await hydrated(page);
  await expect(page.locator("#filter-grade")).toHaveValue("F");
  await expect(inventory).toHaveCount(0);
  await expect(page.locator("#showing")).toContainText("Showing");
  await page.screenshot({ path: join(shots, "portfolio-filtered.png"), fullPage: true });

  // Search narrows by name; a search with no match says so.
  await page.locator("#clear-filters").click();
  await expect(page).toHaveURL(/\/$/);
  await page.locator("#filter-q").fill("invent");
  await expect(page.locator('tr[data-project="orders-api"]')).toHaveCount(0);
  await expect(inventory).toBeVisible();
  await page.locator("#filter-q").fill("no-such-project-anywhere");
  await expect(page.locator("#no-matches")).toBeVisible();
  await page.locator("#filter-q").fill("");
  await expect(inventory).toBeVisible();
});

test("a team is set on the project page and filters the portfolio", async ({ page }) => {
  await page.goto("/");
  await hydrated(page);
  await page.locator('tr[data-project="inventory-service"]').getByRole("link", { name: "inventory-service" }).click();
  await expect(page.getByRole("heading", { name: "inventory-service", level: 1 })).toBeVisible();
  await hydrated(page);

  // The browser keeps names within the server's limit (which the integration tests check).
  await expect(page.locator("#team-input")).toHaveAttribute("maxlength", "60");

  await page.locator("#team-input").fill("warehouse");
  await page.locator("#team-form").getByRole("button", { name: "Save" }).click();
  await expect(page.locator("#team-saved")).toContainText("Saved: warehouse");

  await page.goto("/");
  await hydrated(page);
  await expect(page.locator('tr[data-project="inventory-service"] [data-team="warehouse"]')).toBeVisible();
  await page.locator("#filter-team").selectOption("warehouse");
  await expect(page).toHaveURL(/team=warehouse/);
  await expect(page.locator('tr[data-project="orders-api"]')).toHaveCount(0);
  await expect(page.locator('tr[data-project="inventory-service"]')).toBeVisible();
});

test("findings filter by category, severity and status", async ({ page }) => {
  await page.goto("/");
  await hydrated(page);
  await page.locator('tr[data-project="orders-api"]').getByRole("link", { name: "orders-api" }).click();
  await hydrated(page);
  const cards = page.locator("#findings li[data-check]");
  await expect(page.getByRole("heading", { name: "orders-api", level: 1 })).toBeVisible();
  await expect(cards.first()).toBeVisible();
  const all = await cards.count();
  expect(all).toBeGreaterThan(1);

  await page.locator("#filter-severity").selectOption("critical");
  await expect(page.locator("#findings-showing")).not.toContainText(`${all} of ${all}`);
  const critical = await cards.count();
  expect(critical).toBeGreaterThan(0);
  expect(critical).toBeLessThan(all);
  for (const text of await cards.locator("[data-severity]").allTextContents()) {
    expect(text.toLowerCase()).toContain("critical");
  }

  await page.locator("#filter-severity").selectOption("");
  await page.locator("#filter-category").selectOption("SEC");
  for (const check of await cards.evaluateAll((e) => e.map((x) => x.getAttribute("data-check")))) {
    expect(check).toMatch(/^SEC-/);
  }
  await page.locator("#filter-category").selectOption("");
  await page.locator("#filter-status").selectOption("suppressed");
  for (const s of await cards.evaluateAll((e) => e.map((x) => x.getAttribute("data-suppressed")))) {
    expect(s).toBe("true");
  }
  await page.locator("#filter-status").selectOption("all");
  await expect(cards).toHaveCount(all);
  await page.locator("#filter-severity").selectOption("critical");
  await page.locator("#findings").screenshot({ path: join(shots, "project-findings-filtered.png") });
});

test("trend charts render on the server and read out values on hover", async ({ page }) => {
  await page.goto("/");
  await hydrated(page);
  // Portfolio: a sparkline per reviewed project and the weekly trend.
  await expect(page.locator('tr[data-project="orders-api"] svg[data-sparkline]')).toBeVisible();
  await expect(page.locator("#portfolio-trends #portfolio-score-trend svg")).toBeVisible();
  await page.locator("#portfolio-score-trend rect[data-slot]").last().hover();
  await expect(page.locator("#portfolio-score-trend [data-chart-readout]")).toContainText("Overall");
  await page.locator("#portfolio-trends").screenshot({ path: join(shots, "portfolio-trends.png") });

  await page.locator('tr[data-project="orders-api"]').getByRole("link", { name: "orders-api" }).click();
  await hydrated(page);
  const chart = page.locator("#category-trend");
  await expect(chart.locator('g[data-series="Overall"] polyline')).toHaveCount(1);
  await expect(chart.locator('g[data-series="Security"]')).toHaveCount(1);
  await expect(page.locator("#findings-flow svg")).toBeVisible();
  await expect(page.locator("#duration-trend svg")).toBeVisible();
  await chart.locator("rect[data-slot]").first().hover();
  const readout = chart.locator("[data-chart-readout]");
  await expect(readout).toContainText("Overall");
  await expect(readout).toContainText("Security");
  await page.locator("#trends").screenshot({ path: join(shots, "project-trends.png") });
  await page.mouse.move(0, 0);
  await expect(readout).toHaveCount(0);
  // The bar chart has the same readout and legend.
  const flow = page.locator("#findings-flow");
  await flow.locator("rect[data-slot]").last().hover();
  await expect(flow.locator("[data-chart-readout]")).toContainText("Opened");
  await expect(flow.locator("[data-chart-readout]")).toContainText("Fixed");
  await expect(flow.locator("figcaption")).toContainText("Opened");
  await flow.screenshot({ path: join(shots, "project-findings-flow-hover.png") });
});
