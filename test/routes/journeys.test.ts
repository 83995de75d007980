/**
 * The Bulk Journey Updater (issue 19, point 4): choose learners by filter or by a file of ids
 * and usernames, preview who changes (and which entries name nobody), apply, undo once.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { auditLog, learners, schools, syncSettings } from "../../src/db/schema/index.ts";
import { saveConnection } from "../../src/connections/details.ts";
import { syncOrganization } from "../../src/sync/run/lifecycle.ts";
import { createOrgWithUser, createTestApp, formPost, get, signInAs, TEST_ORIGIN, type TestApp } from "../helpers/app.ts";
import { ALL_GRADES, makeDistrict } from "../helpers/sync-harness.ts";
import { districtZip } from "../helpers/district-zip.ts";

let app: TestApp;
let org: { orgId: string; cookie: string };

beforeAll(async () => {
  app = await createTestApp();
  const created = await createOrgWithUser(app, { licences: ["reading", "maths"] });
  org = { orgId: created.orgId, cookie: await signInAs(app, created.email) };
  await app.database.db.update(syncSettings).set({ scope: ALL_GRADES, defaultJourneyProductId: "reading" }).where(eq(syncSettings.orgId, org.orgId));
  await saveConnection(app.database.db, {
    orgId: org.orgId,
    details: { source: "oneroster", kind: "file", path: await districtZip(makeDistrict(60)) },
    secret: null,
    encryptionKey: app.deps.config.encryptionKey,
  });
  expect((await syncOrganization(app.deps.sync.deps, { orgId: org.orgId, trigger: "cli" })).status).toBe("succeeded");
}, 60_000);
afterAll(() => app.close());

const journeys = async () => {
  const rows = await app.database.db.select({ journey: learners.journeyProductId }).from(learners).where(eq(learners.orgId, org.orgId));
  const counts: Record<string, number> = {};
  for (const row of rows) counts[row.journey ?? "none"] = (counts[row.journey ?? "none"] ?? 0) + 1;
  return counts;
};

/** A multipart post, as the updater's form with a file is sent. */
function postMultipart(path: string, fields: Record<string, string>, file?: { name: string; text: string }) {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.append(name, value);
  if (file) body.append("file", new File([file.text], file.name, { type: "text/csv" }));
  return app.app.request(path, { method: "POST", headers: { cookie: org.cookie, origin: TEST_ORIGIN }, body });
}

describe("the Bulk Journey Updater", () => {
  test("by school: the preview says who changes and changes nothing; apply moves them; undo puts them back, once", async () => {
    const [school] = await app.database.db.select().from(schools).where(eq(schools.orgId, org.orgId)).limit(1);
    const inSchool = (
      await app.database.db
        .select()
        .from(learners)
        .where(and(eq(learners.orgId, org.orgId), eq(learners.schoolId, school!.id)))
    ).length;
    expect(await journeys()).toEqual({ reading: 60 });

    const choice = { by: "filter", schoolId: school!.id, productId: "maths" };
    const preview = await postMultipart("/learners/journeys/preview", choice);
    expect(preview.status).toBe(200);
    const html = await preview.text();
    expect(html).toContain(`Preview: ${inSchool} learners move to Maths Journey`);
    expect(html).toContain(`Apply to ${inSchool} learners`);
    expect(await journeys()).toEqual({ reading: 60 });

    const applied = await formPost(app, "/learners/journeys/apply", { ...choice, yearGroupCode: "", classId: "", list: "" }, { cookie: org.cookie });
    const done = await applied.text();
    expect(done).toContain(`${inSchool} learners now follow Maths Journey`);
    expect(await journeys()).toEqual({ reading: 60 - inSchool, maths: inSchool });
    const undoPath = /action="(\/learners\/journeys\/undo\/\d+)"/.exec(done)![1]!;

    const undone = await formPost(app, undoPath, {}, { cookie: org.cookie });
    expect(await undone.text()).toContain(`Undone: ${inSchool} learners are back`);
    expect(await journeys()).toEqual({ reading: 60 });
    expect((await formPost(app, undoPath, {}, { cookie: org.cookie })).status).toBe(409);
    const actions = (await app.database.db.select().from(auditLog).where(eq(auditLog.orgId, org.orgId))).map((entry) => entry.action);
    expect(actions).toEqual(expect.arrayContaining(["learner.journey_changed", "learner.journey_change_undone"]));
  });

  test("by a CSV file of ids: unknown entries are named and left out", async () => {
    const some = await app.database.db.select({ id: learners.id }).from(learners).where(eq(learners.orgId, org.orgId)).limit(5);
    const csv = ["learner_id", ...some.map((row) => row.id), "no-such-learner"].join("\n");
    const preview = await postMultipart("/learners/journeys/preview", { by: "list", productId: "maths" }, { name: "move.csv", text: csv });
    const html = await preview.text();
    expect(html).toContain("Preview: 5 learners move to Maths Journey");
    expect(html).toContain("1 entry names no active learner and is left out: no-such-learner");
    const applied = await postMultipart("/learners/journeys/apply", { by: "list", productId: "maths", list: some.map((row) => row.id).join("\n") });
    expect(await applied.text()).toContain("5 learners now follow Maths Journey");
  });

  test("a product without a licence is refused next to the field", async () => {
    const response = await postMultipart("/learners/journeys/preview", { by: "filter", productId: "insights" });
    expect(response.status).toBe(422);
    expect(await response.text()).toContain("Your organization has no licence for that product.");
  });

  test("the page offers every way to choose", async () => {
    const html = await (await get(app, "/learners/journeys", org.cookie)).text();
    expect(html).toContain("Bulk Journey Updater");
    expect(html).toContain('name="schoolId"');
    expect(html).toContain('type="file"');
  });
});
