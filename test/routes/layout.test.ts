/** The layout: the "Demo" badge only on embedded mode's demo organizations, and pages not found inside the layout. */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { organizations } from "../../src/db/schema/index.ts";
import { createOrgWithUser, createTestApp, get, signInAs, type TestApp } from "../helpers/app.ts";

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

test("a real organization's pages carry no Demo badge; a demo organization's do", async () => {
  const org = await createOrgWithUser(app);
  const cookie = await signInAs(app, org.email);
  expect(await (await get(app, "/", cookie)).text()).not.toContain("badge-demo");
  await app.database.db.update(organizations).set({ isDemo: true }).where(eq(organizations.id, org.orgId));
  expect(await (await get(app, "/", cookie)).text()).toContain('<span class="badge badge-demo">Demo</span>');
});

test("a page that does not exist is a 404 in the layout, with the menu for a signed-in user", async () => {
  const org = await createOrgWithUser(app, { name: "Birch Trust" });
  const cookie = await signInAs(app, org.email);
  const response = await get(app, "/learners/not-a-learner", cookie);
  expect(response.status).toBe(404);
  const html = await response.text();
  expect(html).toContain("Page not found");
  expect(html).toContain('<nav aria-label="Main">');
  expect(html).toContain('href="/learners"');
});
