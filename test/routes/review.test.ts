/** The May match review screen: the pair with its explanation, answers, roles and scoping. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { learners, matchDecisions, syncRunItems, syncRuns } from "../../src/db/schema/index.ts";
import { createOrgWithUser, createTestApp, formPost, get, signInAs, type TestApp } from "../helpers/app.ts";

let app: TestApp;
let admin: { orgId: string; userId: string; cookie: string };
let educatorCookie: string;
let otherCookie: string;
let itemId: number;

const explanation = {
  prior: -8.2,
  fields: [
    { field: "givenName", level: "nickname", label: "Nickname of each other (Bill / William)", weight: 4.1 },
    { field: "familyName", level: "exact", label: "Exactly the same", weight: 6.3 },
    { field: "dateOfBirth", level: "swap", label: "Day and month swapped", weight: 2.2 },
  ],
  total: 4.4,
  probability: 0.955,
  thresholds: { matched: 10, mayMatch: 2 },
  tier: "probabilistic",
};

beforeAll(async () => {
  app = await createTestApp();
  const first = await createOrgWithUser(app);
  admin = { ...first, cookie: await signInAs(app, first.email) };
  const teacher = await createOrgWithUser(app, { role: "educator" });
  educatorCookie = await signInAs(app, teacher.email);
  const other = await createOrgWithUser(app, { name: "Other District" });
  otherCookie = await signInAs(app, other.email);

  const db = app.database.db;
  const [learner] = await db
    .insert(learners)
    .values({ orgId: admin.orgId, givenName: "William", familyName: "Okafor", dateOfBirth: "2016-04-03" })
    .returning({ id: learners.id });
  const [run] = await db.insert(syncRuns).values({ orgId: admin.orgId, source: "clever", trigger: "scheduled", status: "held" }).returning({ id: syncRuns.id });
  const [item] = await db
    .insert(syncRunItems)
    .values({
      runId: run!.id,
      orgId: admin.orgId,
      entity: "learner",
      status: "May match",
      action: "review",
      entityId: learner!.id,
      sourceId: "clever-student-1",
      label: "Bill Okafor",
      after: {
        changes: [
          { field: "givenName", before: "William", after: "Bill" },
          { field: "dateOfBirth", before: "2016-04-03", after: "2016-03-04" },
        ],
      },
      explanation,
    })
    .returning({ id: syncRunItems.id });
  itemId = item!.id;
}, 60_000);
afterAll(() => app.close());

describe("review of possible matches", () => {
  test("the admin sees the pair, where the records differ, and the explanation", async () => {
    const page = await (await get(app, "/review", admin.cookie)).text();
    expect(page).toContain("Is Bill Okafor the same child as William Okafor?");
    expect(page).toContain("Day and month swapped");
    expect(page).toContain("95.5% likely the same child");
    expect(page).toContain("2016-03-04");
  });

  test("educators can look but not answer", async () => {
    const page = await (await get(app, "/review", educatorCookie)).text();
    expect(page).toContain("Nothing to review");
    const refused = await formPost(app, `/review/${itemId}/accept`, {}, { cookie: educatorCookie });
    expect(refused.status).toBe(403);
  });

  test("another organization cannot see or answer the pair", async () => {
    expect(await (await get(app, "/review", otherCookie)).text()).not.toContain("Okafor");
    expect((await formPost(app, `/review/${itemId}/accept`, {}, { cookie: otherCookie })).status).toBe(404);
    expect(await app.database.db.select().from(matchDecisions)).toHaveLength(0);
  });

  test("accepting records the decision once, and the pair leaves the list", async () => {
    const response = await formPost(app, `/review/${itemId}/accept`, {}, { cookie: admin.cookie });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Nothing to review");
    const decisions = await app.database.db.select().from(matchDecisions).where(eq(matchDecisions.orgId, admin.orgId));
    expect(decisions).toHaveLength(1);
    expect(decisions[0]).toMatchObject({ source: "clever", sourceId: "clever-student-1", decision: "accepted", decidedBy: admin.userId });
  });

  test("an htmx answer swaps in a confirmation fragment, not a page", async () => {
    const response = await app.app.request(`http://localhost/review/${itemId}/reject`, {
      method: "POST",
      headers: { Cookie: admin.cookie, "Sec-Fetch-Site": "same-origin", Origin: "http://localhost", "HX-Request": "true", "HX-Request-Type": "partial" },
    });
    const html = await response.text();
    expect(html).not.toContain("<html");
    expect(html).toContain("Kept apart");
    // The count left and the apply button come with it, the button now usable.
    expect(html).toContain('id="pairs-left" hx-swap-oob="true"');
    expect(html).toMatch(
      /<form id="apply-answers" hx-swap-oob="true" method="post" action="\/review\/apply"><button type="submit">Apply your answers<\/button>/,
    );
    const [decision] = await app.database.db.select().from(matchDecisions).where(eq(matchDecisions.orgId, admin.orgId));
    expect(decision!.decision).toBe("rejected");
  });
});
