/**
 * `npm start` as a new user runs it: src/main.ts on a fresh embedded data dir, with what it
 * prints read back (the address and the demo credentials).
 */
import { startMain } from "./main-process.ts";

export interface Started {
  url: string;
  email: string;
  password: string;
  /** The demo district's Clever ID, which `npm start` prints for the set-up's first step. */
  districtId: string;
  /** The demo UK school's Access Coordinator. */
  uk: { email: string; password: string };
  output: string;
}

export async function startEmbedded(env: Record<string, string> = {}): Promise<{ child: ReturnType<typeof Bun.spawn>; started: Started }> {
  // Private source addresses refused, as a new user's start has them: the demo district must work without the flag.
  const { child, url, output } = await startMain({ DATABASE_URL: "", ALLOW_PRIVATE_SOURCE_URLS: "0", ...env });
  // The US district's sign-in is printed first, the UK school's second.
  const [email, ukEmail] = [...output.matchAll(/email: +(\S+)/g)].map((match) => match[1]!);
  const [password, ukPassword] = [...output.matchAll(/password: +(\S+)/g)].map((match) => match[1]!);
  const districtId = output.match(/demo district ID (\w+)/)?.[1];
  if (!email || !password || !ukEmail || !ukPassword || !districtId) throw new Error(`no demo credentials or district ID printed:\n${output}`);
  return { child, started: { url, email, password, districtId, uk: { email: ukEmail, password: ukPassword }, output } };
}

/** The embedded app in a child process with one Chromium page on it, for browser tests. */
export interface BrowserSession {
  started: Started;
  page: import("playwright-core").Page;
  /** Errors the page logged or threw. */
  errors: string[];
  close(): Promise<void>;
}

export async function openBrowserSession(): Promise<BrowserSession> {
  const { launchBrowser, watchPageErrors } = await import("./browser.ts");
  const { child, started } = await startEmbedded();
  const browser = await launchBrowser();
  const page = await browser.newPage();
  return {
    started,
    page,
    errors: watchPageErrors(page),
    close: async () => {
      await browser.close();
      child.kill();
      await child.exited;
    },
  };
}

/** Signs a demo admin in through the sign-in form: the US district's, or the UK school's. */
export async function signInThroughForm(session: BrowserSession, who: "us" | "uk" = "us"): Promise<void> {
  const { page, started } = session;
  const account = who === "uk" ? started.uk : started;
  await page.goto(`${started.url}/sign-in`);
  await page.getByLabel("Email address").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => url.pathname !== "/sign-in");
}

/** The set-up's first step with the printed demo district ID: the demo district is then connected. */
export async function connectDemoDistrict(session: BrowserSession): Promise<void> {
  const { page, started } = session;
  await page.goto(`${started.url}/settings/sync/setup`);
  await page.getByLabel("Clever district ID").fill(started.districtId);
  await page.getByRole("button", { name: /Connect/ }).click();
  await page.getByRole("heading", { level: 1, name: /step 2 of 5, Schedule/ }).waitFor();
}

/**
 * A first sync as an admin makes it: Sync now opens the preview (a first sync is always
 * previewed), and "Apply these changes" applies it; resolves once the Sync page says Succeeded.
 */
export async function firstSyncThroughPreview(session: BrowserSession): Promise<void> {
  const { page, started } = session;
  await page.goto(`${started.url}/sync`);
  await page.getByRole("button", { name: "Sync now" }).click();
  const apply = page.getByRole("button", { name: "Apply these changes" });
  await apply.waitFor({ timeout: 60_000 });
  await apply.click();
  await page.locator("#sync-status").getByText("Succeeded").waitFor({ timeout: 60_000 });
}
