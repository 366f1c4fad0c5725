import { test, expect, type Page } from "@playwright/test";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

// The history server started by ./dev.sh: `backlens demo-data --projects 200
// --weeks 16 --seed 7`, enough projects for several pages.
const history = process.env.BACKLENS_E2E_HISTORY_URL ?? "";
const shots = join(__dirname, "..", "screenshots");
mkdirSync(shots, { recursive: true });

async function hydrated(page: Page) {
  await page.waitForFunction(() => document.documentElement.dataset.hydrated === "true");
}

function rows(page: Page) {
  return page.locator("#projects tbody tr[data-project]");
}

test.describe("paged portfolio and weekly review", () => {
  test.skip(history === "", "BACKLENS_E2E_HISTORY_URL is not set (run through ./dev.sh)");

  test("the portfolio pages on the server and page 2 keeps the filter", async ({ page }) => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`${history}/`);
    await hydrated(page);
    const pager = page.locator("#portfolio-pager");
    await expect(pager.locator('[data-pager="label"]')).toContainText("projects 1–50 of 200");
    await expect(rows(page)).toHaveCount(50);
    // The summary still counts every project.
    await expect(page.getByLabel("Summary")).toContainText("200");
    await page.screenshot({ path: join(shots, "portfolio-paged.png"), fullPage: true });

    // Pick a language with more than one page of projects.
    const languages = await page.locator("#filter-language option").evaluateAll((o) =>
      o.map((x) => (x as HTMLOptionElement).value).filter((v) => v !== ""),
    );
    let chosen = "";
    for (const language of languages) {
      await page.locator("#filter-language").selectOption(language);
      await expect(page).toHaveURL(new RegExp(`language=${language}`));
      // Wait for the filtered page (the previous one stays until it arrives).
      await expect(pager.locator('[data-pager="label"]')).not.toContainText("of 200");
      await expect(rows(page).first().locator("td").nth(1)).toContainText(language);
      await expect(rows(page).last().locator("td").nth(1)).toContainText(language);
      if ((await pager.locator('a[data-pager="next"]').count()) > 0) {
        chosen = language;
        break;
      }
    }
    expect(chosen, "a language with more than 50 projects").not.toBe("");
    const firstPage = await rows(page).evaluateAll((r) => r.map((x) => x.getAttribute("data-project")));

    // Page 2: other projects, the same filter (URL, select, every row's language).
    await pager.locator('a[data-pager="next"]').click();
    await expect(page).toHaveURL(new RegExp(`language=${chosen}.*page=2|page=2.*language=${chosen}`));
    await expect(pager.locator('[data-current]')).toHaveText("2");
    await expect(pager.locator('[data-pager="label"]')).toContainText("projects 51–");
    await expect(page.locator("#filter-language")).toHaveValue(chosen);
    const secondPage = await rows(page).evaluateAll((r) => r.map((x) => x.getAttribute("data-project")));
    expect(secondPage.length).toBeGreaterThan(0);
    for (const name of secondPage) expect(firstPage).not.toContain(name);
    const langs = await rows(page).locator("td:nth-child(2)").allTextContents();
    for (const l of langs) expect(l).toContain(chosen);

    // Sorting starts again at page 1 and keeps the filter.
    await page.locator('th a[data-sort="score"]').click();
    await expect(page).toHaveURL(/sort=score/);
    await expect(page).not.toHaveURL(/page=2/);
    await expect(page.locator("#filter-language")).toHaveValue(chosen);

    // Without JavaScript the pager is a plain link: a reload of page 2 renders it on the server.
    await page.goto(`${history}/?language=${chosen}&page=2`);
    await expect(pager.locator('[data-current]')).toHaveText("2");
    // Past the end: the last page, and a note.
    await page.goto(`${history}/?page=999`);
    await hydrated(page);
    await expect(page.locator("#page-clamped")).toContainText("no page 999");
    await expect(pager.locator('[data-current]')).toHaveText("4");
    // Nonsense is the first page.
    const bad = await page.goto(`${history}/?page=banana`);
    expect(bad?.status()).toBe(200);
    await expect(pager.locator('[data-pager="label"]')).toContainText("projects 1–50 of 200");
  });

  test("no layout shift when the portfolio hydrates", async ({ page }) => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`${history}/?sort=score`);
    const before = await page.locator("#projects").boundingBox();
    await hydrated(page);
    await page.waitForTimeout(300);
    const after = await page.locator("#projects").boundingBox();
    expect(after).toEqual(before);
  });

  test("the weekly review shows each section's top and pages its table", async ({ page }) => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`${history}/weekly`);
    await hydrated(page);
    await page.locator("#previous-week").click();
    await expect(page.locator("#per-project tbody tr").first()).toBeVisible();
    const week = (await page.locator("#week-label").textContent()) ?? "";

    // Stale projects: the top ten, the count, and all on request.
    const stale = page.locator("#stale");
    const staleTotal = Number(await page.locator("#tile-stale").textContent());
    if (staleTotal > 10) {
      await expect(stale.locator("li")).toHaveCount(10);
      await expect(stale.locator("h2")).toContainText(`(10 of ${staleTotal})`);
      await stale.locator('a[data-show="stale"]').click();
      await expect(page).toHaveURL(/show=stale/);
      await expect(stale.locator("li")).toHaveCount(staleTotal);
    }

    // The per-project table is paged; page 2 keeps the open section.
    const pager = page.locator("#weekly-pager");
    await expect(page.locator("#per-project tbody tr")).toHaveCount(50);
    await pager.locator('a[data-pager="next"]').click();
    await expect(page).toHaveURL(new RegExp(`/weekly/${week}\\?.*page=2`));
    await expect(pager.locator('[data-current]')).toHaveText("2");
    await expect(pager.locator('[data-pager="label"]')).toContainText("projects 51–");
    if (staleTotal > 10) await expect(page).toHaveURL(/show=stale/);
    await page.screenshot({ path: join(shots, "weekly-paged.png"), fullPage: true });
  });
});
