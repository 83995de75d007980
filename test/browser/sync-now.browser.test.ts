/**
 * Issue 6, acceptance 5: in Chromium, the demo admin starts Sync Now against the demo
 * district, watches the progress reach success, and opens the run's detail page. Every page
 * visited passes axe; screenshots go to test/.artifacts/screenshots.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Page } from "playwright-core";
import { screenshot, seriousAccessibilityViolations, skipWithoutBrowser } from "../helpers/browser.ts";
import { type BrowserSession, connectDemoDistrict, openBrowserSession, signInThroughForm, type Started } from "../helpers/embedded.ts";

const skip = skipWithoutBrowser("the Sync Now browser test");

describe.skipIf(skip)("Sync Now in a browser", () => {
  let session: BrowserSession;
  let started: Started;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    session = await openBrowserSession();
    ({ started, page, errors } = session);
    await signInThroughForm(session);
    await connectDemoDistrict(session);
  }, 60_000);
  afterAll(() => session?.close());

  test("Sync Now runs against the demo district, progress reaches success, and the run's page opens", async () => {
    await page.goto(`${started.url}/sync`);
    expect(await page.getByText("Your roster comes from").textContent()).toContain("Clever");
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, "sync-before");

    // A first sync is previewed: nothing changes until the admin applies what the preview shows.
    await page.getByRole("button", { name: "Sync now" }).click();
    await page.getByRole("heading", { level: 1, name: /^Preview of/ }).waitFor();
    await page.getByRole("button", { name: "Apply these changes" }).waitFor({ timeout: 60_000 });
    expect(await page.getByRole("heading", { name: "Nothing has changed yet" }).isVisible()).toBe(true);
    expect(await page.locator("main").textContent()).not.toContain("[object Object]");
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, "sync-preview");
    await page.getByRole("button", { name: "Apply these changes" }).click();
    await page.getByText("Applying the changes you previewed").waitFor();
    await page.locator("#sync-status").getByText("Succeeded").waitFor({ timeout: 60_000 });
    expect(await page.locator("#sync-status").textContent()).toContain("New");
    // Afterwards the button waits for the next scheduled sync (or a day, with no schedule).
    expect(await page.getByRole("button", { name: "Sync now" }).isDisabled()).toBe(true);
    expect(await page.locator("#sync-now-why").textContent()).toContain("comes back");
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, "sync-succeeded");

    await page.locator("#sync-status").getByRole("link", { name: "Details" }).click();
    await page.getByRole("heading", { level: 1, name: /Sync Now sync of/ }).waitFor();
    expect(await page.getByRole("heading", { name: "Changes to learners" }).isVisible()).toBe(true);
    expect(await page.getByRole("link", { name: "Download all changes (CSV)" }).isVisible()).toBe(true);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, "sync-run");

    await page.goto(`${started.url}/sync/history`);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, "sync-history");
    await page.goto(`${started.url}/learners`);
    expect(await page.locator("tbody tr").count()).toBeGreaterThan(10);
    await page.goto(`${started.url}/settings/connection`);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, "settings-connection");
    // The run's email to the admin waits in the development outbox, and reads well.
    await page.goto(`${started.url}/dev/outbox`);
    await page
      .getByRole("link", { name: /Roster sync finished for/ })
      .first()
      .click();
    expect(await page.locator("body").textContent()).toContain("learners:");
    await screenshot(page, "email-run-succeeded");
    expect(errors).toEqual([]);
  }, 120_000);
});
