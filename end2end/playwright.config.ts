import { defineConfig } from "@playwright/test";

// The server is started by ./dev.sh (see README) with a throw-away database;
// BACKLENS_E2E_URL says where. Playwright never downloads a browser here: it
// drives Debian's Chromium.
export default defineConfig({
  testDir: "./tests",
  timeout: 60_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  outputDir: "test-results",
  // One server and database for every spec, in this order: the first run
  // starts from an empty portfolio; the GitHub and quality-loop specs add
  // projects of their own, so they come last.
  projects: [
    { name: "first-run", testMatch: /00-first-run\.spec\.ts/ },
    {
      name: "main",
      testIgnore: /(00-first-run|github|quality)\.spec\.ts/,
      dependencies: ["first-run"],
    },
    { name: "github", testMatch: /github\.spec\.ts/, dependencies: ["main"] },
    { name: "quality", testMatch: /quality\.spec\.ts/, dependencies: ["github"] },
  ],
  use: {
    baseURL: process.env.BACKLENS_E2E_URL ?? "http://127.0.0.1:3000",
    viewport: { width: 1440, height: 900 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
});
