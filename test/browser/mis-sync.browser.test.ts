/**
 * Issue 20, acceptance 1 and 5: the MIS user sync wizard in Chromium against the demo UK
 * school from a fresh embedded start (last year already synced). Every panel, the review's
 * counts against the generator's truth, Save and sync pupils, and the Students tab with the
 * chain-link; every page passes axe and shows no raw code; screenshots go to
 * test/.artifacts/screenshots (git-ignored).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Page } from "playwright-core";
import { ukDemoTruth, ukSchoolYear } from "../../src/demo/uk/school.ts";
import { screenshot, seriousAccessibilityViolations, skipWithoutBrowser } from "../helpers/browser.ts";
import { type BrowserSession, openBrowserSession, signInThroughForm } from "../helpers/embedded.ts";

const skip = skipWithoutBrowser("the MIS user sync browser test");
const RAW_CODES = ["[object Object]", "registration_group", "subject_class", "yearGroupCode", "undefined", "NaN", "Kindergarten", "Grade 7"];

describe.skipIf(skip)("the MIS user sync in a browser", () => {
  let session: BrowserSession;
  let page: Page;

  beforeAll(async () => {
    session = await openBrowserSession();
    ({ page } = session);
  }, 60_000);
  afterAll(() => session?.close());

  async function checkPage(name: string) {
    const text = (await page.locator("main").textContent()) ?? "";
    expect({ name, raw: RAW_CODES.filter((code) => text.includes(code)) }).toEqual({ name, raw: [] });
    expect({ name, violations: await seriousAccessibilityViolations(page) }).toEqual({ name, violations: [] });
    expect({ name, errors: session.errors }).toEqual({ name, errors: [] });
    await screenshot(page, `mis-sync-${name}`);
  }
  const heading = (name: RegExp | string) => page.getByRole("heading", { level: 1, name }).waitFor({ timeout: 60_000 });

  test("every panel, the review against the generator's truth, save and sync, and the Students tab", async () => {
    const truth = ukDemoTruth();
    const made = ukSchoolYear(2027);
    await signInThroughForm(session, "uk");
    await page.getByRole("navigation", { name: "Main" }).getByText("School").click();
    await page.getByRole("link", { name: "MIS user sync" }).click();
    await heading(/step 1 of 4, Registration groups/);
    expect(await page.locator('input[name="registrationGroups"]:checked').count()).toBe(made.registrationGroups.length);
    await checkPage("01-registration-groups");
    await page.getByRole("button", { name: "Save registration group names and proceed" }).click();

    await heading(/step 2 of 4, Subject classes/);
    await checkPage("02-subject-classes");
    await page.getByRole("button", { name: "Proceed" }).click();

    await heading(/step 3 of 4, Pupils/);
    await page.getByLabel(/Select all pupils/).check();
    await checkPage("03-pupils");
    await page.getByRole("button", { name: "Review changes" }).click();

    await heading(/^Preview of/);
    await page.getByRole("button", { name: "Save and sync pupils" }).waitFor({ timeout: 60_000 });
    const counts = await page.locator("table").first().locator("tbody tr", { hasText: "Students" }).locator("td").allTextContents();
    // Synced, Matched, May match, New, Desynced: the generator's truth.
    expect(counts.slice(0, 5).map(Number)).toEqual([truth.promoted.length - 1, 1, 0, truth.joiners.length, truth.leavers.length]);
    await checkPage("04-review");
    await page.getByRole("button", { name: "Save and sync pupils" }).click();

    await heading("MIS user sync: done");
    expect(await page.locator("main").textContent()).toMatch(/has ended: \d+ of its classes and \d+ leavers moved to the archive/);
    await checkPage("05-done");

    await page.getByRole("link", { name: "See your students" }).click();
    await heading("Students");
    expect(await page.locator('svg[role="img"][aria-label="Linked to your school\'s system"]').count()).toBeGreaterThan(10);
    await checkPage("06-students");
  }, 180_000);
});
