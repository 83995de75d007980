/**
 * Caching over the route table: every page, download, redirect and refusal carries
 * Cache-Control: no-store, for every role; only the static assets may be kept.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { createTestApp, type TestApp } from "../helpers/app.ts";
import { createFixture, type Fixture, type People, ROLES, ROUTE_RULES, send } from "./route-rules.ts";

const CACHEABLE = new Set(["/assets/:name", "/favicon.ico"]);

let t: TestApp;
let fixture: Fixture;
let people: People;

beforeAll(async () => {
  t = await createTestApp();
  ({ fixture, people } = await createFixture(t));
}, 60_000);
afterAll(() => t.close());

test(`each of the ${ROUTE_RULES.length} routes, for each of the ${ROLES.length} roles, says no-store unless it is a static asset`, async () => {
  const wrong: string[] = [];
  for (const rule of ROUTE_RULES) {
    for (const role of ROLES) {
      const response = await send(t, rule, rule.path(fixture), { cookie: await people.cookie(role) });
      await response.arrayBuffer();
      const expected = CACHEABLE.has(rule.pattern) ? "public, max-age=3600" : "no-store";
      const got = response.headers.get("Cache-Control");
      if (got !== expected) wrong.push(`${rule.method} ${rule.pattern} as ${role} (${response.status}): ${got}`);
    }
  }
  expect(wrong).toEqual([]);
}, 60_000);

test("a page that is not there, a cross-site refusal, and an asset answered 304, say the same", async () => {
  const crossSite = await t.app.request("http://localhost/sign-out", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "cross-site" },
  });
  expect(crossSite.status).toBe(403);
  expect(crossSite.headers.get("Cache-Control")).toBe("no-store");
  const missing = await t.app.request("http://localhost/no-such-page");
  expect(missing.status).toBe(404);
  expect(missing.headers.get("Cache-Control")).toBe("no-store");
  const first = await t.app.request("http://localhost/assets/app.css");
  const again = await t.app.request("http://localhost/assets/app.css", { headers: { "If-None-Match": first.headers.get("ETag")! } });
  expect(again.status).toBe(304);
  expect(again.headers.get("Cache-Control")).toBe("public, max-age=3600");
});
