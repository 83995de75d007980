/** The roster source page: saving each source, validation, secrets kept sealed, roles and scoping. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { eq } from "drizzle-orm";
import yazl from "yazl";
import { connections, syncSettings } from "../../src/db/schema/index.ts";
import { createOrgWithUser, createTestApp, formPost, get, signInAs, TEST_ORIGIN, type TestApp } from "../helpers/app.ts";
import { createDemoClever, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_DISTRICT_ID } from "../../src/demo/index.ts";
import { serve } from "../helpers/collect.ts";
import { fixtureDir } from "../helpers/oneroster.ts";
import { startWondeStandIn } from "../helpers/wonde-standin.ts";
import { collectionsFromCsv, startOneRosterApi } from "../helpers/oneroster-api.ts";

let app: TestApp;
let admin: { orgId: string; cookie: string };
let educator: { orgId: string; cookie: string };
let other: { orgId: string; cookie: string };

// Clever and Wonde as the operator's apps reach them: stand-ins that answer as each does.
const clever = serve(createDemoClever({ learners: 10 }).app.fetch);
const pendingSchool = { id: "A2000000001", name: "Brook Lane Primary" };
const wonde = startWondeStandIn(
  { school: { id: "A1930499544", name: "Wonde Testing School" }, students: [], employees: [], classes: [], groups: [], deletions: [] },
  "app-token",
  [pendingSchool],
);
afterAll(() => {
  clever.stop();
  wonde.stop();
});

beforeAll(async () => {
  app = await createTestApp({
    CLEVER_CLIENT_ID: DEMO_CLIENT_ID,
    CLEVER_CLIENT_SECRET: DEMO_CLIENT_SECRET,
    CLEVER_API_URL: clever.url,
    CLEVER_OAUTH_URL: clever.url,
    WONDE_APP_TOKEN: "app-token",
    WONDE_API_URL: wonde.url,
  });
  const first = await createOrgWithUser(app);
  admin = { orgId: first.orgId, cookie: await signInAs(app, first.email) };
  const teacher = await createOrgWithUser(app, { role: "educator" });
  educator = { orgId: teacher.orgId, cookie: await signInAs(app, teacher.email) };
  const second = await createOrgWithUser(app, { name: "Other District" });
  other = { orgId: second.orgId, cookie: await signInAs(app, second.email) };
}, 60_000);
afterAll(() => app.close());

function upload(cookie: string, name: string, bytes: Uint8Array) {
  const form = new FormData();
  form.append("file", new File([Buffer.from(bytes)], name, { type: "application/zip" }));
  return app.app.request(`${TEST_ORIGIN}/settings/connection/oneroster`, {
    method: "POST",
    headers: { Cookie: cookie, "Sec-Fetch-Site": "same-origin", Origin: TEST_ORIGIN },
    body: form,
  });
}

async function smallZip(): Promise<Uint8Array> {
  const zip = new yazl.ZipFile();
  zip.addBuffer(Buffer.from("propertyName,value\noneroster.version,1.1\n"), "manifest.csv");
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}

describe("roster source page", () => {
  test("an empty organization is told nothing is connected", async () => {
    const page = await (await get(app, "/settings/connection", admin.cookie)).text();
    expect(page).toContain("No roster source is connected yet");
  });

  test("a Clever district ID that is not one is refused next to its field and nothing is saved", async () => {
    const response = await formPost(app, "/settings/connection/clever", { districtId: "not-an-id" }, { cookie: admin.cookie });
    expect(response.status).toBe(422);
    expect(await response.text()).toContain("a Clever district ID is 24 letters and digits");
    expect(await app.database.db.select().from(connections).where(eq(connections.orgId, admin.orgId))).toHaveLength(0);
  });

  test("a well-formed district ID Clever does not know is refused with 'double-check your district ID' and where to find it", async () => {
    const response = await formPost(app, "/settings/connection/clever", { districtId: "5f1c2b3a4d5e6f7081920a1b" }, { cookie: admin.cookie });
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toContain("double-check your district ID");
    expect(html).toContain('id="clever-districtId-error"');
    // Where to find the right one stays beside the field.
    expect(html).toContain("the instant login link ends with district_id=");
    expect(html).toContain('value="5f1c2b3a4d5e6f7081920a1b"');
    expect(await app.database.db.select().from(connections).where(eq(connections.orgId, admin.orgId))).toHaveLength(0);
  });

  test("the district ID alone connects Clever, pasted as the ID or as the whole instant login link; the app's credentials are the operator's", async () => {
    const link = `https://clever.com/oauth/authorize?response_type=code&district_id=${DEMO_DISTRICT_ID.toUpperCase()}&client_id=abc`;
    const saved = await formPost(app, "/settings/connection/clever", { districtId: link }, { cookie: admin.cookie });
    expect(saved.status).toBe(200);
    expect(await saved.text()).toContain(`Clever is connected: district ${DEMO_DISTRICT_ID}`);
    const [row] = await app.database.db.select().from(connections).where(eq(connections.orgId, admin.orgId));
    expect(row!.details).toEqual({ source: "clever", districtId: DEMO_DISTRICT_ID });
    expect(row!.secret).toBeNull();
  });

  test("a file that is not a zip is refused by name; a zip is stored and becomes the active source", async () => {
    const refused = await upload(admin.cookie, "roster.csv", new TextEncoder().encode("sourcedId,name\n1,x\n"));
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain("roster.csv: This is not a zip file");

    const accepted = await upload(admin.cookie, "district-roster.zip", await smallZip());
    expect(accepted.status).toBe(200);
    expect(await accepted.text()).toContain("district-roster.zip is uploaded");
    const [settings] = await app.database.db.select().from(syncSettings).where(eq(syncSettings.orgId, admin.orgId));
    expect(settings!.activeSource).toBe("oneroster");
    const [row] = await app.database.db.select().from(connections).where(eq(connections.source, "oneroster"));
    const path = (row!.details as { path: string }).path;
    expect(existsSync(path)).toBe(true);
    expect(readFileSync(path).subarray(0, 2).toString()).toBe("PK");
  });

  test("a Wonde school ID must look like one", async () => {
    const response = await formPost(app, "/settings/connection/wonde", { schoolId: "12345" }, { cookie: admin.cookie });
    expect(response.status).toBe(422);
    expect(await response.text()).toContain("the letter A and digits");
  });

  test("a school that has not approved the app in Wonde is told so; an approved one is connected by its ID alone", async () => {
    const school = await createOrgWithUser(app, { name: "Wonde Testing School" });
    const cookie = await signInAs(app, school.email);
    const pending = await formPost(app, "/settings/connection/wonde", { schoolId: pendingSchool.id }, { cookie });
    expect(pending.status).toBe(422);
    expect(await pending.text()).toContain("has not approved Rollcall in Wonde yet");
    const saved = await formPost(app, "/settings/connection/wonde", { schoolId: "A1930499544" }, { cookie });
    expect(saved.status).toBe(200);
    expect(await saved.text()).toContain("Wonde is connected: Wonde Testing School");
    const [row] = await app.database.db.select().from(connections).where(eq(connections.orgId, school.orgId));
    expect(row!.details).toEqual({ source: "wonde", schoolId: "A1930499544" });
    expect(row!.secret).toBeNull();
  });

  test("a school picks itself from the schools that approved the app, without typing its ID", async () => {
    const school = await createOrgWithUser(app, { name: "Picking School" });
    const cookie = await signInAs(app, school.email);
    const page = await (await get(app, "/settings/connection", cookie)).text();
    expect(page).toContain('<option value="A1930499544">Wonde Testing School (A1930499544)</option>');
    // A school still waiting to approve is not offered.
    expect(page).not.toContain(`<option value="${pendingSchool.id}"`);
    const saved = await formPost(app, "/settings/connection/wonde", { approvedSchoolId: "A1930499544", schoolId: "" }, { cookie });
    expect(await saved.text()).toContain("Wonde is connected: Wonde Testing School");
  });

  test("educators see the page but cannot change the source", async () => {
    const page = await (await get(app, "/settings/connection", educator.cookie)).text();
    expect(page).toContain("admins can change the roster source");
    expect(page).toContain('disabled=""');
    const refused = await formPost(app, "/settings/connection/wonde", { schoolId: "A1930499544" }, { cookie: educator.cookie });
    expect(refused.status).toBe(403);
  });

  test("another organization sees none of it", async () => {
    const page = await (await get(app, "/settings/connection", other.cookie)).text();
    expect(page).toContain("No roster source is connected yet");
    expect(page).not.toContain("district-roster.zip");
  });

  test("signed-out visitors are sent to sign in", async () => {
    const response = await get(app, "/settings/connection");
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toContain("/sign-in");
  });
});

describe("a OneRoster API connection", () => {
  test("a wrong address is refused by its field; a right one is saved sealed and tried against the provider", async () => {
    const api = startOneRosterApi(collectionsFromCsv(fixtureDir("edfi-or11")), { maxPage: 5 });
    try {
      const org = await createOrgWithUser(app, { name: "API District" });
      const cookie = await signInAs(app, org.email);
      const wrong = await formPost(
        app,
        "/settings/connection/oneroster-api",
        { baseUrl: "sis.example.org", tokenUrl: api.tokenUrl, clientId: "app-id", clientSecret: "app-secret" },
        { cookie },
      );
      expect(wrong.status).toBe(422);
      expect(await wrong.text()).toContain("Enter the API&#39;s address");
      expect(await app.database.db.select().from(connections).where(eq(connections.orgId, org.orgId))).toHaveLength(0);

      const saved = await formPost(
        app,
        "/settings/connection/oneroster-api",
        { baseUrl: api.baseUrl, tokenUrl: api.tokenUrl, clientId: "app-id", clientSecret: "app-secret" },
        { cookie },
      );
      expect(saved.status).toBe(200);
      const html = await saved.text();
      expect(html).toContain("The OneRoster API is connected");
      expect(html).toContain(`The OneRoster API at ${new URL(api.baseUrl).host}`);
      expect(html).not.toContain("app-secret");
      const [row] = await app.database.db.select().from(connections).where(eq(connections.orgId, org.orgId));
      expect(row!.secret).not.toContain("app-secret");

      const tried = await formPost(app, "/settings/connection/check", {}, { cookie });
      expect(tried.status).toBe(200);
      expect(await tried.text()).toContain("The source answered: 1 schools, 2 classes, 8 learners, 2 educators and 24 enrolments");
    } finally {
      api.stop();
    }
  });
});

describe("a OneRoster API that signs with OAuth 1.0a", () => {
  test("is chosen on the form, saved without a token address, and read with signed requests", async () => {
    const api = startOneRosterApi(collectionsFromCsv(fixtureDir("edfi-or11")), { maxPage: 5, auth: "oauth1" });
    try {
      const org = await createOrgWithUser(app, { name: "Signed District" });
      const cookie = await signInAs(app, org.email);
      const saved = await formPost(
        app,
        "/settings/connection/oneroster-api",
        { baseUrl: api.baseUrl, auth: "oauth1", tokenUrl: "", clientId: "app-id", clientSecret: "app-secret" },
        { cookie },
      );
      expect(saved.status).toBe(200);
      expect(await saved.text()).toContain(`The OneRoster API at ${new URL(api.baseUrl).host}, signed with OAuth 1.0a.`);
      const [row] = await app.database.db.select().from(connections).where(eq(connections.orgId, org.orgId));
      expect(row!.details).toEqual({ source: "oneroster", kind: "rest", auth: "oauth1", baseUrl: api.baseUrl });

      const tried = await formPost(app, "/settings/connection/check", {}, { cookie });
      expect(await tried.text()).toContain("The source answered: 1 schools, 2 classes, 8 learners, 2 educators and 24 enrolments");
      expect(api.refusals).toEqual([]);
      expect(api.requests.length).toBeGreaterThan(7);
    } finally {
      api.stop();
    }
  });

  test("a wrong secret is told plainly when the connection is tried", async () => {
    const api = startOneRosterApi(collectionsFromCsv(fixtureDir("edfi-or11")), { auth: "oauth1" });
    try {
      const org = await createOrgWithUser(app, { name: "Mistyped District" });
      const cookie = await signInAs(app, org.email);
      await formPost(
        app,
        "/settings/connection/oneroster-api",
        { baseUrl: api.baseUrl, auth: "oauth1", clientId: "app-id", clientSecret: "app-secrte" },
        { cookie },
      );
      const tried = await formPost(app, "/settings/connection/check", {}, { cookie });
      expect(tried.status).toBe(422);
      expect(await tried.text()).toContain(
        "The OneRoster server did not accept the client ID and secret: the signature made with them did not match. Check both on the roster source page.",
      );
      expect(api.refusals).toEqual(["signature"]);
    } finally {
      api.stop();
    }
  });

  test("OAuth 2 still needs its token address", async () => {
    const response = await formPost(
      app,
      "/settings/connection/oneroster-api",
      { baseUrl: "https://sis.example.org/ims/oneroster/v1p1", auth: "oauth2", tokenUrl: "", clientId: "app-id", clientSecret: "s" },
      { cookie: admin.cookie },
    );
    expect(response.status).toBe(422);
    expect(await response.text()).toContain('id="oneroster-api-tokenUrl-error" class="field-error">Enter the address that gives out access tokens');
  });
});
