/**
 * Issue 17 point 12 in Chromium, as the demo admin: the data page's download gives a roster zip,
 * and a learner is erased from their page after a wrong and then the right name. Every page
 * visited passes axe; screenshots go to test/.artifacts/screenshots.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Page } from "playwright-core";
import { screenshot, seriousAccessibilityViolations, skipWithoutBrowser } from "../helpers/browser.ts";
import { type BrowserSession, connectDemoDistrict, openBrowserSession, firstSyncThroughPreview, signInThroughForm, type Started } from "../helpers/embedded.ts";

const skip = skipWithoutBrowser("the data lifecycle browser test");

describe.skipIf(skip)("an organization's data in a browser", () => {
  let session: BrowserSession;
  let started: Started;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    session = await openBrowserSession();
    ({ started, page, errors } = session);
    await signInThroughForm(session);
    await connectDemoDistrict(session);
    // The demo district synced once, as the admin would from the Sync page.
    await firstSyncThroughPreview(session);
  }, 120_000);
  afterAll(() => session?.close());

  test("the data page downloads the roster as a zip", async () => {
    await page.goto(`${started.url}/settings`);
    await page.getByRole("link", { name: "Your organization's data" }).click();
    await page.getByRole("heading", { level: 1, name: "Your organization's data" }).waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, "data-page");
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download the roster" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^roster-\d{4}-\d{2}-\d{2}\.zip$/);
    const bytes = await Bun.file((await download.path())!).bytes();
    expect([...bytes.slice(0, 4)]).toEqual([0x50, 0x4b, 0x03, 0x04]);
    expect(errors).toEqual([]);
  }, 60_000);

  test("a learner is erased after their name is typed", async () => {
    await page.goto(`${started.url}/learners`);
    const first = page.locator("tbody tr a").first();
    await first.click();
    const name = (await page.getByRole("heading", { level: 1 }).textContent())!.trim();
    const learnerUrl = page.url();
    await screenshot(page, "learner-page-admin");
    await page.getByRole("button", { name: "Erase this learner…" }).click();
    await page.getByRole("heading", { level: 1, name: /^Erase / }).waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, "erase-learner-confirm");
    const legalName = (await page.locator("label[for=confirmName] strong").textContent())!;

    await page.getByLabel(/type the learner's name/).fill("Someone Else");
    await page.getByRole("button", { name: "Erase this learner" }).click();
    await page.getByText("That is not the learner's name.").waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, "erase-learner-wrong-name");

    await page.getByLabel(/type the learner's name/).fill(legalName);
    await page.getByRole("button", { name: "Erase this learner" }).click();
    await page.getByRole("heading", { level: 1, name: "Learner erased" }).waitFor();
    expect(await page.locator("main").textContent()).not.toContain(name);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, "erase-learner-done");
    expect((await page.goto(learnerUrl))!.status()).toBe(404);
    expect(errors).toEqual([]);
  }, 60_000);
});
