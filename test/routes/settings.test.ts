/** The roster sync settings page: saving, validation with nothing lost, licences, roles, audit. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { auditLog, syncSettings } from "../../src/db/schema/index.ts";
import { createOrgWithUser, createTestApp, get, signInAs, type TestApp } from "../helpers/app.ts";

let app: TestApp;
let admin: { orgId: string; cookie: string };
let educatorCookie: string;

beforeAll(async () => {
  app = await createTestApp();
  const first = await createOrgWithUser(app, { licences: ["reading", "insights"] });
  admin = { orgId: first.orgId, cookie: await signInAs(app, first.email) };
  const teacher = await createOrgWithUser(app, { role: "educator" });
  educatorCookie = await signInAs(app, teacher.email);
}, 60_000);
afterAll(() => app.close());

const valid = {
  scheduleEnabled: "on",
  frequency: "daily",
  weekday: "1",
  monthDay: "1",
  timeOfDay: "23:30",
  fullReadEveryDays: "5",
  allowRemoval: "on",
  removalMode: "deactivate",
  retentionDays: "180",
  sendSyncEmails: "on",
  defaultJourneyProductId: "reading",
  holdThresholdPercent: "10",
  holdThresholdMinimum: "5",
  mayMatchPolicy: "hold",
  grades: "Kindergarten",
};

function post(form: Record<string, string | string[]>, cookie = admin.cookie) {
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries(form)) for (const item of [value].flat()) body.append(key, item);
  return app.app.request("http://localhost/settings/sync", {
    method: "POST",
    headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "same-origin", Origin: "http://localhost" },
    body,
  });
}

async function stored() {
  const [row] = await app.database.db.select().from(syncSettings).where(eq(syncSettings.orgId, admin.orgId));
  return row!;
}

describe("roster sync settings", () => {
  test("the page shows the defaults: no schedule, no removal, emails on", async () => {
    const page = await (await get(app, "/settings/sync", admin.cookie)).text();
    expect(page).toContain("Roster Sync Settings");
    expect(page).toMatch(/name="sendSyncEmails" value="on" checked/);
    expect(page).not.toMatch(/name="allowRemoval" value="on" checked/);
  });

  test("valid settings are saved, with an audit entry", async () => {
    const response = await post({ ...valid, grades: ["Kindergarten", "1", "2"] });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Saved.");
    const row = await stored();
    expect(row).toMatchObject({
      scheduleEnabled: true,
      frequency: "daily",
      timeOfDay: "23:30",
      fullReadEveryDays: 5,
      allowRemoval: true,
      defaultJourneyProductId: "reading",
      autoCarryover: false,
    });
    expect(row.scope).toEqual({ kind: "grades", grades: ["Kindergarten", "1", "2"] });
    const audits = await app.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.orgId, admin.orgId), eq(auditLog.action, "settings.sync_saved")));
    expect(audits).toHaveLength(1);
  });

  test("a daily time outside the off-peak window is refused next to the time, and what was typed stays", async () => {
    const response = await post({ ...valid, timeOfDay: "14:00", retentionDays: "200" });
    expect(response.status).toBe(422);
    const page = await response.text();
    expect(page).toContain("Daily syncs must run outside school hours, between 22:00 and 05:00");
    expect(page).toContain('value="14:00"');
    expect(page).toContain('value="200"');
    expect((await stored()).timeOfDay).toBe("23:30");
  });

  test("numbers out of range and unlicensed journeys are refused", async () => {
    const response = await post({ ...valid, monthDay: "31", frequency: "monthly", defaultJourneyProductId: "maths", holdThresholdPercent: "0" });
    expect(response.status).toBe(422);
    const page = await response.text();
    expect(page).toContain("Enter a day of the month from 1 to 28.");
    expect(page).toContain("no licence for that product");
    expect(page).toContain("Enter a percentage from 1 to 100.");
  });

  test("at least one grade must be chosen", async () => {
    const { grades: _, ...withoutGrades } = valid;
    const response = await post(withoutGrades);
    expect(response.status).toBe(422);
    expect(await response.text()).toContain("Choose at least one grade");
  });

  test("educators can read the settings but not save them", async () => {
    const page = await (await get(app, "/settings/sync", educatorCookie)).text();
    expect(page).toContain("Only your organization");
    expect((await post(valid, educatorCookie)).status).toBe(403);
  });
});
