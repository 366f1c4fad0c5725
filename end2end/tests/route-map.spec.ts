import { test, expect, type Page } from "@playwright/test";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

// Runs after slice.spec.ts (see playwright.config.ts), which added the demo
// orders-api and waited for its review.
const shots = join(__dirname, "..", "screenshots");
mkdirSync(shots, { recursive: true });

async function hydrated(page: Page) {
  await page.waitForFunction(() => document.documentElement.dataset.hydrated === "true");
}

test("the project page shows the route map of the latest review", async ({ page }) => {
  await page.goto("/");
  await hydrated(page);
  const row = page.locator('tr[data-project="orders-api"]');
  await expect(row).toBeVisible();
  await row.getByRole("link", { name: "orders-api" }).click();
  await expect(page.getByRole("heading", { name: "orders-api", level: 1 })).toBeVisible();

  const section = page.locator("#route-map");
  await expect(section.getByRole("heading", { name: "Route map" })).toBeVisible();
  await expect(section.getByTestId("frameworks")).toContainText("Express");
  await expect(section.getByTestId("route-summary")).toContainText("authenticated");

  // The guarded order routes and the open login route, with their marks.
  const create = section.locator('tr[data-method="POST"][data-path="/orders"]');
  await expect(create).toBeVisible();
  const auth = create.locator("[data-status]").first();
  await expect(auth).toHaveAttribute("data-status", "yes");
  await expect(auth).toHaveAttribute("title", /requireAuth/);
  await expect(create).toContainText("src/routes/orders.ts:");

  const login = section.locator('tr[data-method="POST"][data-path="/users/login"]');
  await expect(login.locator("[data-status]").first()).toHaveAttribute("data-status", "no");
  // Rate limit column: no limiter anywhere in the demo API.
  await expect(login.locator("[data-status]").nth(2)).toHaveAttribute("title", /no rate limiter/);

  // The checks the route map decides are listed with the rest of the checklist.
  await expect(page.getByText("SEC-RATELIMIT").first()).toBeVisible();

  await section.scrollIntoViewIfNeeded();
  await section.screenshot({ path: join(shots, "route-map.png") });
  await page.screenshot({ path: join(shots, "route-map-page.png"), fullPage: true });
});
