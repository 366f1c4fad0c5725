import { test, expect, type Page } from "@playwright/test";
import { readFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";

// A second server started by ./dev.sh on synthetic history
// (`backlens demo-data --projects 24 --weeks 16 --seed 7`).
const history = process.env.BACKLENS_E2E_HISTORY_URL ?? "";
const shots = join(__dirname, "..", "screenshots");
mkdirSync(shots, { recursive: true });

async function hydrated(page: Page) {
  await page.waitForFunction(() => document.documentElement.dataset.hydrated === "true");
}

/** The ISO 8601 week of a date, e.g. 2026-W47. */
function isoWeek(date: Date): string {
  const t = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const day = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - day); // the Thursday of the week
  const yearStart = Date.UTC(t.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((t.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${t.getUTCFullYear()}-W${String(week).padStart(2, "0")}`;
}

test.describe("weekly review", () => {
  test.skip(history === "", "BACKLENS_E2E_HISTORY_URL is not set (run through ./dev.sh)");

  test("a team lead switches weeks and exports the review for the meeting", async ({ page }) => {
    const current = isoWeek(new Date());
    const lastWeek = isoWeek(new Date(Date.now() - 7 * 86_400_000));

    await page.goto(`${history}/weekly`);
    await hydrated(page);
    await expect(page.locator("#week-label")).toHaveText(current);
    await expect(page.getByRole("heading", { name: "Weekly review" })).toBeVisible();
    await expect(page.locator("#permalink")).toHaveAttribute("href", `/weekly/${current}`);
    await expect(page.locator("#next-week")).toHaveCount(0);

    // Last week: a full week of reviews.
    await page.locator("#previous-week").click();
    await expect(page).toHaveURL(new RegExp(`/weekly/${lastWeek}$`));
    await expect(page.locator("#week-label")).toHaveText(lastWeek);
    const reviews = Number(await page.locator("#tile-reviews").textContent());
    expect(reviews).toBeGreaterThan(0);
    await expect(page.locator("#per-project tbody tr").first()).toBeVisible();
    await expect(page.locator("#regressions, #improvements")).toHaveCount(2);
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.screenshot({ path: join(shots, "weekly-laptop.png"), fullPage: true });
    // A projector: 1280×720 at a distance, so text must stay large.
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.screenshot({ path: join(shots, "weekly-projector.png") });
    const bodySize = await page.locator(".weekly-report").evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(bodySize).toBeGreaterThanOrEqual(16);

    // Back and forth.
    await page.locator("#previous-week").click();
    await expect(page.locator("#week-label")).not.toHaveText(lastWeek);
    await page.locator("#next-week").click();
    await expect(page.locator("#week-label")).toHaveText(lastWeek);

    // Markdown for the meeting document.
    const [md] = await Promise.all([page.waitForEvent("download"), page.locator("#export-md").click()]);
    expect(md.suggestedFilename()).toBe(`backlens-weekly-${lastWeek}.md`);
    const markdown = readFileSync((await md.path())!, "utf8");
    expect(markdown.startsWith(`# Weekly review ${lastWeek}`)).toBeTruthy();
    for (const heading of [
      "## Biggest regressions",
      "## Biggest improvements",
      "## New critical and high findings",
      "## Not reviewed for two weeks",
      "## Suppressions expiring soon",
      "## Changes per project and category",
    ]) {
      expect(markdown).toContain(heading);
    }
    expect(markdown).toContain(`${reviews} reviews this week`);

    // CSV: one row per project.
    const [csv] = await Promise.all([page.waitForEvent("download"), page.locator("#export-csv").click()]);
    expect(csv.suggestedFilename()).toBe(`backlens-weekly-${lastWeek}.csv`);
    const rows = readFileSync((await csv.path())!, "utf8").trim().split("\r\n");
    expect(rows[0].startsWith("week,project_id,project,grade,score,score_previous_week,change")).toBeTruthy();
    expect(rows.length).toBe(1 + 24);
    for (const row of rows.slice(1)) expect(row.startsWith(`${lastWeek},`)).toBeTruthy();

    // On paper: no navigation, no buttons.
    await page.emulateMedia({ media: "print" });
    await expect(page.locator("#export-md")).toBeHidden();
    await expect(page.locator("header nav").first()).toBeHidden();
    await page.screenshot({ path: join(shots, "weekly-print.png"), fullPage: true });
    await page.emulateMedia({ media: "screen" });
  });

  test("a week that is not a week gets a clear error page", async ({ page }) => {
    const bad = await page.goto(`${history}/weekly/2026-W99`);
    expect(bad?.status()).toBe(400);
    await expect(page.locator("#weekly-error")).toContainText("has no week 99");
    const future = await page.goto(`${history}/weekly/2999-W01`);
    expect(future?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "No review for that week" })).toBeVisible();
  });
});
