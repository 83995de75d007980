/**
 * A new user's first run: `npm start` on the embedded database prints demo credentials,
 * and those sign in through Chromium. Every page visited is checked with axe-core.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { launchBrowser, screenshot, seriousAccessibilityViolations, skipWithoutBrowser, watchPageErrors } from "../helpers/browser.ts";

const skip = skipWithoutBrowser("the first-run browser test");

interface Started {
  url: string;
  email: string;
  password: string;
  output: string;
}

/** Starts src/main.ts as `npm start` does, on a fresh embedded data dir, and reads what it prints. */
async function startEmbedded(): Promise<{ child: ReturnType<typeof Bun.spawn>; started: Started }> {
  const main = fileURLToPath(new URL("../../src/main.ts", import.meta.url));
  const child = Bun.spawn([process.execPath, main], {
    env: { ...process.env, DATABASE_URL: "", PORT: "0", DATA_DIR: mkdtempSync(join(tmpdir(), "rollcall-first-run-")), ROLLCALL_NO_SCHEDULER: "1" },
    stdout: "pipe",
    stderr: "inherit",
  });
  const reader = child.stdout.getReader();
  const decoder = new TextDecoder();
  let output = "";
  while (!/listening on http:\/\/\S+/.test(output)) {
    const chunk = await reader.read();
    if (chunk.done) throw new Error(`npm start ended early:\n${output}`);
    output += decoder.decode(chunk.value);
  }
  reader.releaseLock();
  const url = output.match(/listening on (http:\/\/\S+)/)![1]!;
  const email = output.match(/email: +(\S+)/)?.[1];
  const password = output.match(/password: +(\S+)/)?.[1];
  if (!email || !password) throw new Error(`no demo credentials printed:\n${output}`);
  return { child, started: { url, email, password, output } };
}

describe.skipIf(skip)("first run in a browser", () => {
  let browser: Browser;
  let child: ReturnType<typeof Bun.spawn>;
  let started: Started;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    ({ child, started } = await startEmbedded());
    browser = await launchBrowser();
    page = await browser.newPage();
    errors = watchPageErrors(page);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    child?.kill();
    await child?.exited;
  });

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
    await page.getByRole("heading", { level: 1, name: /demo/ }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/");
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, "overview");

    for (const [path, heading] of [["/learners", "Learners"], ["/classes", "Classes"], ["/dev/outbox", "Development outbox"]] as const) {
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
