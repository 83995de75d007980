/**
 * The real app on a test database, plus the few steps most route tests share: an
 * organization with a signed-in admin, and form posts that look like a browser's.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Hono } from "hono";
import { DemoDistrict } from "../../src/demo/index.ts";
import { createApp } from "../../src/app.tsx";
import { hashPassword } from "../../src/auth/passwords.ts";
import { loadConfig, type Config } from "../../src/config.ts";
import { staffUsers, type StaffRole } from "../../src/db/schema/index.ts";
import { type Logger, silentLogger } from "../../src/lib/log.ts";
import { createOrganization } from "../../src/orgs/organizations.ts";
import { ensureProducts } from "../../src/products.ts";
import type { AppDeps, AppEnv } from "../../src/routes/context.tsx";
import { createSyncDeps } from "../../src/sync/run/deps.ts";
import { createSyncService } from "../../src/sync/run/service.ts";
import { createTestDatabase, type TestDatabase } from "./db.ts";

export const TEST_ORIGIN = "http://localhost";
export const TEST_PASSWORD = "correct horse battery staple";

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    DATA_DIR: mkdtempSync(join(tmpdir(), "rollcall-test-")),
    SESSION_SECRET: "t".repeat(48),
    ENCRYPTION_KEY: "0123456789abcdef".repeat(4),
    // Stand-ins listen on loopback; tests of the address rule pass "0".
    ALLOW_PRIVATE_SOURCE_URLS: "1",
    ...overrides,
  });
}

export interface TestApp {
  app: Hono<AppEnv>;
  database: TestDatabase;
  deps: AppDeps;
  close(): Promise<void>;
}

export async function createTestApp(configOverrides: Record<string, string> = {}, options: { logger?: Logger } = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  await ensureProducts(database.db);
  const base = { database, config: testConfig(configOverrides), logger: options.logger ?? silentLogger, appUrl: TEST_ORIGIN };
  // As in embedded mode, whose development pages move a demo district on.
  const deps: AppDeps = { ...base, sync: createSyncService(createSyncDeps(base)), demoDistrict: new DemoDistrict({ learners: 30 }) };
  return {
    app: createApp(deps),
    database,
    deps,
    close: async () => {
      await deps.sync.idle();
      await database.close();
    },
  };
}

/** An organization with one staff member who already has a password. */
export async function createOrgWithUser(
  test: TestApp,
  options: { name?: string; email?: string; role?: StaffRole; licences?: string[] } = {},
): Promise<{ orgId: string; userId: string; email: string }> {
  const email = options.email ?? `admin-${crypto.randomUUID().slice(0, 8)}@school.test`;
  const org = await createOrganization(
    test.database.db,
    { name: options.name ?? "Test District", adminEmail: `invitee-${crypto.randomUUID().slice(0, 8)}@school.test`, licences: options.licences ?? ["reading"] },
    TEST_ORIGIN,
  );
  const [user] = await test.database.db
    .insert(staffUsers)
    .values({ orgId: org.id, email, name: "Test Admin", role: options.role ?? "org_admin", passwordHash: await hashPassword(TEST_PASSWORD) })
    .returning({ id: staffUsers.id });
  return { orgId: org.id, userId: user!.id, email };
}

/** A POST as a browser sends it from one of our pages (with the same-origin signal); a list of pairs may repeat a name, as ticked boxes do. */
export function formPost(
  test: TestApp,
  path: string,
  form: Record<string, string> | [string, string][],
  options: { cookie?: string; sameOrigin?: boolean } = {},
) {
  const headers: Record<string, string> = { "Content-Type": "application/x-www-form-urlencoded" };
  if (options.sameOrigin !== false) {
    headers["Sec-Fetch-Site"] = "same-origin";
    headers.Origin = TEST_ORIGIN;
  }
  if (options.cookie) headers.Cookie = options.cookie;
  return test.app.request(`${TEST_ORIGIN}${path}`, { method: "POST", headers, body: new URLSearchParams(form) });
}

/** What a page's form sends as it stands: its hidden fields and its ticked boxes and radios (not `step`, which a test says itself). */
export const formFieldsOf = (html: string): [string, string][] =>
  [...html.matchAll(/<input (?:id="[^"]*" )?type="(hidden|checkbox|radio)" name="([^"]+)" value="([^"]*)"( checked)?/g)]
    .filter((match) => (match[1] === "hidden" || match[4]) && match[2] !== "step")
    .map((match) => [match[2]!, match[3]!]);

export function get(test: TestApp, path: string, cookie?: string) {
  return test.app.request(`${TEST_ORIGIN}${path}`, { headers: cookie ? { Cookie: cookie } : {} });
}

/** The `name=value` part of the session cookie a response set. */
export function sessionCookieFrom(response: Response, name = "rollcall_session"): string {
  const header = response.headers.getSetCookie().find((cookie) => cookie.startsWith(`${name}=`));
  if (!header) throw new Error(`no session cookie in the response (status ${response.status})`);
  return header.split(";")[0]!;
}

export async function signInAs(test: TestApp, email: string, password = TEST_PASSWORD): Promise<string> {
  const response = await formPost(test, "/sign-in", { email, password });
  if (response.status !== 303) throw new Error(`sign-in failed with ${response.status}`);
  return sessionCookieFrom(response);
}
