/** The roster source page: saving each source, validation, secrets kept sealed, roles and scoping. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { eq } from "drizzle-orm";
import yazl from "yazl";
import { connections, syncSettings } from "../../src/db/schema/index.ts";
import { createOrgWithUser, createTestApp, formPost, get, signInAs, TEST_ORIGIN, type TestApp } from "../helpers/app.ts";
import { fixtureDir } from "../helpers/oneroster.ts";
import { collectionsFromCsv, startOneRosterApi } from "../helpers/oneroster-api.ts";

let app: TestApp;
let admin: { orgId: string; cookie: string };
let educator: { orgId: string; cookie: string };
let other: { orgId: string; cookie: string };

beforeAll(async () => {
  app = await createTestApp();
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

  test("a wrong Clever district ID is refused next to its field and nothing is saved", async () => {
    const response = await formPost(
      app,
      "/settings/connection/clever",
      { districtId: "not-an-id", clientId: "abc", clientSecret: "s3cret" },
      { cookie: admin.cookie },
    );
    expect(response.status).toBe(422);
    expect(await response.text()).toContain("a Clever district ID is 24 letters and digits");
    expect(await app.database.db.select().from(connections).where(eq(connections.orgId, admin.orgId))).toHaveLength(0);
  });

  test("a Clever connection is saved with its secret sealed, never shown, and kept when left blank", async () => {
    const saved = await formPost(
      app,
      "/settings/connection/clever",
      { districtId: "5F1C2B3A4D5E6F7081920A1B", clientId: "client-1", clientSecret: "very-secret-value" },
      { cookie: admin.cookie },
    );
    expect(saved.status).toBe(200);
    const html = await saved.text();
    expect(html).toContain("Clever is connected");
    expect(html).not.toContain("very-secret-value");
    const [row] = await app.database.db.select().from(connections).where(eq(connections.orgId, admin.orgId));
    expect(row!.details).toMatchObject({ source: "clever", districtId: "5f1c2b3a4d5e6f7081920a1b" });
    expect(row!.secret).not.toContain("very-secret-value");

    const again = await formPost(
      app,
      "/settings/connection/clever",
      { districtId: "5f1c2b3a4d5e6f7081920a1b", clientId: "client-2", clientSecret: "" },
      { cookie: admin.cookie },
    );
    expect(again.status).toBe(200);
    const { loadConnection } = await import("../../src/connections/details.ts");
    const connection = await loadConnection(app.database.db, admin.orgId, "clever", app.deps.config.encryptionKey);
    expect(connection!.secret).toEqual({ clientId: "client-2", clientSecret: "very-secret-value" });
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
    const response = await formPost(app, "/settings/connection/wonde", { schoolId: "12345", token: "t" }, { cookie: admin.cookie });
    expect(response.status).toBe(422);
    expect(await response.text()).toContain("the letter A and digits");
  });

  test("educators see the page but cannot change the source", async () => {
    const page = await (await get(app, "/settings/connection", educator.cookie)).text();
    expect(page).toContain("admins can change the roster source");
    expect(page).toContain('disabled=""');
    const refused = await formPost(app, "/settings/connection/wonde", { schoolId: "A1930499544", token: "t" }, { cookie: educator.cookie });
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
    expect(await response.text()).toContain('id="oneroster-api-tokenUrl-help">Enter the address that gives out access tokens');
  });
});
