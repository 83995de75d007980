/**
 * With ALLOW_PRIVATE_SOURCE_URLS off (the default outside tests), the roster source page
 * refuses addresses Rollcall will not connect to, next to the field they were typed in, and
 * saves nothing; a connection saved before (or by the operator) is refused at connect time
 * without sending its credentials.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { connections } from "../../src/db/schema/index.ts";
import { saveConnection } from "../../src/connections/details.ts";
import { createOrgWithUser, createTestApp, formPost, signInAs, type TestApp } from "../helpers/app.ts";
import { fixtureDir } from "../helpers/oneroster.ts";
import { collectionsFromCsv, startOneRosterApi } from "../helpers/oneroster-api.ts";

let app: TestApp;
let admin: { orgId: string; cookie: string };
beforeAll(async () => {
  app = await createTestApp({ ALLOW_PRIVATE_SOURCE_URLS: "0" });
  const org = await createOrgWithUser(app);
  admin = { orgId: org.orgId, cookie: await signInAs(app, org.email) };
}, 60_000);
afterAll(() => app.close());

const post = (form: Record<string, string>) =>
  formPost(app, "/settings/connection/oneroster-api", { auth: "oauth2", clientId: "app-id", clientSecret: "app-secret", ...form }, { cookie: admin.cookie });
const helpOf = (html: string, field: string) =>
  html.match(new RegExp(`<small id="oneroster-api-${field}-error" class="field-error">([^<]*)</small>`))?.[1]?.replaceAll("&#39;", "'");

test("http, loopback, private and metadata addresses are refused next to their field; nothing is saved", async () => {
  const cases: [Record<string, string>, string, string][] = [
    [
      { baseUrl: "https://sis.example.org/ims/oneroster/v1p1", tokenUrl: "http://127.0.0.1:9/oauth/token" },
      "tokenUrl",
      "The address must start with https://, so the connection is encrypted.",
    ],
    [
      { baseUrl: "https://sis.example.org/ims/oneroster/v1p1", tokenUrl: "https://127.0.0.1/oauth/token" },
      "tokenUrl",
      "This address (127.0.0.1) is on a private or local network, which Rollcall does not connect to. Use the public https address your system gives for this app.",
    ],
    [
      { baseUrl: "https://192.168.10.4/ims/oneroster/v1p1", tokenUrl: "https://sis.example.org/oauth/token" },
      "baseUrl",
      "This address (192.168.10.4) is on a private or local network",
    ],
    [
      { baseUrl: "https://169.254.169.254/latest/meta-data", tokenUrl: "https://sis.example.org/oauth/token" },
      "baseUrl",
      "This address (169.254.169.254) is on a private or local network",
    ],
    [
      { baseUrl: "https://[fd00:ec2::254]/ims/oneroster/v1p1", tokenUrl: "https://sis.example.org/oauth/token" },
      "baseUrl",
      "This address (fd00:ec2::254) is on a private or local network",
    ],
    [
      { baseUrl: "https://metadata.google.internal/computeMetadata/v1", tokenUrl: "https://sis.example.org/oauth/token" },
      "baseUrl",
      "This address (metadata.google.internal) is on a private or local network",
    ],
    [{ baseUrl: "https://localhost/ims/oneroster/v1p1", tokenUrl: "https://sis.example.org/oauth/token" }, "baseUrl", "localhost leads to"],
  ];
  for (const [form, field, message] of cases) {
    const response = await post(form);
    expect(response.status).toBe(422);
    expect(helpOf(await response.text(), field)).toStartWith(message);
  }
  expect(await app.database.db.select().from(connections).where(eq(connections.orgId, admin.orgId))).toHaveLength(0);
});

test("a connection saved with a private address is refused when tried, and its secret is never posted", async () => {
  const api = startOneRosterApi(collectionsFromCsv(fixtureDir("edfi-or11")));
  try {
    // As an operator's `rollcall connect` (or a database from before this rule) could have left it.
    await saveConnection(app.database.db, {
      orgId: admin.orgId,
      details: { source: "oneroster", kind: "rest", baseUrl: api.baseUrl.replace("http:", "https:"), tokenUrl: api.tokenUrl.replace("http:", "https:") },
      secret: { clientId: "app-id", clientSecret: "app-secret" },
      encryptionKey: app.deps.config.encryptionKey,
    });
    const tried = await formPost(app, "/settings/connection/check", {}, { cookie: admin.cookie });
    expect(tried.status).toBe(422);
    expect((await tried.text()).replaceAll("&#39;", "'")).toContain(
      "Rollcall did not connect to the OneRoster token address. This address (127.0.0.1) is on a private or local network",
    );
    expect(api.tokenRequests).toBe(0);
    expect(api.requests).toEqual([]);
  } finally {
    api.stop();
  }
});
