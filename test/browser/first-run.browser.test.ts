/**
 * A new user's first run: `npm start` on the embedded database prints demo credentials,
 * and those sign in through Chromium. Every page visited is checked with axe-core.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Page } from "playwright-core";
import { type BrowserSession, openBrowserSession, type Started } from "../helpers/embedded.ts";
import { screenshot, seriousAccessibilityViolations, skipWithoutBrowser } from "../helpers/browser.ts";

const skip = skipWithoutBrowser("the first-run browser test");

describe.skipIf(skip)("first run in a browser", () => {
  let session: BrowserSession;
  let started: Started;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    session = await openBrowserSession();
    ({ started, page, errors } = session);
  }, 60_000);
  afterAll(() => session?.close());

  test("the printed demo credentials sign in, and every page passes axe", async () => {
    expect(started.output).toContain("/sign-in");
    await page.goto(`${started.url}/`);
    expect(new URL(page.url()).pathname).toBe("/sign-in");
    expect(await page.evaluate(() => (window as unknown as { htmx?: { version: string } }).htmx?.version)).toBe("4.0.1");
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, "sign-in");

    await page.getByLabel("Email address").fill(started.email);
    await page.getByLabel("Password").fill("wrong password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").waitFor();
    expect(await page.getByRole("alert").textContent()).toContain("do not match");
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.getByLabel("Password").fill(started.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    // The demo district is not connected yet, so its admin starts on the set-up (the help text's step 3).
    await page.getByRole("heading", { level: 1, name: /Set up your roster sync/ }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/settings/sync/setup");
    await page.goto(`${started.url}/`);
    await page.getByRole("heading", { level: 1, name: /demo/ }).waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, "overview");

    for (const [path, heading] of [
      ["/learners", "Learners"],
      ["/classes", "Classes"],
      ["/dev/outbox", "Development outbox"],
    ] as const) {
      await page.goto(`${started.url}${path}`);
      await page.getByRole("heading", { level: 1, name: heading }).waitFor();
      expect({ path, violations: await seriousAccessibilityViolations(page) }).toEqual({ path, violations: [] });
      await screenshot(page, path.slice(1).replaceAll("/", "-"));
    }

    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${started.url}/`);
    await screenshot(page, "overview-phone");
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByText("You have signed out.").waitFor();
    expect(errors).toEqual([]);
  }, 60_000);
});
