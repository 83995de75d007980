/**
 * The operator log on real failures: a query that fails in the database carries its
 * parameters (a searched name, a sign-in email), and none of that may reach the log.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { createLogger } from "../../src/lib/log.ts";
import { createOrgWithUser, createTestApp, formPost, get, signInAs, type TestApp } from "../helpers/app.ts";

const lines: string[] = [];
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({}, { logger: createLogger("debug", (line) => lines.push(line)) });
});
afterAll(() => t.close());

test("a failed search logs the error's class and code, not the name searched for", async () => {
  const { email } = await createOrgWithUser(t);
  const cookie = await signInAs(t, email);
  // A real fault: the column the search reads is gone, so Postgres refuses the query.
  await t.database.db.execute(sql`alter table learners rename column upn to upn_gone`);
  lines.length = 0;
  const response = await get(t, "/learners?q=Smithereens", cookie);
  expect(response.status).toBe(500);
  expect(await response.text()).not.toContain("Smithereens");
  const logged = lines.join("\n");
  expect(logged).toContain("http.unhandled_error");
  expect(logged).toContain('code="42703"');
  expect(logged).toContain('route="/learners"');
  expect(logged.toLowerCase()).not.toContain("smithereens");
  expect(logged).not.toContain("upn");
});

test("a failed sign-in query logs no email address", async () => {
  await t.database.db.execute(sql`alter table staff_users rename column last_sign_in_at to last_sign_in_gone`);
  lines.length = 0;
  const response = await formPost(t, "/sign-in", { email: "Bartholomew.Quill@school.test", password: "a long enough password" });
  expect(response.status).toBe(500);
  const logged = lines.join("\n");
  expect(logged).toContain("http.unhandled_error");
  expect(logged.toLowerCase()).not.toContain("bartholomew");
  expect(logged).not.toContain("@school.test");
});
