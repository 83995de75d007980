/**
 * Headless Chromium for browser tests: Debian's /usr/bin/chromium driven by playwright-core
 * (which never downloads a browser). Where Chromium is missing, browser suites skip with a
 * message, except in CI (ROLLCALL_REQUIRE_BROWSER=1), where that is a failure.
 */
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";

export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export function skipWithoutBrowser(what: string): boolean {
  if (existsSync(chromiumPath)) return false;
  if (process.env.ROLLCALL_REQUIRE_BROWSER === "1") throw new Error(`${chromiumPath} is missing, but CI requires the browser tests (${what})`);
  console.warn(`skipping ${what}: no Chromium at ${chromiumPath} (apt-get install chromium)`);
  return true;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    // The machine has no internet; without these Chromium keeps trying to reach Google.
    args: ["--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic", "--disable-gpu"],
  });
}

/**
 * Collects script errors and failed sub-resources (a missing stylesheet, a broken htmx
 * request); a test asserts the list stays empty. Pages answering 401/422 on purpose (a wrong
 * password, a bad form) are documents, and Chromium's console line for them is not counted.
 */
export function watchPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) errors.push(message.text());
  });
  page.on("response", (response) => {
    const request = response.request();
    if (response.status() >= 400 && request.resourceType() !== "document" && !request.headers()["hx-request"]) {
      errors.push(`${response.status()} ${request.resourceType()} ${new URL(response.url()).pathname}`);
    }
  });
  return errors;
}

const axeSource = readFileSync(fileURLToPath(import.meta.resolve("axe-core/axe.min.js")), "utf8");

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** Runs axe-core in the page; returns the serious and critical violations. */
export async function seriousAccessibilityViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol, so the page's CSP (no inline script) still holds.
  await page.evaluate(axeSource);
  const violations = (await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return result.violations;
  })) as AxeViolation[];
  return violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical");
}

export const screenshotDir = fileURLToPath(new URL("../.artifacts/screenshots", import.meta.url));

/** Saves a full-page screenshot for a person to look at (test/.artifacts is not committed). */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  // Playwright leaves style="" on the focused field (it hides the caret for the picture); htmx copies
  // a style attribute onto the element that replaces it, which the page's CSP then reports. The
  // page never has one of its own, so the picture's is taken away.
  await page.evaluate(() => {
    for (const element of document.querySelectorAll('[style=""]')) element.removeAttribute("style");
  });
  return path;
}
