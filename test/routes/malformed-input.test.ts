/**
 * Hostile and broken input to every route, generated from the route table and sent as the
 * organization's admin: NUL characters, overlong values, forms cut short, bodies over the
 * limit, broken encodings. No route may answer 500; a refusal is a page that says what was wrong.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { ROSTER_UPLOAD_PATH } from "../../src/routes/receive-upload.ts";
import { FORM_BODY_LIMIT_BYTES } from "../../src/routes/input.tsx";
import { createTestApp, type TestApp } from "../helpers/app.ts";
import { createFixture, type Fixture, type People, ROUTE_RULES, type RouteRule, send } from "./route-rules.ts";

/** Every field name the app's forms read, so each handler sees its own fields broken. */
const FIELDS = [
  "email",
  "password",
  "next",
  "name",
  "confirm",
  "districtId",
  "clientId",
  "clientSecret",
  "schoolId",
  "token",
  "baseUrl",
  "tokenUrl",
  "scheduleEnabled",
  "frequency",
  "weekday",
  "monthDay",
  "timeOfDay",
  "allowRemoval",
  "removalMode",
  "retentionDays",
  "sendSyncEmails",
  "autoCarryover",
  "allowClassNameOverride",
  "defaultJourneyProductId",
  "holdThresholdPercent",
  "holdThresholdMinimum",
  "mayMatchPolicy",
  "grades",
];

const form = (value: string) => new URLSearchParams(FIELDS.map((field) => [field, value])).toString();
const multipart = (body: string) => ({ contentType: "multipart/form-data; boundary=XX", body });

interface Case {
  name: string;
  path?: (path: string, rule: RouteRule) => string;
  body?: { contentType?: string; body: BodyInit };
}

const GET_CASES: Case[] = [
  { name: "NUL in the query", path: (path) => `${path}?q=Ann%00&page=%00&status=%00&next=%00` },
  { name: "overlong query", path: (path) => `${path}?q=${"x".repeat(20_000)}&page=${"9".repeat(400)}&status=${"y".repeat(5000)}` },
  { name: "broken percent-encoding in the query", path: (path) => `${path}?q=%E0%A4%A&page=%zz` },
];

const PARAM_CASES: Case[] = [
  { name: "NUL as the id", path: (path, rule) => withParam(path, rule, "%00") },
  { name: "overlong id", path: (path, rule) => withParam(path, rule, "x".repeat(3000)) },
  { name: "id with a quote and a comment", path: (path, rule) => withParam(path, rule, "1'%20or%201=1--") },
];

const POST_CASES: Case[] = [
  { name: "NUL in every field", body: { body: form("a\u0000b") } },
  { name: "overlong fields", body: { body: form("x".repeat(1500)) } },
  { name: "broken percent-encoding", body: { body: "email=%zz&password=%&name=%E0%A4%A&timeOfDay=%" } },
  { name: "bytes that are not UTF-8", body: { body: new Uint8Array([0x65, 0x6d, 0x61, 0x69, 0x6c, 0x3d, 0xff, 0xfe, 0xc3]) } },
  {
    name: "multipart without its final boundary",
    body: multipart(
      '--XX\r\nContent-Disposition: form-data; name="email"\r\n\r\nsomeone@school.test\r\n--XX\r\nContent-Disposition: form-data; name="file"; filename="roster.zip"\r\n\r\nPK\u0003\u0004unfinished',
    ),
  },
  { name: "multipart with no boundary", body: { contentType: "multipart/form-data", body: "--XX\r\nnothing\r\n--XX--" } },
  { name: "multipart with NUL in a field", body: multipart('--XX\r\nContent-Disposition: form-data; name="name"\r\n\r\nA\u0000B\r\n--XX--\r\n') },
];

/** Replaces the route's last parameter (":id", ":token", ":itemId") with `value`. */
function withParam(path: string, rule: RouteRule, value: string): string {
  const segments = rule.pattern.split("/");
  const index = segments.findLastIndex((segment) => segment.startsWith(":"));
  const parts = path.split("/");
  parts[index] = value;
  return parts.join("/");
}

let t: TestApp;
let fixture: Fixture;
let people: People;

beforeAll(async () => {
  t = await createTestApp();
  ({ fixture, people } = await createFixture(t));
}, 60_000);
afterAll(() => t.close());

function casesFor(rule: RouteRule): Case[] {
  const cases = rule.method === "GET" ? [...GET_CASES] : [...POST_CASES, ...GET_CASES];
  if (rule.pattern.includes(":")) cases.push(...PARAM_CASES);
  return cases;
}

/** A refusal a person can read: an HTML page with an error notice, a field marked with its message, or "not found". */
async function explains(response: Response): Promise<boolean> {
  if (response.status < 400) return true;
  const type = response.headers.get("Content-Type") ?? "";
  const body = await response.text();
  return type.includes("text/html") && /notice-error|field-error|aria-invalid="true"|Page not found/.test(body);
}

test(`no route answers 500 to malformed input (${ROUTE_RULES.length} routes)`, async () => {
  const failures: string[] = [];
  let sent = 0;
  for (const rule of ROUTE_RULES) {
    for (const item of casesFor(rule)) {
      const base = rule.path(fixture);
      const path = item.path ? item.path(base, rule) : base;
      const response = await send(t, rule, path, {
        cookie: await people.cookie("admin"),
        ...(item.body ? { body: item.body.body, contentType: item.body.contentType } : {}),
      });
      sent++;
      const readable = await explains(response);
      if (response.status >= 500 || !readable)
        failures.push(`${rule.method} ${rule.pattern}, ${item.name}: ${response.status}${readable ? "" : " without an explanation"}`);
    }
  }
  expect(failures).toEqual([]);
  expect(sent).toBeGreaterThan(ROUTE_RULES.length * 3);
}, 120_000);

test("a form over the limit is refused with 413 on every route but the roster upload", async () => {
  const body = form("x".repeat(Math.ceil(FORM_BODY_LIMIT_BYTES / FIELDS.length) + 10));
  for (const rule of ROUTE_RULES.filter((candidate) => candidate.method === "POST" && candidate.pattern !== ROSTER_UPLOAD_PATH)) {
    const response = await send(t, rule, rule.path(fixture), { cookie: await people.cookie("admin"), body });
    expect({ route: rule.pattern, status: response.status }).toEqual({ route: rule.pattern, status: 413 });
    expect(await response.text()).toContain(`(${FORM_BODY_LIMIT_BYTES / 1024} KB)`);
  }
});

test("a NUL in a search, a sign-in email or a web address is refused with a reason", async () => {
  const cookie = await people.cookie("admin");
  const search = await send(t, ROUTE_RULES.find((rule) => rule.pattern === "/learners")!, "/learners?q=Ada%00", { cookie });
  expect(search.status).toBe(400);
  expect(await search.text()).toContain("null character");
  const signIn = await send(t, ROUTE_RULES.find((rule) => rule.pattern === "/sign-in" && rule.method === "POST")!, "/sign-in", {
    body: new URLSearchParams({ email: "ada\u0000@birch.test", password: "whatever it may be" }).toString(),
  });
  expect(signIn.status).toBe(400);
  expect(await signIn.text()).toContain("null character");
  const api = await send(t, ROUTE_RULES.find((rule) => rule.pattern === "/settings/connection/oneroster-api")!, "/settings/connection/oneroster-api", {
    cookie,
    body: new URLSearchParams({
      baseUrl: "https://sis.example.org/\u0000",
      tokenUrl: "https://sis.example.org/token",
      clientId: "a",
      clientSecret: "b",
    }).toString(),
  });
  expect(api.status).toBe(400);
});

test("a form cut before its final boundary is a 400 page, also on the roster upload", async () => {
  for (const pattern of ["/settings/sync", ROSTER_UPLOAD_PATH]) {
    const rule = ROUTE_RULES.find((candidate) => candidate.pattern === pattern && candidate.method === "POST")!;
    const response = await send(t, rule, pattern, {
      cookie: await people.cookie("admin"),
      ...multipart('--XX\r\nContent-Disposition: form-data; name="file"; filename="roster.zip"\r\n\r\nPK'),
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("arrived incomplete or damaged");
  }
});
