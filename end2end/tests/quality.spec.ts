import { test, expect, type Page } from "@playwright/test";
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFileSync } from "node:child_process";

const shots = join(__dirname, "..", "screenshots");
mkdirSync(shots, { recursive: true });
const fixtures = join(__dirname, "..", "..", "tests", "quality-fixtures");

async function shot(page: Page, name: string) {
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

async function hydrated(page: Page) {
  await page.waitForFunction(() => document.documentElement.dataset.hydrated === "true");
}

/** A git repository (one commit) in a fresh folder, from a fixture or files. */
function repository(name: string, from?: string, files: Record<string, string> = {}): string {
  const dir = join(mkdtempSync(join(tmpdir(), "backlens-e2e-quality-")), name);
  mkdirSync(dir, { recursive: true });
  if (from) cpSync(from, dir, { recursive: true });
  for (const [path, text] of Object.entries(files)) writeFileSync(join(dir, path), text);
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.name=e2e", "-c", "user.email=e2e@t.invalid", "-c", "commit.gpgsign=false", ...args], { cwd: dir });
  git("init", "--quiet");
  git("add", "--all");
  git("commit", "--quiet", "-m", "fixture");
  return dir;
}

async function addProject(page: Page, path: string, name: string): Promise<void> {
  await page.goto("/");
  await hydrated(page);
  await page.getByLabel("Repository path").fill(path);
  await page.getByRole("button", { name: "Add project" }).click();
  await expect(page.getByRole("status")).toContainText(`Added ${name}`);
  await page.locator(`tr[data-project="${name}"]`).getByRole("link", { name }).click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
}

test("the quality loop's results show on the project page with their evidence", async ({ page }) => {
  test.setTimeout(120_000);
  const repo = repository("quality-python-bad", join(fixtures, "python-bad"));
  await addProject(page, repo, "quality-python-bad");

  const panel = page.locator("#quality-loop");
  await expect(panel.getByRole("heading", { name: "Quality loop" })).toBeVisible();
  // The loop runs after the review, in the sandbox, and the page updates by itself.
  await expect(panel.locator('[data-loop-check="LOOP-TESTS"]')).toContainText("Fail", { timeout: 90_000 });
  await expect(panel.locator("#quality-run-facts")).toContainText("sandbox: bubblewrap");
  await expect(panel.locator("#quality-run-facts")).toContainText("network: none");

  const lint = panel.locator('li[data-step="lint"]');
  await expect(lint).toHaveAttribute("data-verdict", "fail");
  await expect(lint).toContainText("ruff check --output-format json --no-cache .");
  await expect(lint.locator("tr[data-diagnostic]").filter({ hasText: "app/calc.py:1" })).toContainText("F401");

  const typecheck = panel.locator('li[data-step="typecheck"]');
  await expect(typecheck.locator("tr[data-diagnostic]").filter({ hasText: "app/calc.py:9" })).toContainText("return-value");

  const tests = panel.locator('li[data-step="tests"]');
  await expect(tests.locator("[data-test-counts]")).toHaveText("1 passed · 1 failed · 0 skipped");
  await expect(tests).toContainText("tests.test_calc::test_add_negative");
  // The captured log is there, folded.
  await tests.getByText("Captured output").click();
  await expect(tests.locator("pre")).toContainText("test_add_negative");

  // The verdicts are in the scorecard's checklist too.
  await expect(page.locator('[data-check-row="LOOP-LINT"]')).toHaveAttribute("data-verdict", "fail");
  await expect(page.locator("#flaky-tests")).toContainText("Flaky tests in recent loops");
  await panel.scrollIntoViewIfNeeded();
  await shot(page, "20-quality-loop");
});

test("a running loop is cancelled from the project page", async ({ page }) => {
  test.setTimeout(120_000);
  const repo = repository("quality-endless", undefined, {
    "test_spin.py": "def test_spin() -> None:\n    while True:\n        pass\n",
  });
  await addProject(page, repo, "quality-endless");
  const panel = page.locator("#quality-loop");
  const cancel = panel.locator("#cancel-quality");
  await expect(cancel).toBeVisible({ timeout: 60_000 });
  await cancel.click();
  await expect(panel.locator('[data-job-state="cancelled"]')).toBeVisible({ timeout: 30_000 });
  await expect(panel).toContainText("This run was cancelled", { timeout: 30_000 });
  await shot(page, "21-quality-loop-cancelled");

  // A cancelled loop runs again from the panel: a new job, which starts, and
  // while it is queued or running there is no Run again (Cancel instead).
  const again = panel.locator("#run-quality-again");
  await expect(again).toBeVisible();
  await again.click();
  await expect(cancel).toBeVisible({ timeout: 60_000 });
  await expect(again).toHaveCount(0);
  await expect(panel.locator('[data-job-state="cancelled"]')).toHaveCount(0);
  await shot(page, "22-quality-loop-running-again");
  await cancel.click();
  await expect(panel.locator('[data-job-state="cancelled"]')).toBeVisible({ timeout: 30_000 });
  await expect(again).toBeVisible();
  await panel.screenshot({ path: join(shots, "23-quality-loop-run-again.png") });
});
