import { test, expect, type Page } from "@playwright/test";
import { createHmac } from "node:crypto";
import { readFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";

// ./dev.sh e2e starts end2end/fake-github.mjs and points backlens at it
// (BACKLENS_GITHUB_API_URL), with this webhook secret and public URL.
const fake = process.env.BACKLENS_E2E_FAKE_GITHUB ?? "";
const secret = process.env.BACKLENS_E2E_WEBHOOK_SECRET ?? "";
const server = process.env.BACKLENS_E2E_URL ?? "http://127.0.0.1:3000";
const shots = join(__dirname, "..", "screenshots");
mkdirSync(shots, { recursive: true });

type Status = { sha: string; state: string; description: string; target_url?: string; context: string };
type FakeState = { base: string; head: string; statuses: Status[] };

async function fakeState(): Promise<FakeState> {
  return (await fetch(`${fake}/_fake/state`)).json();
}

/** The final (non-pending) status posted for a commit, once it is there. */
async function finalStatus(sha: string): Promise<Status> {
  let found: Status | undefined;
  await expect
    .poll(
      async () => {
        const s = await fakeState();
        found = s.statuses.filter((x) => x.sha === sha && x.state !== "pending").at(-1);
        return found?.state ?? "none yet";
      },
      { timeout: 45_000, intervals: [300] },
    )
    .toMatch(/success|failure|error/);
  return found!;
}

async function hydrated(page: Page) {
  await page.waitForFunction(() => document.documentElement.dataset.hydrated === "true");
}

function signed(body: string, key = secret) {
  return "sha256=" + createHmac("sha256", key).update(body).digest("hex");
}

async function deliver(event: string, id: string, body: string, signature: string) {
  return fetch(`${server}/webhooks/github`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": event,
      "x-github-delivery": id,
      "x-hub-signature-256": signature,
    },
    body,
  });
}

test("a pull request webhook ends in a commit status whose link opens the PR's review page", async ({ page }) => {
  expect(fake, "BACKLENS_E2E_FAKE_GITHUB is set").not.toBe("");
  expect(secret, "BACKLENS_E2E_WEBHOOK_SECRET is set").not.toBe("");
  const { base, head } = await fakeState();

  // Add the repository by its GitHub URL in the portfolio's form.
  await page.goto("/");
  await hydrated(page);
  await page.getByLabel("Repository path").fill("https://github.com/acme/orders-api/tree/main");
  await page.getByRole("button", { name: "Add project" }).click();
  await expect(page.getByRole("status")).toContainText("Added acme/orders-api");
  // Its first review (the default branch's head) ends with a status too.
  const first = await finalStatus(base);
  expect(first.context).toBe("backlens");

  // A forged delivery is refused and queues nothing.
  const payload = JSON.parse(readFileSync(join(__dirname, "..", "..", "tests", "fixtures", "github", "pull_request.opened.json"), "utf8"));
  payload.number = 12;
  payload.pull_request.number = 12;
  payload.pull_request.head.sha = head;
  payload.pull_request.base.sha = base;
  payload.repository.full_name = "acme/orders-api";
  const body = JSON.stringify(payload);
  const forged = await deliver("pull_request", "e2e-forged", body, signed(body, "wrong secret"));
  expect(forged.status).toBe(401);

  // The real delivery is accepted at once; a redelivery is a duplicate.
  const accepted = await deliver("pull_request", "e2e-pr-12", body, signed(body));
  expect(accepted.status).toBe(202);
  expect((await accepted.json()).job_id).toBeGreaterThan(0);
  const again = await deliver("pull_request", "e2e-pr-12", body, signed(body));
  expect((await again.json()).status).toBe("duplicate");

  // The PR adds SQL built from request input: the gate fails on the new high finding.
  const status = await finalStatus(head);
  expect(status.state).toBe("failure");
  expect(status.description).toMatch(/^[A-F] \(\d+\) · [1-9]\d* new high · 0 fixed$/);
  expect(status.target_url).toMatch(new RegExp(`^${server}/projects/\\d+/reviews/\\d+$`));

  // Follow the link like a reviewer on GitHub would.
  await page.goto(status.target_url!);
  await hydrated(page);
  await expect(page.getByRole("heading", { name: "Pull request #12 of acme/orders-api" })).toBeVisible();
  await expect(page.locator("#review-commit")).toContainText(head.slice(0, 10));
  await expect(page.locator("#gate-result")).toHaveAttribute("data-passed", "false");
  await expect(page.locator("#gate-description")).toHaveText(status.description);
  await expect(page.locator("#changes h2")).toContainText("the base of pull request #12");
  await expect(page.locator("#new-findings")).toContainText("src/routes/reports.ts");
  await expect(page.locator("#fixed-findings")).toContainText("Fixed (0)");
  await expect(page.locator("#unchanged-findings")).toContainText("src/routes/orders.ts");
  await expect(page.locator("#score-delta")).toContainText("vs base");
  await page.screenshot({ path: join(shots, "github-pr-review.png"), fullPage: true });

  // The settings page tells which GitHub settings are set, never their secrets.
  await page.goto("/settings");
  await hydrated(page);
  await expect(page.locator('tr[data-setting="BACKLENS_WEBHOOK_SECRET"]')).toHaveAttribute("data-configured", "true");
  await expect(page.locator("#etag-hit-rate")).toBeVisible();
  expect(await page.content()).not.toContain(secret);
  await page.screenshot({ path: join(shots, "github-settings.png"), fullPage: true });

  // Import from the organisation: the list shows language, archived, last push.
  await page.goto("/import");
  await hydrated(page);
  await page.getByLabel("Organisation or user").fill("acme");
  await page.getByRole("button", { name: "List repositories" }).click();
  await expect(page.locator('tr[data-repo="acme/orders-api"]')).toContainText("already in the portfolio");
  await expect(page.locator('tr[data-repo="acme/legacy-billing"]')).toContainText("archived");
  await expect(page.locator('tr[data-repo="acme/inventory-service"]')).toContainText("Python");
  await page.getByLabel("Select acme/inventory-service").check();
  await page.getByRole("button", { name: "Import 1 selected" }).click();
  // The fake has no such repository behind the listing: a clear message, nothing added.
  await expect(page.locator("#import-results")).toContainText("acme/inventory-service: GitHub has no repository");
  await page.screenshot({ path: join(shots, "github-import.png"), fullPage: true });
});
