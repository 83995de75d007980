import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { createInvite } from "../../src/auth/invites.ts";
import { emailOutbox, invites } from "../../src/db/schema/index.ts";
import { createOrgWithUser, createTestApp, formPost, get, sessionCookieFrom, type TestApp } from "../helpers/app.ts";

let t: TestApp;
let orgId: string;
beforeAll(async () => {
  t = await createTestApp();
  ({ orgId } = await createOrgWithUser(t, { name: "Birch Academy Trust" }));
});
afterAll(() => t.close());

const goodForm = { name: "Ada Teacher", password: "a long enough password", confirm: "a long enough password" };

describe("invites", () => {
  test("queue an email whose link opens the invite page", async () => {
    const { id, token } = await createInvite(t.database.db, { orgId, email: "New.Admin@School.test", role: "org_admin" }, "http://localhost");
    const [email] = await t.database.db
      .select()
      .from(emailOutbox)
      .where(eq(emailOutbox.idempotencyKey, `invite/${id}`));
    expect(email?.toAddress).toBe("new.admin@school.test");
    expect(email?.textBody).toContain(`http://localhost/invite/${token}`);
    const page = await get(t, `/invite/${token}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Birch Academy Trust");
    expect(html).toContain("new.admin@school.test");
  });

  test("the email names the operator's support address when one is set", async () => {
    const { id } = await createInvite(
      t.database.db,
      { orgId, email: "helped@school.test", role: "educator", supportEmail: "help@vendor.example" },
      "http://localhost",
    );
    const [email] = await t.database.db
      .select()
      .from(emailOutbox)
      .where(eq(emailOutbox.idempotencyKey, `invite/${id}`));
    expect(email?.textBody).toContain("Questions? Write to help@vendor.example.");
    expect(email?.htmlBody).toContain("Questions? Write to help@vendor.example.");
  });

  test("can be used once: the second use is refused and nothing changes", async () => {
    const { token } = await createInvite(t.database.db, { orgId, email: "once@school.test", role: "educator" }, "http://localhost");
    const first = await formPost(t, `/invite/${token}`, goodForm);
    expect(first.status).toBe(303);
    const cookie = sessionCookieFrom(first);
    expect((await get(t, "/", cookie)).status).toBe(200);
    const second = await formPost(t, `/invite/${token}`, { ...goodForm, password: "another password!!", confirm: "another password!!" });
    expect(second.status).toBe(410);
    expect(await second.text()).toContain("already been used");
    const signIn = await formPost(t, "/sign-in", { email: "once@school.test", password: goodForm.password });
    expect(signIn.status).toBe(303);
  });

  test("expire", async () => {
    const { id, token } = await createInvite(t.database.db, { orgId, email: "late@school.test", role: "educator" }, "http://localhost");
    await t.database.db
      .update(invites)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(invites.id, id));
    const page = await get(t, `/invite/${token}`);
    expect(page.status).toBe(410);
    expect(await page.text()).toContain("expired");
    const accept = await formPost(t, `/invite/${token}`, goodForm);
    expect(accept.status).toBe(410);
    const signIn = await formPost(t, "/sign-in", { email: "late@school.test", password: goodForm.password });
    expect(signIn.status).toBe(401);
  });

  test("a short password or a mismatch is explained field by field and the invite stays usable", async () => {
    const { token } = await createInvite(t.database.db, { orgId, email: "careful@school.test", role: "educator" }, "http://localhost");
    const response = await formPost(t, `/invite/${token}`, { name: "", password: "short", confirm: "other" });
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toContain("Enter your name");
    expect(html).toContain("at least 12 characters");
    expect((await formPost(t, `/invite/${token}`, goodForm)).status).toBe(303);
  });

  test("a common, breached or guessable password is refused with the reason next to the field", async () => {
    const { token } = await createInvite(t.database.db, { orgId, email: "ada.lovelace@school.test", role: "educator" }, "http://localhost");
    for (const [password, reason] of [
      ["aaaaaaaaaaaa", "Repeated characters"],
      ["password1234", "commonly used password"],
      ["Password123!", "commonly used password"],
      ["qwertyuiop12", "commonly used password"],
      ["abcdefghijkl", "sequences"],
      ["ada.lovelace@school.test", "Do not use your email address"],
      ["Birch Academy Trust", "your name or your organization"],
    ] as const) {
      const response = await formPost(t, `/invite/${token}`, { name: "Ada Lovelace", password, confirm: password });
      expect({ password, status: response.status }).toEqual({ password, status: 422 });
      const html = await response.text();
      const fieldError = html.match(/<small id="password-error" class="field-error">([^<]*)<\/small>/)?.[1] ?? "";
      expect({ password, fieldError: fieldError.includes(reason) }).toEqual({ password, fieldError: true });
      expect(html).toContain('aria-describedby="password-hint password-error"');
    }
    expect(
      (await formPost(t, `/invite/${token}`, { name: "Ada Lovelace", password: "quiet lanterns over the harbour", confirm: "quiet lanterns over the harbour" }))
        .status,
    ).toBe(303);
  });

  test("an unknown token is refused", async () => {
    expect((await get(t, "/invite/not-a-real-token")).status).toBe(410);
  });
});
