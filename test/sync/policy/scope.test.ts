/**
 * Scope says what it leaves out (issue 16, point 7): "all grades" takes in learners with no
 * grade; a narrower scope counts what it leaves out by why, and the run page says it in plain
 * words. A real zip whose users.csv has no grades column, read by the real reader.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { syncRuns, syncSettings, type SyncScope } from "../../../src/db/schema/index.ts";
import { GRADE_CODES } from "../../../src/roster/snapshot.ts";
import { saveConnection } from "../../../src/connections/details.ts";
import { syncOrganization } from "../../../src/sync/run/lifecycle.ts";
import { createOrgWithUser, createTestApp, get, signInAs, type TestApp } from "../../helpers/app.ts";
import { zipFiles } from "../../helpers/oneroster.ts";

const FILES = {
  "manifest.csv": [
    "propertyName,value",
    "manifest.version,1.0",
    "oneroster.version,1.1",
    ...["orgs", "academicSessions", "classes", "users", "enrollments"].map((file) => `file.${file},bulk`),
  ].join("\n"),
  "orgs.csv": "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId\nsch-1,,,Maple Elementary,school,101,\n",
  "academicSessions.csv":
    "sourcedId,status,dateLastModified,title,type,startDate,endDate,parentSourcedId,schoolYear\ny2026,,,2025-2026,schoolYear,2025-08-20,2026-06-10,,2026\n",
  "classes.csv":
    "sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods\ncls-3,,,Grade 3 Homeroom,03,,,homeroom,,sch-1,y2026,,,\n",
  // No grades column: no learner has a grade.
  "users.csv": [
    "sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,password",
    "stu-1,,,true,sch-1,student,ava,,Ava,Okafor,,S1,,,,,",
    "stu-2,,,true,sch-1,student,noah,,Noah,Smith,,S2,,,,,",
    "tch-1,,,true,sch-1,teacher,lee,,Maria,Lee,,T1,lee@maple.test,,,,",
    "tch-2,,,true,sch-1,teacher,ito,,Ken,Ito,,T2,ito@maple.test,,,,",
  ].join("\n"),
  "enrollments.csv":
    "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate\ne1,,,cls-3,sch-1,stu-1,student,,,\ne2,,,cls-3,sch-1,tch-1,teacher,true,,\n",
};

let app: TestApp;
let zip: string;
beforeAll(async () => {
  app = await createTestApp();
  zip = await zipFiles(FILES);
}, 60_000);
afterAll(() => app.close());

/** A fresh organization on the zip with this scope, synced once; its admin's cookie. */
async function syncWith(scope: SyncScope) {
  const org = await createOrgWithUser(app);
  await saveConnection(app.database.db, {
    orgId: org.orgId,
    details: { source: "oneroster", kind: "file", path: zip },
    secret: null,
    encryptionKey: app.deps.config.encryptionKey,
  });
  await app.database.db.update(syncSettings).set({ scope }).where(eq(syncSettings.orgId, org.orgId));
  const outcome = await syncOrganization(app.deps.sync.deps, { orgId: org.orgId, trigger: "cli" });
  expect(outcome.status).toBe("succeeded");
  const page = await (await get(app, `/sync/runs/${outcome.runId}`, await signInAs(app, org.email))).text();
  return { outcome, page };
}

describe("scope", () => {
  test("every grade takes in learners with no grade, in a class or not", async () => {
    const { outcome, page } = await syncWith({ kind: "grades", grades: [...GRADE_CODES] });
    expect(outcome.counts!.learners.New).toBe(2);
    expect(outcome.outOfScope).toMatchObject({ classes: 0, learnersInOtherClasses: 0, learnersInOtherGrades: 0, learnersWithoutGrade: 0, educators: 1 });
    expect(page).toContain("Left out by your sync settings");
    expect(page).toContain("1 educator teaches no class that is synced.");
    // The reader's own warning ("users.csv has no grades column") may mention grades; the scope note may not.
    expect(page).not.toContain("in no class and");
  });

  test("a chosen grade leaves out the learner with no grade and no class, and says so", async () => {
    const { outcome, page } = await syncWith({ kind: "grades", grades: ["3"] });
    expect(outcome.counts!.learners.New).toBe(1);
    expect(outcome.outOfScope).toMatchObject({ classes: 0, learnersWithoutGrade: 1, educators: 1 });
    expect(page).toContain("1 learner is in no class and has no grade; choosing every grade includes them.");
    const [run] = await app.database.db.select().from(syncRuns).where(eq(syncRuns.id, outcome.runId));
    expect(run!.outOfScope).toEqual(outcome.outOfScope!);
  });

  test("a grade nobody is in leaves out the class and everyone, each for its reason", async () => {
    const { outcome, page } = await syncWith({ kind: "grades", grades: ["Kindergarten"] });
    expect(outcome.counts!.learners.New).toBe(0);
    expect(outcome.outOfScope).toMatchObject({ classes: 1, learnersInOtherClasses: 1, learnersWithoutGrade: 1, educators: 2 });
    expect(page).toContain("1 class is for grades you do not sync.");
    expect(page).toContain("1 learner is only in classes that are not synced.");
    expect(page).toContain("2 educators teach no class that is synced.");
  });
});
