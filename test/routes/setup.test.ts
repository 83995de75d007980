/**
 * The guided set-up of Roster Sync Settings (issue 19, point 2): the district ID checked with
 * Clever (a stand-in that answers as Clever does), one step at a time with errors next to the
 * field, nothing saved until "Save settings", and the success screen with the next sync time.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { auditLog, connections, syncSettings } from "../../src/db/schema/index.ts";
import { createDemoClever, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_DISTRICT_ID } from "../../src/demo/index.ts";
import { createOrgWithUser, createTestApp, formPost, get, signInAs, TEST_ORIGIN, type TestApp } from "../helpers/app.ts";
import { serve } from "../helpers/collect.ts";

const clever = serve(createDemoClever({ learners: 10 }).app.fetch);
let app: TestApp;
let admin: { orgId: string; cookie: string };

beforeAll(async () => {
  app = await createTestApp({
    CLEVER_CLIENT_ID: DEMO_CLIENT_ID,
    CLEVER_CLIENT_SECRET: DEMO_CLIENT_SECRET,
    CLEVER_API_URL: clever.url,
    CLEVER_OAUTH_URL: clever.url,
  });
  const created = await createOrgWithUser(app);
  admin = { orgId: created.orgId, cookie: await signInAs(app, created.email) };
}, 60_000);
afterAll(async () => {
  clever.stop();
  await app.close();
});

/** Every field of the settings form with its default, as a step's page carries them. */
function carriedFrom(html: string): Record<string, string | string[]> {
  const form: Record<string, string | string[]> = {};
  for (const [, name, value] of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) {
    const existing = form[name!];
    form[name!] = existing === undefined ? value! : [existing, value!].flat();
  }
  return form;
}

/** Posts a step's form as a browser does: a list is sent as one field per value. */
function postStep(form: Record<string, string | string[]>) {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(form)) for (const item of [value].flat()) body.append(name, item);
  return app.app.request("/settings/sync/setup", {
    method: "POST",
    headers: { cookie: admin.cookie, origin: TEST_ORIGIN, "content-type": "application/x-www-form-urlencoded" },
    body,
  });
}

const settingsRow = async () => (await app.database.db.select().from(syncSettings).where(eq(syncSettings.orgId, admin.orgId)))[0]!;

describe("the guided set-up", () => {
  test("a district ID Clever does not know is refused next to the field with where to find it, and nothing is saved", async () => {
    const response = await formPost(app, "/settings/sync/setup/connection", { districtId: "5f1c2b3a4d5e6f7081920a1b" }, { cookie: admin.cookie });
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toContain("double-check your district ID");
    expect(html).toContain('id="districtId-error"');
    expect(html).toContain("The instant login link ends with district_id=");
    expect(await app.database.db.select().from(connections).where(eq(connections.orgId, admin.orgId))).toHaveLength(0);
  });

  let schedulePage: string;
  test("the right district ID connects and opens the schedule step", async () => {
    const response = await formPost(app, "/settings/sync/setup/connection", { districtId: DEMO_DISTRICT_ID }, { cookie: admin.cookie });
    expect(response.status).toBe(200);
    schedulePage = await response.text();
    expect(schedulePage).toContain(`Clever is connected: district ${DEMO_DISTRICT_ID}`);
    expect(schedulePage).toContain("step 2 of 5, Schedule");
    expect(schedulePage).toContain('name="timeOfDay"');
  });

  test("a daytime daily schedule is refused next to the time, and nothing is saved", async () => {
    const form = {
      ...carriedFrom(schedulePage),
      step: "schedule",
      go: "next",
      scheduleEnabled: "on",
      frequency: "daily",
      weekday: "1",
      monthDay: "1",
      timeOfDay: "12:00",
    };
    const response = await postStep(form);
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toContain('id="timeOfDay-error"');
    expect(html).toContain("step 2 of 5, Schedule");
    expect((await settingsRow()).scheduleEnabled).toBe(false);
  });

  test("each step passes its values on; Back keeps them; Save settings saves all at once and shows the next sync", async () => {
    const schedule = {
      step: "schedule",
      go: "next",
      scheduleEnabled: "on",
      frequency: "daily",
      weekday: "1",
      monthDay: "1",
      timeOfDay: "02:30",
      fullReadEveryDays: "7",
    };
    let response = await postStep({ ...carriedFrom(schedulePage), ...schedule });
    let html = await response.text();
    expect(html).toContain("step 3 of 5, Additional settings");
    expect(html).toContain('<input type="hidden" name="timeOfDay" value="02:30"/>');
    expect((await settingsRow()).scheduleEnabled).toBe(false);

    // The step's own fields, as the admin leaves or sets them (removal stays off: its box is not sent).
    const additional: Record<string, string | string[]> = {
      ...carriedFrom(html),
      step: "additional",
      go: "next",
      sendSyncEmails: "on",
      allowClassNameOverride: "on",
      autoCarryover: "on",
      removalMode: "deactivate",
      retentionDays: "180",
      holdThresholdPercent: "10",
      holdThresholdMinimum: "10",
      mayMatchPolicy: "hold",
      grades: ["Kindergarten", "1"],
    };
    response = await postStep(additional);
    html = await response.text();
    expect(html).toContain("step 4 of 5, Educational journey");

    const back = await postStep({ ...carriedFrom(html), step: "journey", go: "back", defaultJourneyProductId: "" });
    const backHtml = await back.text();
    expect(backHtml).toContain("step 3 of 5, Additional settings");
    expect(backHtml).toMatch(/name="allowClassNameOverride" value="on" checked/);

    response = await postStep({ ...carriedFrom(html), step: "journey", go: "next", defaultJourneyProductId: "" });
    html = await response.text();
    expect(html).toContain("step 5 of 5, Save");
    expect(html).toContain("Allow edits to classroom names to override roster names");

    response = await postStep({ ...carriedFrom(html), step: "save", go: "next" });
    expect(response.status).toBe(200);
    html = await response.text();
    expect(html).toContain("Your roster sync is set up");
    expect(html).toMatch(/The next scheduled sync runs on \w+ \d+ \w+, 02:30|The next scheduled sync runs on \d+ \w+, 02:30/);
    expect(html).toContain("View Sync Status");
    expect(html).toContain('action="/sync/now"');
    expect(await settingsRow()).toMatchObject({
      scheduleEnabled: true,
      frequency: "daily",
      timeOfDay: "02:30",
      allowClassNameOverride: true,
      autoCarryover: true,
      allowRemoval: false,
      scope: { kind: "grades", grades: ["Kindergarten", "1"] },
    });
    const audit = await app.database.db.select().from(auditLog).where(eq(auditLog.orgId, admin.orgId));
    expect(audit.map((entry) => entry.action)).toContain("settings.sync_saved");
  });

  test("a returning admin can open any step directly", async () => {
    const html = await (await get(app, "/settings/sync/setup?step=journey", admin.cookie)).text();
    expect(html).toContain("step 4 of 5, Educational journey");
    // The other steps' saved values travel with it, so saving this step keeps them.
    expect(html).toContain('<input type="hidden" name="timeOfDay" value="02:30"/>');
  });
});
