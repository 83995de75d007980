/**
 * Every route of the app, with who may do what: the one place the route-table tests read
 * (authorization matrix, malformed input, caching). A route added to the app without a rule
 * here fails those tests.
 *
 * Roles: signed out; an educator of the organization that owns the records; the admin of
 * another organization; the organization's own admin. Each request goes with a fresh session,
 * so a sign-out or a refusal never spoils the next one.
 */
import { createInvite } from "../../src/auth/invites.ts";
import { createSession } from "../../src/auth/sessions.ts";
import { eq } from "drizzle-orm";
import { classes, emailOutbox, learners, staffUsers, syncProblems, syncRunItems, syncRuns } from "../../src/db/schema/index.ts";
import { SESSION_COOKIE } from "../../src/routes/middleware.ts";
import { createOrgWithUser, TEST_ORIGIN, type TestApp } from "../helpers/app.ts";

export const ROLES = ["signedOut", "educator", "otherAdmin", "admin"] as const;
export type Role = (typeof ROLES)[number];

/** A status, or "sign-in": 303 to the sign-in page with the way back. */
export type Answer = number | "sign-in";

/** Records of the admin's organization that the routes' parameters point at. */
export interface Fixture {
  learnerId: string;
  classId: string;
  runId: string;
  reviewItemId: number;
  inviteToken: string;
  emailId: string;
}

export interface RouteRule {
  method: "GET" | "POST";
  /** The pattern as Hono lists it in app.routes. */
  pattern: string;
  /** A concrete path for the pattern. */
  path: (fixture: Fixture) => string;
  /** What each role gets for an empty (or no) form. */
  answers: Record<Role, Answer>;
  /** The route reads a form: the malformed-input test sends it broken bodies. */
  form?: boolean;
}

const everyone = (answer: Answer): Record<Role, Answer> => ({ signedOut: answer, educator: answer, otherAdmin: answer, admin: answer });
/** Any staff member sees it for their own organization. */
const staffPage: Record<Role, Answer> = { signedOut: "sign-in", educator: 200, otherAdmin: 200, admin: 200 };
/** A record of the admin's organization: another organization's admin finds nothing. */
const ownRecord: Record<Role, Answer> = { signedOut: "sign-in", educator: 200, otherAdmin: 404, admin: 200 };
/** Admins only; `admin` is what the organization's admin gets for this empty request, `otherAdmin` likewise. */
const adminAction = (admin: number, otherAdmin: number): Record<Role, Answer> => ({ signedOut: "sign-in", educator: 403, otherAdmin, admin });

export const ROUTE_RULES: RouteRule[] = [
  { method: "GET", pattern: "/healthz", path: () => "/healthz", answers: everyone(200) },
  { method: "GET", pattern: "/favicon.ico", path: () => "/favicon.ico", answers: everyone(301) },
  { method: "GET", pattern: "/assets/:name", path: () => "/assets/app.css", answers: everyone(200) },
  { method: "GET", pattern: "/sign-in", path: () => "/sign-in", answers: { signedOut: 200, educator: 303, otherAdmin: 303, admin: 303 } },
  { method: "POST", pattern: "/sign-in", path: () => "/sign-in", answers: everyone(422), form: true },
  { method: "POST", pattern: "/sign-out", path: () => "/sign-out", answers: everyone(303) },
  { method: "GET", pattern: "/invite/:token", path: (f) => `/invite/${f.inviteToken}`, answers: everyone(200) },
  { method: "POST", pattern: "/invite/:token", path: (f) => `/invite/${f.inviteToken}`, answers: everyone(422), form: true },
  // The pupil's side is public: an unknown verification link is refused with the reason (410), an empty password form too (422, the link is unknown: 410).
  { method: "GET", pattern: "/verify/:token", path: () => "/verify/not-a-token", answers: everyone(410) },
  { method: "POST", pattern: "/verify/:token", path: () => "/verify/not-a-token", answers: everyone(410), form: true },
  { method: "GET", pattern: "/learn/sign-in", path: () => "/learn/sign-in", answers: everyone(200) },
  { method: "POST", pattern: "/learn/sign-in", path: () => "/learn/sign-in", answers: everyone(422), form: true },
  { method: "GET", pattern: "/learn", path: () => "/learn", answers: everyone(303) },
  { method: "POST", pattern: "/learn/sign-out", path: () => "/learn/sign-out", answers: everyone(303) },
  { method: "GET", pattern: "/", path: () => "/", answers: staffPage },
  { method: "GET", pattern: "/learners", path: () => "/learners", answers: staffPage },
  { method: "GET", pattern: "/learners/:id", path: (f) => `/learners/${f.learnerId}`, answers: ownRecord },
  // Erasing a learner: the confirm page, and an empty confirmation refused with the reason.
  { method: "GET", pattern: "/learners/:id/erase", path: (f) => `/learners/${f.learnerId}/erase`, answers: adminAction(200, 404) },
  { method: "POST", pattern: "/learners/:id/erase", path: (f) => `/learners/${f.learnerId}/erase`, answers: adminAction(422, 404), form: true },
  // A learner's journey (an empty choice is "None") and access (an empty choice is refused); access for all who qualify.
  { method: "POST", pattern: "/learners/:id/journey", path: (f) => `/learners/${f.learnerId}/journey`, answers: adminAction(200, 404), form: true },
  { method: "POST", pattern: "/learners/:id/access", path: (f) => `/learners/${f.learnerId}/access`, answers: adminAction(422, 404), form: true },
  { method: "POST", pattern: "/learners/access", path: () => "/learners/access", answers: adminAction(200, 200) },
  // The fixture's learner has no address waiting to be confirmed: sending it again is refused with the reason.
  { method: "POST", pattern: "/learners/:id/verification", path: (f) => `/learners/${f.learnerId}/verification`, answers: adminAction(409, 404) },
  // The Bulk Journey Updater: an empty choice (every learner, "No journey") previews and applies; an unknown change cannot be undone.
  { method: "GET", pattern: "/learners/journeys", path: () => "/learners/journeys", answers: adminAction(200, 200) },
  { method: "POST", pattern: "/learners/journeys/preview", path: () => "/learners/journeys/preview", answers: adminAction(200, 422), form: true },
  { method: "POST", pattern: "/learners/journeys/apply", path: () => "/learners/journeys/apply", answers: adminAction(200, 200), form: true },
  { method: "POST", pattern: "/learners/journeys/undo/:entryId", path: () => "/learners/journeys/undo/1", answers: adminAction(409, 409) },
  { method: "GET", pattern: "/classes", path: () => "/classes", answers: staffPage },
  // Renaming: refused with the reason while the organization does not keep class names (the default); educators who do not teach the class are refused.
  { method: "POST", pattern: "/classes/:id/name", path: (f) => `/classes/${f.classId}/name`, answers: adminAction(409, 404), form: true },
  { method: "GET", pattern: "/classes/:id", path: (f) => `/classes/${f.classId}`, answers: ownRecord },
  { method: "GET", pattern: "/settings", path: () => "/settings", answers: staffPage },
  { method: "GET", pattern: "/settings/connection", path: () => "/settings/connection", answers: staffPage },
  { method: "POST", pattern: "/settings/connection/clever", path: () => "/settings/connection/clever", answers: adminAction(422, 422), form: true },
  { method: "POST", pattern: "/settings/connection/wonde", path: () => "/settings/connection/wonde", answers: adminAction(422, 422), form: true },
  {
    method: "POST",
    pattern: "/settings/connection/oneroster-api",
    path: () => "/settings/connection/oneroster-api",
    answers: adminAction(422, 422),
    form: true,
  },
  { method: "POST", pattern: "/settings/connection/oneroster", path: () => "/settings/connection/oneroster", answers: adminAction(422, 422), form: true },
  { method: "POST", pattern: "/settings/connection/check", path: () => "/settings/connection/check", answers: adminAction(422, 422) },
  // An organization's own data: each admin downloads their own organization's roster.
  { method: "GET", pattern: "/settings/data", path: () => "/settings/data", answers: adminAction(200, 200) },
  { method: "GET", pattern: "/settings/data/roster.zip", path: () => "/settings/data/roster.zip", answers: adminAction(200, 200) },
  { method: "GET", pattern: "/settings/sync", path: () => "/settings/sync", answers: staffPage },
  { method: "POST", pattern: "/settings/sync", path: () => "/settings/sync", answers: adminAction(422, 422), form: true },
  // The guided set-up is for admins: its steps, the district ID (an empty one is refused), and a step's form (an empty one is sent back).
  { method: "GET", pattern: "/settings/sync/setup", path: () => "/settings/sync/setup", answers: adminAction(200, 200) },
  { method: "POST", pattern: "/settings/sync/setup", path: () => "/settings/sync/setup", answers: adminAction(422, 422), form: true },
  { method: "POST", pattern: "/settings/sync/setup/connection", path: () => "/settings/sync/setup/connection", answers: adminAction(422, 422), form: true },
  // Year end: the page, a preview of an empty choice and an unconfirmed archive are sent back with the reason.
  { method: "GET", pattern: "/settings/year-end", path: () => "/settings/year-end", answers: adminAction(200, 200) },
  { method: "POST", pattern: "/settings/year-end/preview", path: () => "/settings/year-end/preview", answers: adminAction(422, 422), form: true },
  { method: "POST", pattern: "/settings/year-end", path: () => "/settings/year-end", answers: adminAction(422, 422), form: true },
  { method: "GET", pattern: "/review", path: () => "/review", answers: staffPage },
  { method: "POST", pattern: "/review/:itemId/accept", path: (f) => `/review/${f.reviewItemId}/accept`, answers: adminAction(200, 404) },
  { method: "POST", pattern: "/review/:itemId/reject", path: (f) => `/review/${f.reviewItemId}/reject`, answers: adminAction(200, 404) },
  // Applying answers runs a sync, which needs a roster source (neither organization has one: 409).
  { method: "POST", pattern: "/review/apply", path: () => "/review/apply", answers: adminAction(409, 409) },
  // The MIS user sync reads the school's system: neither organization has one connected (409, with the reason).
  { method: "GET", pattern: "/school/mis-sync", path: () => "/school/mis-sync", answers: adminAction(409, 409) },
  { method: "POST", pattern: "/school/mis-sync", path: () => "/school/mis-sync", answers: adminAction(409, 409), form: true },
  { method: "POST", pattern: "/school/mis-sync/runs/:id/save", path: (f) => `/school/mis-sync/runs/${f.runId}/save`, answers: adminAction(409, 404) },
  { method: "GET", pattern: "/sync", path: () => "/sync", answers: staffPage },
  { method: "GET", pattern: "/sync/status", path: () => "/sync/status", answers: staffPage },
  { method: "POST", pattern: "/sync/now", path: () => "/sync/now", answers: adminAction(409, 409) },
  { method: "POST", pattern: "/sync/preview", path: () => "/sync/preview", answers: adminAction(409, 409) },
  { method: "GET", pattern: "/sync/history", path: () => "/sync/history", answers: staffPage },
  { method: "GET", pattern: "/sync/runs/:id", path: (f) => `/sync/runs/${f.runId}`, answers: ownRecord },
  { method: "GET", pattern: "/sync/runs/:id/problems.csv", path: (f) => `/sync/runs/${f.runId}/problems.csv`, answers: ownRecord },
  { method: "GET", pattern: "/sync/runs/:id/changes.csv", path: (f) => `/sync/runs/${f.runId}/changes.csv`, answers: ownRecord },
  // The run is finished, so approving or cancelling it is refused with the reason (409); undo is refused while nothing newer may be undone.
  { method: "POST", pattern: "/sync/runs/:id/approve", path: (f) => `/sync/runs/${f.runId}/approve`, answers: adminAction(409, 404) },
  { method: "POST", pattern: "/sync/runs/:id/cancel", path: (f) => `/sync/runs/${f.runId}/cancel`, answers: adminAction(409, 404) },
  // The fixture's run is not a preview: applying it is refused with the reason.
  { method: "POST", pattern: "/sync/runs/:id/apply", path: (f) => `/sync/runs/${f.runId}/apply`, answers: adminAction(409, 404) },
  { method: "POST", pattern: "/sync/runs/:id/undo", path: (f) => `/sync/runs/${f.runId}/undo`, answers: adminAction(409, 404) },
  // The development outbox exists only in embedded mode (as in these tests) and answers only this machine, signed in or not.
  { method: "GET", pattern: "/dev/outbox", path: () => "/dev/outbox", answers: everyone(200) },
  { method: "GET", pattern: "/dev/outbox/:id", path: (f) => `/dev/outbox/${f.emailId}`, answers: everyone(200) },
  { method: "GET", pattern: "/dev/outbox/:id/html", path: (f) => `/dev/outbox/${f.emailId}/html`, answers: everyone(200) },
  { method: "GET", pattern: "/dev/demo", path: () => "/dev/demo", answers: adminAction(200, 200) },
  { method: "POST", pattern: "/dev/demo/next-day", path: () => "/dev/demo/next-day", answers: adminAction(200, 200) },
  { method: "POST", pattern: "/dev/demo/scheduled-sync", path: () => "/dev/demo/scheduled-sync", answers: adminAction(200, 200) },
];

/** The app's endpoints (not its middleware): every method and pattern a handler answers. */
export function appEndpoints(test: TestApp): string[] {
  const endpoints = new Set<string>();
  for (const route of test.app.routes) {
    if (route.method === "ALL" || route.path.endsWith("*")) continue;
    endpoints.add(`${route.method} ${route.path}`);
  }
  return [...endpoints].sort();
}

export interface People {
  orgId: string;
  /** A fresh session cookie for the role (undefined when signed out). */
  cookie(role: Role): Promise<string | undefined>;
}

/** The admin's organization with one of each record, its educator, and another organization's admin. */
export async function createFixture(test: TestApp): Promise<{ fixture: Fixture; people: People }> {
  const db = test.database.db;
  const admin = await createOrgWithUser(test, { name: "Birch District" });
  const educator = await createOrgWithUser(test, { role: "educator" });
  // The educator belongs to the admin's organization.
  await db.update(staffUsers).set({ orgId: admin.orgId }).where(eq(staffUsers.id, educator.userId));
  const other = await createOrgWithUser(test, { name: "Other District" });

  const [learner] = await db
    .insert(learners)
    .values({ orgId: admin.orgId, givenName: "Ada", familyName: "Birch", dateOfBirth: "2016-04-03" })
    .returning({ id: learners.id });
  const [klass] = await db.insert(classes).values({ orgId: admin.orgId, kind: "registration_group", name: "Birch 3" }).returning({ id: classes.id });
  const [run] = await db
    .insert(syncRuns)
    .values({ orgId: admin.orgId, source: "clever", trigger: "sync_now", status: "failed", finishedAt: new Date(), errorMessage: "The source did not answer." })
    .returning({ id: syncRuns.id });
  await db
    .insert(syncProblems)
    .values({ runId: run!.id, orgId: admin.orgId, severity: "warning", file: "users.csv", line: 2, field: "birthDate", message: "Left empty." });
  const [item] = await db
    .insert(syncRunItems)
    .values({
      runId: run!.id,
      orgId: admin.orgId,
      entity: "learner",
      status: "May match",
      action: "review",
      entityId: learner!.id,
      sourceId: "clever-1",
      label: "Ada Birch",
      after: { changes: [] },
    })
    .returning({ id: syncRunItems.id });
  const invite = await createInvite(db, { orgId: admin.orgId, email: "new-teacher@birch.test", role: "educator" }, TEST_ORIGIN);
  const [email] = await db.select({ id: emailOutbox.id }).from(emailOutbox).limit(1);

  const users: Record<Exclude<Role, "signedOut">, { id: string; orgId: string }> = {
    educator: { id: educator.userId, orgId: admin.orgId },
    otherAdmin: { id: other.userId, orgId: other.orgId },
    admin: { id: admin.userId, orgId: admin.orgId },
  };
  return {
    fixture: { learnerId: learner!.id, classId: klass!.id, runId: run!.id, reviewItemId: item!.id, inviteToken: invite.token, emailId: email!.id },
    people: {
      orgId: admin.orgId,
      async cookie(role) {
        if (role === "signedOut") return undefined;
        return `${SESSION_COOKIE}=${await createSession(db, users[role])}`;
      },
    },
  };
}

/** A request as a browser on our pages sends it (same-origin signal on POSTs). */
export function send(
  test: TestApp,
  rule: RouteRule,
  path: string,
  options: { cookie?: string | undefined; body?: BodyInit; contentType?: string; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.cookie) headers.Cookie = options.cookie;
  if (rule.method === "POST") {
    headers["Sec-Fetch-Site"] = "same-origin";
    headers.Origin = TEST_ORIGIN;
    headers["Content-Type"] = options.contentType ?? "application/x-www-form-urlencoded";
  }
  return test.app.request(`${TEST_ORIGIN}${path}`, { method: rule.method, headers, ...(rule.method === "POST" ? { body: options.body ?? "" } : {}) });
}
