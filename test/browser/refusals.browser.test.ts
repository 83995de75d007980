/**
 * The refusals a person meets, seen in Chromium: a password that is too easy to guess on the
 * invite page, a sign-in that has to wait, and a form over the size limit. Each page is in the
 * layout, says what was wrong in plain words, and passes axe.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Browser, Page } from "playwright-core";
import { createInvite } from "../../src/auth/invites.ts";
import { createOrgWithUser, createTestApp, TEST_ORIGIN, type TestApp } from "../helpers/app.ts";
import { launchBrowser, screenshot, seriousAccessibilityViolations, skipWithoutBrowser, watchPageErrors } from "../helpers/browser.ts";

const skip = skipWithoutBrowser("the refusal pages browser test");

describe.skipIf(skip)("refusals in a browser", () => {
  let t: TestApp;
  let server: ReturnType<typeof Bun.serve>;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let base: string;

  beforeAll(async () => {
    t = await createTestApp();
    server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: t.app.fetch });
    base = `http://127.0.0.1:${server.port}`;
    browser = await launchBrowser();
    page = await browser.newPage();
    errors = watchPageErrors(page);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop(true);
    await t?.close();
  });

  test("an easy password is refused with the reason next to the field", async () => {
    const { orgId } = await createOrgWithUser(t, { name: "Willow Primary" });
    const { token } = await createInvite(t.database.db, { orgId, email: "rowan@willow.test", role: "educator" }, TEST_ORIGIN);
    await page.goto(`${base}/invite/${token}`);
    await page.getByLabel("Your name").fill("Rowan Ash");
    await page.getByLabel("Password", { exact: true }).fill("aaaaaaaaaaaa");
    await page.getByLabel("Password again").fill("aaaaaaaaaaaa");
    await page.getByRole("button", { name: "Set password and continue" }).click();
    const fieldError = page.locator("#password-error");
    await fieldError.waitFor();
    expect(await fieldError.textContent()).toContain('Repeated characters like "aaa" are easy to guess.');
    expect(await page.getByLabel("Password", { exact: true }).getAttribute("aria-describedby")).toBe("password-hint password-error");
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, "invite-easy-password");
  });

  test("a sign-in that has to wait says for how long", async () => {
    const { email } = await createOrgWithUser(t);
    await page.goto(`${base}/sign-in`);
    for (let attempt = 0; attempt < 4; attempt++) {
      await page.getByLabel("Email address").fill(email);
      await page.getByLabel("Password").fill(`not my password ${attempt}`);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByRole("alert").waitFor();
    }
    expect(await page.getByRole("alert").textContent()).toMatch(/try again in \d+ seconds/);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, "sign-in-wait");
  });

  test("a form over the limit gets a page that says the limit", async () => {
    await page.goto(`${base}/sign-in`);
    await page.getByLabel("Email address").fill("someone@school.test");
    await page.getByLabel("Password").fill("x".repeat(70 * 1024));
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { level: 1, name: "Too large to accept" }).waitFor();
    expect(await page.getByRole("alert").textContent()).toContain("64 KB");
    expect(await page.title()).toBe("Too large · Rollcall");
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, "form-too-large");
    expect(errors).toEqual([]);
  });
});
