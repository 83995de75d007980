/**
 * Preview before apply (issue 19, point 3): a preview changes nothing and never spends Sync Now;
 * a first sync always starts as a preview; "Apply these changes" is the Sync Now; applying
 * answered May match pairs and approving a held run are never blocked by the Sync Now rule.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { learners, syncRuns, syncSettings } from "../../src/db/schema/index.ts";
import { saveConnection } from "../../src/connections/details.ts";
import { createOrgWithUser, createTestApp, formPost, get, signInAs, type TestApp } from "../helpers/app.ts";
import { ALL_GRADES, makeDistrict } from "../helpers/sync-harness.ts";
import { districtZip } from "../helpers/district-zip.ts";

let app: TestApp;
let org: { orgId: string; cookie: string };

beforeAll(async () => {
  app = await createTestApp();
  const created = await createOrgWithUser(app);
  org = { orgId: created.orgId, cookie: await signInAs(app, created.email) };
  await app.database.db.update(syncSettings).set({ scope: ALL_GRADES }).where(eq(syncSettings.orgId, org.orgId));
  await saveConnection(app.database.db, {
    orgId: org.orgId,
    details: { source: "oneroster", kind: "file", path: await districtZip(makeDistrict(40)) },
    secret: null,
    encryptionKey: app.deps.config.encryptionKey,
  });
}, 60_000);
afterAll(() => app.close());

const learnerCount = async () => (await app.database.db.select().from(learners).where(eq(learners.orgId, org.orgId))).length;
const runsOf = async () => app.database.db.select().from(syncRuns).where(eq(syncRuns.orgId, org.orgId)).orderBy(syncRuns.createdAt);
const runIdFrom = (response: Response) => /\/sync\/runs\/([0-9a-f-]{36})$/.exec(response.headers.get("location") ?? "")?.[1];

describe("preview before apply", () => {
  let previewId: string;

  test("a first Sync Now opens a preview that changes nothing", async () => {
    const response = await formPost(app, "/sync/now", {}, { cookie: org.cookie });
    expect(response.status).toBe(303);
    previewId = runIdFrom(response)!;
    expect(previewId).toBeDefined();
    await app.deps.sync.idle();
    const [run] = await runsOf();
    expect(run).toMatchObject({ id: previewId, dryRun: true, status: "planned" });
    expect(await learnerCount()).toBe(0);
    const page = await (await get(app, `/sync/runs/${previewId}`, org.cookie)).text();
    expect(page).toContain("Nothing has changed yet");
    expect(page).toContain("Apply these changes");
    expect(page).toMatch(/<td class="number">40<\/td>/);
  });

  test("a preview never spends Sync Now: the Sync page still offers it", async () => {
    const page = await (await get(app, "/sync", org.cookie)).text();
    expect(page).toMatch(/<button type="submit" aria-describedby="sync-now-why">Sync now<\/button>/);
  });

  test("applying the preview is the Sync Now: it applies, and Sync Now is spent", async () => {
    const response = await formPost(app, `/sync/runs/${previewId}/apply`, {}, { cookie: org.cookie });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Applying the changes you previewed");
    await app.deps.sync.idle();
    const applied = (await runsOf()).at(-1)!;
    expect(applied).toMatchObject({ trigger: "sync_now", dryRun: false, status: "succeeded" });
    expect(await learnerCount()).toBe(40);
    const page = await (await get(app, "/sync", org.cookie)).text();
    expect(page).toMatch(/<button type="submit" disabled="" aria-describedby="sync-now-why">Sync now<\/button>/);
  });

  test("the applied preview cannot be applied twice: a newer run makes it out of date", async () => {
    const response = await formPost(app, `/sync/runs/${previewId}/apply`, {}, { cookie: org.cookie });
    expect(response.status).toBe(409);
    expect(await response.text()).toContain("Another sync or preview has started since this preview");
  });

  test("with Sync Now spent, a new preview still runs, and says why it cannot be applied", async () => {
    const response = await formPost(app, "/sync/preview", {}, { cookie: org.cookie });
    expect(response.status).toBe(303);
    await app.deps.sync.idle();
    const page = await (await get(app, `/sync/runs/${runIdFrom(response)}`, org.cookie)).text();
    expect(page).toContain("You already started a sync");
    expect(page).toMatch(/<button type="submit" disabled="" aria-describedby="apply-why">Apply these changes<\/button>/);
  });

  test("applying review answers is never blocked by the Sync Now rule", async () => {
    const response = await formPost(app, "/review/apply", {}, { cookie: org.cookie });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/sync");
    await app.deps.sync.idle();
    const [run] = await app.database.db
      .select()
      .from(syncRuns)
      .where(and(eq(syncRuns.orgId, org.orgId), eq(syncRuns.trigger, "review")));
    expect(run?.status).toBe("succeeded");
  });

  test("an htmx Sync Now that becomes a preview is sent to the preview's page whole", async () => {
    const other = await createOrgWithUser(app, { name: "Preview Two" });
    const cookie = await signInAs(app, other.email);
    await saveConnection(app.database.db, {
      orgId: other.orgId,
      details: { source: "oneroster", kind: "file", path: await districtZip(makeDistrict(10)) },
      secret: null,
      encryptionKey: app.deps.config.encryptionKey,
    });
    const response = await app.app.request("/sync/now", {
      method: "POST",
      headers: { cookie, origin: "http://localhost", "hx-request": "true", "content-type": "application/x-www-form-urlencoded" },
      body: "",
    });
    expect(response.status).toBe(204);
    expect(response.headers.get("hx-redirect")).toMatch(/^\/sync\/runs\/[0-9a-f-]{36}$/);
    await app.deps.sync.idle();
  });
});
