/**
 * Year end in the browser (issue 19, point 5): preview what archiving a school year moves,
 * confirm, and with auto-carryover on the next sync shows the children who come back as
 * Returning, with their history.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { learners, syncRuns, syncSettings } from "../../src/db/schema/index.ts";
import { saveConnection } from "../../src/connections/details.ts";
import { syncOrganization } from "../../src/sync/run/lifecycle.ts";
import { createOrgWithUser, createTestApp, formPost, get, signInAs, type TestApp } from "../helpers/app.ts";
import { ALL_GRADES, makeDistrict } from "../helpers/sync-harness.ts";
import { districtZip } from "../helpers/district-zip.ts";

let app: TestApp;
let org: { orgId: string; cookie: string };
const count = async (status: "active" | "archived") =>
  (
    await app.database.db
      .select()
      .from(learners)
      .where(and(eq(learners.orgId, org.orgId), eq(learners.status, status)))
  ).length;

beforeAll(async () => {
  app = await createTestApp();
  const created = await createOrgWithUser(app);
  org = { orgId: created.orgId, cookie: await signInAs(app, created.email) };
  await app.database.db.update(syncSettings).set({ scope: ALL_GRADES, autoCarryover: true }).where(eq(syncSettings.orgId, org.orgId));
  await saveConnection(app.database.db, {
    orgId: org.orgId,
    details: { source: "oneroster", kind: "file", path: await districtZip(makeDistrict(20)) },
    secret: null,
    encryptionKey: app.deps.config.encryptionKey,
  });
  expect((await syncOrganization(app.deps.sync.deps, { orgId: org.orgId, trigger: "cli" })).status).toBe("succeeded");
}, 60_000);
afterAll(() => app.close());

describe("year end", () => {
  test("the page offers the open school year and previews what moves, changing nothing", async () => {
    const page = await (await get(app, "/settings/year-end", org.cookie)).text();
    expect(page).toContain("2025/26");
    expect(page).toContain("Auto-carryover is on");
    const preview = await formPost(app, "/settings/year-end/preview", { schoolYear: "2026" }, { cookie: org.cookie });
    const previewed = await preview.text();
    expect(previewed).toContain("12 classes and 20 learners would move to the archive");
    // 2025/26 has ended by now: no warning about archiving a year still going on.
    expect(previewed).not.toContain("is the school year going on now");
    expect(await count("archived")).toBe(0);
  });

  test("archiving needs the box ticked, then moves the year to the archive", async () => {
    const unconfirmed = await formPost(app, "/settings/year-end", { schoolYear: "2026" }, { cookie: org.cookie });
    expect(unconfirmed.status).toBe(422);
    expect(await unconfirmed.text()).toContain("Tick the box to confirm");
    expect(await count("archived")).toBe(0);
    const archived = await formPost(app, "/settings/year-end", { schoolYear: "2026", confirm: "on" }, { cookie: org.cookie });
    expect(await archived.text()).toContain("2025/26 is archived: 12 classes and 20 learners moved to the archive.");
    expect(await count("archived")).toBe(20);
  });

  test("with auto-carryover on, children who come back are Returning, restored with their history", async () => {
    const outcome = await syncOrganization(app.deps.sync.deps, { orgId: org.orgId, trigger: "cli" });
    expect(outcome.counts?.learners).toMatchObject({ Matched: 20, New: 0 });
    expect(await count("active")).toBe(20);
    const [run] = await app.database.db.select().from(syncRuns).where(eq(syncRuns.id, outcome.runId));
    const page = await (await get(app, `/sync/runs/${run!.id}`, org.cookie)).text();
    expect(page).toContain("Returning: found in the archive and restored with their history");
    // Each Matched row says why it was paired.
    expect(page).toContain("<summary>Why</summary>");
    expect(page).toContain("Why Rollcall paired these records");
  });
});
