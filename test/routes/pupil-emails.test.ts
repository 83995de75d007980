/**
 * Pupil email addresses (issue 20, points 1 step 4 and 4; acceptance 2): "Sync pupil email
 * addresses" in the MIS user sync, the addresses to confirm with a parent's and personal ones
 * flagged and unticked, a verification email through the outbox for each confirmed address,
 * its single-use link that expires, the pupil's password and sign-in, and a rate-limited resend.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq, sql } from "drizzle-orm";
import { Hono } from "hono";
import { saveConnection } from "../../src/connections/details.ts";
import { emailOutbox, emailVerifications, learners, syncSettings } from "../../src/db/schema/index.ts";
import { ukSchoolYear, UK_DEMO_SCHOOL } from "../../src/demo/uk/school.ts";
import { createDemoWonde, UK_DEMO_APP_TOKEN, UK_DEMO_MOUNT } from "../../src/demo/uk/wonde.ts";
import { sendVerification } from "../../src/auth/learner-accounts.ts";
import { GRADE_CODES } from "../../src/roster/snapshot.ts";
import { createOrgWithUser, createTestApp, formFieldsOf, formPost, get, sessionCookieFrom, signInAs, TEST_ORIGIN, type TestApp } from "../helpers/app.ts";
import { serve } from "../helpers/collect.ts";
import { startResendStandIn } from "../helpers/resend-standin.ts";
import { Dispatcher } from "../../src/mail/dispatcher.ts";
import { silentLogger } from "../../src/lib/log.ts";

const server = serve(new Hono().route(UK_DEMO_MOUNT, createDemoWonde()).fetch);
let app: TestApp;
let org: { orgId: string; cookie: string };

beforeAll(async () => {
  app = await createTestApp({ WONDE_APP_TOKEN: UK_DEMO_APP_TOKEN, WONDE_API_URL: `${server.url}${UK_DEMO_MOUNT}/2027/v1.0` });
  const created = await createOrgWithUser(app, { name: "Oakfield Academy", licences: ["reading"] });
  await app.database.db.execute(sql`update organizations set country = 'GB' where id = ${created.orgId}`);
  await app.database.db
    .update(syncSettings)
    .set({ scope: { kind: "grades", grades: [...GRADE_CODES] } })
    .where(eq(syncSettings.orgId, created.orgId));
  org = { orgId: created.orgId, cookie: await signInAs(app, created.email) };
  await saveConnection(app.database.db, {
    orgId: org.orgId,
    details: { source: "wonde", schoolId: UK_DEMO_SCHOOL.id },
    secret: null,
    encryptionKey: app.deps.config.encryptionKey,
  });
}, 60_000);
afterAll(async () => {
  await app.close();
  server.stop();
});

const post = (path: string, fields: [string, string][]) => formPost(app, path, fields, { cookie: org.cookie });
const verificationEmails = () =>
  app.database.db
    .select()
    .from(emailOutbox)
    .where(and(eq(emailOutbox.orgId, org.orgId), eq(emailOutbox.kind, "verify")));
const linkIn = (text: string) => /\/verify\/([A-Za-z0-9_-]+)/.exec(text)![1]!;

describe("pupil email addresses in the MIS user sync", () => {
  const pupils = ukSchoolYear(2027).pupils;
  const withAddress = pupils.filter((pupil) => pupil.email);
  const flagged = withAddress.filter((pupil) => /@(gmail|hotmail)\./.test(pupil.email!));

  test("the option is offered, and the addresses to confirm come with a warning; a parent's and personal ones are flagged and unticked", async () => {
    const groups = await (await get(app, "/school/mis-sync", org.cookie)).text();
    const classes = await (await post("/school/mis-sync", [["step", "groups"], ["go", "next"], ...formFieldsOf(groups)])).text();
    const pupilsPage = await (await post("/school/mis-sync", [["step", "classes"], ["go", "next"], ...formFieldsOf(classes)])).text();
    expect(pupilsPage).toContain("Sync pupil email addresses");
    expect(pupilsPage).toContain("You can always return to this option later.");
    const chosen = formFieldsOf(pupilsPage).filter(([name]) => name !== "pupils" && name !== "syncEmails");
    const emails = await (await post("/school/mis-sync", [["step", "pupils"], ["go", "next"], ["pupils", "all"], ["syncEmails", "on"], ...chosen])).text();
    expect(emails).toContain("step 4 of 5, Pupil email addresses");
    expect(emails).toContain("cannot be removed, and the pupil&#39;s account cannot go back to signing in with a username");
    expect(flagged.length).toBeGreaterThanOrEqual(3);
    for (const pupil of flagged) {
      expect(emails).toContain(pupil.email!);
    }
    expect(emails).toContain("may be a parent&#39;s or personal one");
    const ticked = formFieldsOf(emails).filter(([name]) => name === "confirmedEmails");
    expect(ticked).toHaveLength(withAddress.length - flagged.length);

    const review = await post("/school/mis-sync", [["step", "emails"], ["go", "review"], ...formFieldsOf(emails)]);
    expect(review.status).toBe(303);
    await app.deps.sync.idle();
    const runId = /\/sync\/runs\/([0-9a-f-]{36})/.exec(review.headers.get("location") ?? "")![1]!;
    const done = await (await post(`/school/mis-sync/runs/${runId}/save`, [])).text();
    expect(done).toContain(`${withAddress.length - flagged.length} pupils were sent an email to confirm their address`);
    const sent = await verificationEmails();
    expect(sent).toHaveLength(withAddress.length - flagged.length);
    for (const pupil of flagged) expect(sent.map((email) => email.toAddress)).not.toContain(pupil.email);
    // Only the confirmed addresses were written: the unticked ones are nowhere on the roster.
    const stored = new Set(
      (await app.database.db.select({ email: learners.email }).from(learners).where(eq(learners.orgId, org.orgId))).map((row) => row.email),
    );
    for (const pupil of flagged) expect(stored.has(pupil.email!)).toBe(false);
    expect(withAddress.filter((pupil) => stored.has(pupil.email!))).toHaveLength(withAddress.length - flagged.length);
    // The token is kept only as its hash.
    const [verification] = await app.database.db.select().from(emailVerifications).where(eq(emailVerifications.orgId, org.orgId)).limit(1);
    expect(sent.some((email) => email.textBody.includes(verification!.tokenHash))).toBe(false);
  }, 120_000);

  test("the verification emails reach Resend (a stand-in on loopback, through the real SDK) with the pupil's link", async () => {
    const resend = startResendStandIn();
    try {
      const dispatcher = new Dispatcher({
        database: app.database,
        config: { resendApiKey: "re_test_key", resendBaseUrl: resend.url, mailFrom: "Rollcall <sync@rollcall.test>", mailDailyCap: 5000 },
        logger: silentLogger,
        now: () => new Date(Date.now() + 1000),
      });
      await dispatcher.dispatchDue();
      const [queued] = await verificationEmails();
      const delivered = [...resend.delivered.values()].find(
        (request) => request.body.to === queued!.toAddress || [request.body.to].flat().includes(queued!.toAddress),
      );
      expect(delivered?.body.subject).toBe("Oakfield Academy: confirm your email address");
      expect(delivered?.body.text).toContain(`/verify/${linkIn(queued!.textBody)}`);
    } finally {
      resend.stop();
    }
  });

  test("the link sets a password once; the pupil signs in; reusing it is refused with a clear page", async () => {
    const [email] = await verificationEmails();
    const token = linkIn(email!.textBody);
    const page = await (await get(app, `/verify/${token}`)).text();
    expect(page).toContain("Choose a password to sign in with it.");
    const weak = await formPost(app, `/verify/${token}`, { password: "short", confirm: "short" });
    expect(weak.status).toBe(422);
    const done = await formPost(app, `/verify/${token}`, { password: "a quiet river at dawn", confirm: "a quiet river at dawn" });
    expect(await done.text()).toContain("Your address is confirmed");
    const [learner] = await app.database.db.select().from(learners).where(eq(learners.email, email!.toAddress));
    expect(learner!.emailVerifiedAt).not.toBeNull();

    const again = await formPost(app, `/verify/${token}`, { password: "a quiet river at dawn", confirm: "a quiet river at dawn" });
    expect(again.status).toBe(410);
    expect(await again.text()).toContain("This link has already been used.");

    const wrong = await formPost(app, "/learn/sign-in", { email: email!.toAddress, password: "not the password" });
    expect(wrong.status).toBe(401);
    const signedIn = await formPost(app, "/learn/sign-in", { email: email!.toAddress, password: "a quiet river at dawn" });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get("location")).toBe("/learn");
    const home = await (await get(app, "/learn", sessionCookieFrom(signedIn, "rollcall_learner"))).text();
    expect(home).toContain(`Hello ${learner!.givenName}`);
  });

  test("an expired link is refused with a clear page", async () => {
    const [learner] = await app.database.db
      .select()
      .from(learners)
      .where(and(eq(learners.orgId, org.orgId), sql`${learners.emailVerifiedAt} is null`))
      .limit(1);
    await sendVerification(app.database.db, {
      orgId: org.orgId,
      learnerId: learner!.id,
      email: "old.link@oakfield.test",
      appUrl: TEST_ORIGIN,
      now: new Date(Date.now() - 8 * 86_400_000),
    });
    const [email] = (await verificationEmails()).filter((row) => row.toAddress === "old.link@oakfield.test");
    const response = await get(app, `/verify/${linkIn(email!.textBody)}`);
    expect(response.status).toBe(410);
    expect(await response.text()).toContain("This link has expired. Ask your school to send you a new one.");
  });

  test("the admin sends the email again from the pupil's page, but not twice in a row", async () => {
    const [waiting] = await app.database.db
      .select({ learnerId: emailVerifications.learnerId })
      .from(emailVerifications)
      .innerJoin(learners, eq(learners.id, emailVerifications.learnerId))
      .where(
        and(
          eq(emailVerifications.orgId, org.orgId),
          sql`${learners.emailVerifiedAt} is null`,
          sql`${emailVerifications.createdAt} > now() - interval '1 hour'`,
        ),
      )
      .limit(1);
    const page = await (await get(app, `/learners/${waiting!.learnerId}`, org.cookie)).text();
    expect(page).toContain("waits for the pupil to confirm it");
    // The one sent by the sync is too recent: the page says when it can go again.
    const tooSoon = await post(`/learners/${waiting!.learnerId}/verification`, []);
    expect(tooSoon.status).toBe(429);
    expect(await tooSoon.text()).toContain("You can send it again in");
    await app.database.db.execute(sql`update email_verifications set created_at = now() - interval '1 hour' where learner_id = ${waiting!.learnerId}`);
    const resent = await post(`/learners/${waiting!.learnerId}/verification`, []);
    expect(resent.status).toBe(200);
    expect(await resent.text()).toContain("was sent again. The earlier link no longer works.");
  });
});
