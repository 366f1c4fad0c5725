import { test, expect, type Page } from "@playwright/test";
import { readFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import Ajv from "ajv-draft-04";
// The SARIF 2.1.0 JSON schema as Microsoft's SARIF SDK ships it.
import sarifSchema from "@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json";

// Written by `backlens demo-repos` before the server starts (see dev.sh).
const repos = process.env.BACKLENS_E2E_REPOS ?? "";
const shots = join(__dirname, "..", "screenshots");
mkdirSync(shots, { recursive: true });

async function shot(page: Page, name: string) {
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

/** The line of the demo API where SQL is concatenated with request input. */
function sqlInjectionLine(): number {
  const text = readFileSync(join(repos, "orders-api/src/routes/orders.ts"), "utf8");
  const index = text.split("\n").findIndex((l) => l.includes("SELECT") && l.includes("req.query"));
  expect(index, "the demo repository has its concatenated query").toBeGreaterThanOrEqual(0);
  return index + 1;
}

/** Waits until the page has hydrated, so clicks go to the app, not a full form post. */
async function hydrated(page: Page) {
  await page.waitForFunction(() => document.documentElement.dataset.hydrated === "true");
}

test("a team lead adds a repository, watches its review finish and reads the scorecard", async ({ page }) => {
  expect(repos, "BACKLENS_E2E_REPOS is set").not.toBe("");
  const ordersApi = join(repos, "orders-api");

  await page.goto("/");
  await hydrated(page);
  await expect(page.getByRole("heading", { name: "Portfolio" })).toBeVisible();
  await expect(page.getByText("No projects yet")).toBeVisible();
  await shot(page, "01-portfolio-empty");

  // A marker that a full page load would wipe: the review must finish without one.
  await page.evaluate(() => ((window as any).__noReload = true));

  // Bad input gets a clear message and stores nothing.
  await page.getByLabel("Repository path").fill("/definitely/not/here");
  await page.getByRole("button", { name: "Add project" }).click();
  await expect(page.locator("#add-project-error")).toContainText("No such directory");
  await page.getByLabel("Repository path").fill(join(repos, ".."));
  await page.getByRole("button", { name: "Add project" }).click();
  await expect(page.locator("#add-project-error")).toContainText("not a git repository");
  await expect(page.getByText("No projects yet")).toBeVisible();
  await shot(page, "02-portfolio-bad-path");

  // The demo Express API.
  await page.getByLabel("Repository path").fill(ordersApi);
  await page.getByRole("button", { name: "Add project" }).click();
  await expect(page.getByRole("status")).toContainText("Added orders-api");
  const row = page.locator('tr[data-project="orders-api"]');
  await expect(row).toBeVisible();

  // The job goes from queued/running to succeeded while we watch.
  await expect(row.locator('[data-job-state="succeeded"]')).toBeVisible({ timeout: 45_000 });
  expect(await page.evaluate(() => (window as any).__noReload)).toBe(true);
  const grade = await row.locator("[data-grade]").getAttribute("data-grade");
  expect(["D", "F"]).toContain(grade);
  await shot(page, "03-portfolio-reviewed");

  // The same repository again is refused.
  await page.getByLabel("Repository path").fill(ordersApi);
  await page.getByRole("button", { name: "Add project" }).click();
  await expect(page.locator("#add-project-error")).toContainText("already in the portfolio");

  // The scorecard.
  await row.getByRole("link", { name: "orders-api" }).click();
  await expect(page.getByRole("heading", { name: "orders-api", level: 1 })).toBeVisible();
  await expect(page.locator("[data-grade]").first()).toHaveAttribute("data-grade", grade!);
  await expect(page.locator("#grade-explanation")).toContainText("How this grade was computed");
  const line = sqlInjectionLine();
  const finding = page.locator(`li[data-check="SEC-SQLI"][data-location^="src/routes/orders.ts:${line}"]`);
  await expect(finding).toBeVisible();
  await expect(finding).toContainText("critical");
  await expect(finding.locator("pre")).toContainText("req.query.customer");
  // Checks this version does not run are shown as such, never as passed.
  await expect(page.locator('[data-check-row="SEC-CORS"]')).toHaveAttribute("data-verdict", "not_applicable");
  await expect(page.locator('[data-check-row="SEC-SQLI"]')).toHaveAttribute("data-verdict", "fail");
  await expect(page.locator('[data-check-row="DATA-MIGRATIONS"]')).toHaveAttribute("data-verdict", "fail");
  // A hard-coded secret is shown masked, never in full.
  const secret = page.locator('li[data-check="SEC-SECRET"]').first();
  await expect(secret).toBeVisible();
  await expect(secret.locator("pre")).toContainText("…");
  const auth = readFileSync(join(ordersApi, "src/auth.ts"), "utf8");
  const value = /JWT_SECRET\s*=\s*"([^"]+)"/.exec(auth)?.[1] ?? "";
  expect(value.length).toBeGreaterThan(8);
  expect(await page.content()).not.toContain(value);
  await shot(page, "04-project-scorecard");

  // The review downloads as SARIF 2.1.0 that passes the official schema
  // (whose language-tag pattern is not valid under the u flag, hence unicodeRegExp: false).
  const href = await page.locator("#download-sarif").getAttribute("href");
  const response = await page.request.get(href!);
  expect(response.status()).toBe(200);
  expect(response.headers()["content-disposition"]).toContain(".sarif");
  const log = await response.json();
  const validate = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false }).compile(sarifSchema);
  expect(validate(log), JSON.stringify(validate.errors, null, 1)).toBe(true);
  const sqliResult = log.runs[0].results.find((r: any) => r.ruleId === "SEC-SQLI");
  expect(sqliResult.locations[0].physicalLocation.artifactLocation.uri).toBe("src/routes/orders.ts");
  expect(sqliResult.locations[0].physicalLocation.region.startLine).toBe(line);

  // Review now: a new job runs and the page follows it.
  await page.getByRole("button", { name: "Review now" }).click();
  await expect(page.locator("#jobs tr[data-job]")).toHaveCount(2);
  await expect(page.locator("#jobs tr[data-job]").first().locator('[data-job-state="succeeded"]')).toBeVisible({ timeout: 45_000 });
  await expect(page.locator("#findings")).toContainText("unchanged");
  // The trend chart shows both reviews, each with its details on hover.
  await expect(page.locator("#score-trend circle")).toHaveCount(2);
  await expect(page.locator("#score-trend circle title").first()).toContainText(`grade ${grade}`);
  await shot(page, "05-project-rereviewed");
});

test("an unknown page and an unknown project say so", async ({ page }) => {
  const missing = await page.goto("/no/such/page");
  expect(missing?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await page.goto("/projects/987654");
  await expect(page.getByText("There is no project #987654.")).toBeVisible();
});
