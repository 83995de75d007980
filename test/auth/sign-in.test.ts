import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { saveConnection } from "../../src/connections/details.ts";
import { createOrgWithUser, createTestApp, formPost, get, sessionCookieFrom, signInAs, type TestApp, TEST_PASSWORD } from "../helpers/app.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

/** Where an admin of an organization with no roster source lands (issue 19: the help text's step 3). */
const SETUP = "/settings/sync/setup";

describe("sign in", () => {
  test("an admin without a roster source lands on the set-up; once connected, and an educator always, on the overview", async () => {
    const admin = await createOrgWithUser(t, { name: "Landing District" });
    const first = await formPost(t, "/sign-in", { email: admin.email, password: TEST_PASSWORD });
    expect(first.headers.get("Location")).toBe(SETUP);
    const page = await (await get(t, SETUP, sessionCookieFrom(first))).text();
    expect(page).toContain("Set up your roster sync: step 1 of 5, Connection");
    expect(page).toContain("Clever district ID");
    await saveConnection(t.database.db, {
      orgId: admin.orgId,
      details: { source: "clever", districtId: "5f1b2c3d4e5f6a7b8c9d0e1f" },
      secret: null,
      encryptionKey: t.deps.config.encryptionKey,
    });
    const later = await formPost(t, "/sign-in", { email: admin.email, password: TEST_PASSWORD });
    expect(later.headers.get("Location")).toBe("/");
    const educator = await createOrgWithUser(t, { role: "educator" });
    expect((await formPost(t, "/sign-in", { email: educator.email, password: TEST_PASSWORD })).headers.get("Location")).toBe("/");
  });

  test("the right password signs in with an httpOnly, SameSite=Lax session cookie", async () => {
    const { email } = await createOrgWithUser(t, { name: "Oak District" });
    const response = await formPost(t, "/sign-in", { email, password: TEST_PASSWORD });
    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toBe(SETUP);
    const cookie = response.headers.getSetCookie().find((header) => header.startsWith("rollcall_session="))!;
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Lax");
    expect(cookie).toContain("Path=/");
    const home = await get(t, "/", sessionCookieFrom(response));
    expect(home.status).toBe(200);
    expect(await home.text()).toContain("Oak District");
  });

  test("over https the cookie is also Secure", async () => {
    const { email } = await createOrgWithUser(t);
    const response = await t.app.request("https://rollcall.example/sign-in", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "same-origin" },
      body: new URLSearchParams({ email, password: TEST_PASSWORD }),
    });
    expect(response.status).toBe(303);
    expect(response.headers.getSetCookie().join()).toContain("Secure");
  });

  test("a wrong password is refused, with the same words as an unknown email", async () => {
    const { email } = await createOrgWithUser(t);
    const wrong = await formPost(t, "/sign-in", { email, password: "not the password" });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.getSetCookie()).toEqual([]);
    const wrongText = await wrong.text();
    expect(wrongText).toContain("do not match");
    const unknown = await formPost(t, "/sign-in", { email: "nobody@school.test", password: "whatever it is" });
    expect(unknown.status).toBe(401);
    expect(await unknown.text()).toContain("do not match");
  });

  test("repeated failures make this address wait, with the wait on the page", async () => {
    const { email } = await createOrgWithUser(t);
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 5; attempt++) {
      statuses.push((await formPost(t, "/sign-in", { email, password: `guess ${attempt}` })).status);
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    const right = await formPost(t, "/sign-in", { email, password: TEST_PASSWORD });
    expect(right.status).toBe(429);
    expect(await right.text()).toMatch(/try again in \d+ seconds/);
  });

  test("an empty form gets a 422 page, not JSON", async () => {
    const response = await formPost(t, "/sign-in", {});
    expect(response.status).toBe(422);
    expect(response.headers.get("Content-Type")).toContain("text/html");
  });

  const OFF_SITE = [
    "/\t/evil.example/path",
    "/%09/evil.example/path",
    "/%0a/evil.example",
    "/%0D%0A/evil.example",
    "//evil.example/",
    "/\\evil.example/",
    "/%5Cevil.example/",
    "/%5C%5Cevil.example/",
    "/%2F/evil.example/",
    "/%2f%2fevil.example/",
    "/%252F/evil.example/",
    "/%25252F%25252Fevil.example/",
    "/%00/evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "evil.example",
    "",
  ];

  test("after sign-in, anything but a path on this site goes to the overview", async () => {
    const { email } = await createOrgWithUser(t);
    for (const next of OFF_SITE) {
      const response = await formPost(t, "/sign-in", { email, password: TEST_PASSWORD, next });
      expect({ next, location: response.headers.get("Location") }).toEqual({ next, location: SETUP });
    }
    for (const [next, location] of [
      ["/learners?q=a", "/learners?q=a"],
      ["/sync/runs/1234#problems", "/sync/runs/1234#problems"],
      ["/classes/../learners", "/learners"],
    ]) {
      const response = await formPost(t, "/sign-in", { email, password: TEST_PASSWORD, next: next! });
      expect(response.headers.get("Location")).toBe(location!);
    }
  });

  test("the tester's link /sign-in?next=/%09/host/path keeps the visitor here", async () => {
    const page = await (await get(t, "/sign-in?next=/%09/host/path")).text();
    expect(page).toContain('name="next" value="/"');
    const { email } = await createOrgWithUser(t);
    const response = await formPost(t, "/sign-in", { email, password: TEST_PASSWORD, next: "/\t/host/path" });
    expect(response.headers.get("Location")).toBe(SETUP);
  });
});

describe("sign out", () => {
  test("ends the session on the server, not only in the browser", async () => {
    const { email } = await createOrgWithUser(t);
    const cookie = await signInAs(t, email);
    expect((await get(t, "/", cookie)).status).toBe(200);
    const out = await formPost(t, "/sign-out", {}, { cookie });
    expect(out.status).toBe(303);
    const after = await get(t, "/", cookie);
    expect(after.status).toBe(303);
    expect(after.headers.get("Location")).toBe("/sign-in");
  });
});

describe("cross-site requests", () => {
  test("a form POST without the same-origin signal is refused", async () => {
    const { email } = await createOrgWithUser(t);
    const cookie = await signInAs(t, email);
    const bare = await formPost(t, "/sign-out", {}, { cookie, sameOrigin: false });
    expect(bare.status).toBe(403);
    const crossSite = await t.app.request("http://localhost/sign-out", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "cross-site", Origin: "https://evil.example", Cookie: cookie },
    });
    expect(crossSite.status).toBe(403);
    expect((await get(t, "/", cookie)).status).toBe(200);
  });
});

describe("headers", () => {
  test("pages carry a CSP that allows only our own scripts", async () => {
    const response = await get(t, "/sign-in");
    const csp = response.headers.get("Content-Security-Policy")!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
    const html = await response.text();
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).toContain('src="/assets/htmx.min.js"');
    const htmx = await get(t, "/assets/htmx.min.js");
    expect(htmx.status).toBe(200);
    expect(await htmx.text()).toContain("4.0.1");
  });
});
