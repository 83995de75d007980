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
import { type BrowserSession, openBrowserSession, signInThroughForm, type Started } from "../helpers/embedded.ts";

const skip = skipWithoutBrowser("the MIS user sync browser test");
const RAW_CODES = ["[object Object]", "registration_group", "subject_class", "yearGroupCode", "undefined", "NaN", "Kindergarten", "Grade 7"];

describe.skipIf(skip)("the MIS user sync in a browser", () => {
  let session: BrowserSession;
  let started: Started;
  let page: Page;

  beforeAll(async () => {
    session = await openBrowserSession();
    ({ started, page } = session);
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
    await page.getByLabel("Sync pupil email addresses").check();
    await checkPage("03-pupils");
    await page.getByRole("button", { name: "Proceed" }).click();

    await heading(/step 4 of 5, Pupil email addresses/);
    // The parent's address is flagged and unticked; the school's own are ticked.
    const parents = page.locator(".email-row", { hasText: "family@gmail.com" });
    expect(await parents.locator("input").isChecked()).toBe(false);
    expect(await parents.textContent()).toContain("may be a parent's or personal one");
    await checkPage("04-emails");
    await page.getByRole("button", { name: "Review changes" }).click();

    await heading(/^Preview of/);
    await page.getByRole("button", { name: "Save and sync pupils" }).waitFor({ timeout: 60_000 });
    const counts = await page.locator("table").first().locator("tbody tr", { hasText: "Students" }).locator("td").allTextContents();
    // Synced, Matched, May match, New, Desynced: the generator's truth.
    expect(counts.slice(0, 5).map(Number)).toEqual([truth.promoted.length - 1, 1, 0, truth.joiners.length, truth.leavers.length]);
    await checkPage("05-review");
    await page.getByRole("button", { name: "Save and sync pupils" }).click();

    await heading("MIS user sync: done");
    expect(await page.locator("main").textContent()).toMatch(/has ended: \d+ of its classes and \d+ leavers moved to the archive/);
    expect(await page.locator("main").textContent()).toMatch(/\d+ pupils were sent an email to confirm their address/);
    await checkPage("06-done");

    await page.getByRole("link", { name: "See your students" }).click();
    await heading("Students");
    expect(await page.locator('svg[role="img"][aria-label="Linked to your school\'s system"]').count()).toBeGreaterThan(10);
    await checkPage("07-students");
  }, 180_000);

  test("a pupil confirms their address from the email, chooses a password, and signs in", async () => {
    await page.goto(`${started.url}/dev/outbox`);
    await page
      .getByRole("link", { name: /confirm your email address/ })
      .first()
      .click();
    const text = (await page.locator("body").textContent()) ?? "";
    const link = /(http:\/\/\S+\/verify\/[A-Za-z0-9_-]+)/.exec(text)![1]!;
    const address = /To (\S+@[^\s,]+),/.exec(text)?.[1];
    await page.getByRole("button", { name: "Sign out" }).click();

    await page.goto(link);
    await heading(/^Hello /);
    await checkPage("08-verify");
    await page.getByLabel("Password", { exact: true }).fill("a quiet river at dawn");
    await page.getByLabel("Password again").fill("a quiet river at dawn");
    await page.getByRole("button", { name: "Confirm my address" }).click();
    await heading("Your address is confirmed");
    await checkPage("09-verified");

    await page.goto(link);
    await heading("This link cannot be used");
    expect(await page.locator("main").textContent()).toContain("This link has already been used.");
    await checkPage("10-link-used");

    await page.goto(`${started.url}/learn/sign-in`);
    await checkPage("11-pupil-sign-in");
    await page.getByLabel("Email address").fill(address ?? "");
    await page.getByLabel("Password").fill("a quiet river at dawn");
    await page.getByRole("button", { name: "Sign in" }).click();
    await heading(/^Hello /);
    await checkPage("12-pupil-home");
  }, 120_000);
});
