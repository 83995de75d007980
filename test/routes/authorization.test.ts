/**
 * The authorization matrix, generated from the route table: every route, asked by someone
 * signed out, an educator, another organization's admin and the organization's admin, gets
 * the answer its rule in route-rules.ts declares. A route without a rule fails.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { createTestApp, type TestApp } from "../helpers/app.ts";
import { type Answer, appEndpoints, createFixture, type Fixture, type People, ROLES, ROUTE_RULES, send } from "./route-rules.ts";

let t: TestApp;
let fixture: Fixture;
let people: People;

beforeAll(async () => {
  t = await createTestApp();
  ({ fixture, people } = await createFixture(t));
}, 60_000);
afterAll(() => t.close());

test("every route of the app has exactly one rule, and every rule a route", () => {
  const declared = ROUTE_RULES.map((rule) => `${rule.method} ${rule.pattern}`);
  expect(new Set(declared).size).toBe(declared.length);
  expect(declared.sort()).toEqual(appEndpoints(t));
});

const outcome = (response: Response): Answer => {
  const location = response.headers.get("Location") ?? "";
  return (response.status === 303 && location.startsWith("/sign-in?next=")) || (response.status === 303 && location === "/sign-in")
    ? "sign-in"
    : response.status;
};

test(`each of the ${ROUTE_RULES.length} routes answers each of the ${ROLES.length} roles as declared`, async () => {
  const mismatches: string[] = [];
  for (const rule of ROUTE_RULES) {
    for (const role of ROLES) {
      const response = await send(t, rule, rule.path(fixture), { cookie: await people.cookie(role) });
      const got = outcome(response);
      if (got !== rule.answers[role]) mismatches.push(`${rule.method} ${rule.pattern} as ${role}: expected ${rule.answers[role]}, got ${got}`);
    }
  }
  expect(mismatches).toEqual([]);
}, 60_000);

test("what another organization's admin is refused shows nothing of the record", async () => {
  for (const rule of ROUTE_RULES.filter((candidate) => candidate.answers.otherAdmin === 404)) {
    const body = await (await send(t, rule, rule.path(fixture), { cookie: await people.cookie("otherAdmin") })).text();
    expect(body).not.toContain("Birch");
  }
});
