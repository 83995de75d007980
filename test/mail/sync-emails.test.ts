/**
 * Emails about sync runs: the real sync engine with the real notifier queues one email per
 * admin for a run that succeeded, was held or failed, in the admin's words, with counts and
 * a link but never a child's name; none when the organization turned them off; and without
 * a Resend key they can be read in the development outbox.
 */
import { afterEach, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { emailOutbox, staffUsers } from "../../src/db/schema/index.ts";
import { createSyncNotifier } from "../../src/mail/sync-emails.ts";
import { ReadFailed } from "../../src/roster/snapshot.ts";
import { createOrgWithUser, createTestApp, get, signInAs, TEST_ORIGIN } from "../helpers/app.ts";
import { createSyncHarness, firstLearnersLeave, type SyncHarness } from "../helpers/sync-harness.ts";

let harness: SyncHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function harnessWithAdmins() {
  const h = await createSyncHarness({ learners: 100 });
  h.deps.notifier = createSyncNotifier({ db: h.database.db, appUrl: () => TEST_ORIGIN });
  await h.database.db.insert(staffUsers).values([
    { orgId: h.orgId, email: "first-admin@district.test", name: "First", role: "org_admin" },
    { orgId: h.orgId, email: "second-admin@district.test", name: "Second", role: "org_admin" },
    { orgId: h.orgId, email: "teacher@district.test", name: "Teacher", role: "educator" },
    { orgId: h.orgId, email: "gone@district.test", name: "Gone", role: "org_admin", disabledAt: new Date() },
  ]);
  return h;
}

const runEmails = async (h: SyncHarness, kind: string) =>
  (await h.database.db.select().from(emailOutbox).where(eq(emailOutbox.orgId, h.orgId)))
    .filter((email) => email.kind === kind)
    .sort((a, b) => a.toAddress.localeCompare(b.toAddress));

test("a succeeded run emails each active admin its counts and a link, and no child's name", async () => {
  harness = await harnessWithAdmins();
  const run = await harness.sync();
  expect(run.status).toBe("succeeded");
  const emails = await runEmails(harness, "run-succeeded");
  expect(emails.map((email) => email.toAddress)).toEqual(["first-admin@district.test", "second-admin@district.test"]);
  expect(emails[0]!.subject).toBe("Roster sync finished for Harness District");
  expect(emails[0]!.textBody).toContain("learners: 100 New");
  expect(emails[0]!.textBody).toContain(`${TEST_ORIGIN}/sync/runs/${run.runId}`);
  expect(emails[0]!.htmlBody).toContain(`href="${TEST_ORIGIN}/sync/runs/${run.runId}"`);
  expect(emails[0]!.idempotencyKey).toStartWith(`run-succeeded/${run.runId}/`);
  for (const learner of harness.district.learners.slice(0, 20)) expect(emails[0]!.textBody + emails[0]!.htmlBody).not.toContain(learner.familyName);
});

test("a held run says what and why, with a link to approve or cancel", async () => {
  harness = await harnessWithAdmins();
  await harness.settings({ allowRemoval: true });
  await harness.sync();
  firstLearnersLeave(harness.district, 30);
  const held = await harness.sync({ trigger: "scheduled" });
  expect(held.status).toBe("held");
  const [email] = await runEmails(harness, "run-held");
  expect(email!.subject).toBe("A roster sync for Harness District is waiting for you");
  expect(email!.textBody).toContain("30");
  expect(email!.textBody).toContain("learners: 30 Desynced");
  expect(email!.textBody).toContain(`Review and approve or cancel: ${TEST_ORIGIN}/sync/runs/${held.runId}`);
});

test("a failed run says what went wrong in plain words and what to do", async () => {
  harness = await harnessWithAdmins();
  harness.district.failAfterLearners = 5;
  const failed = await harness.sync();
  expect(failed.status).toBe("failed");
  const emails = await runEmails(harness, "run-failed");
  expect(emails.length).toBe(2);
  expect(emails[0]!.subject).toBe("A roster sync for Harness District failed");
  expect(emails[0]!.textBody).toContain("nothing was changed");
  expect(emails[0]!.textBody).toContain(failed.errorMessage!);
});

test("with sync emails turned off, no email is queued", async () => {
  harness = await harnessWithAdmins();
  await harness.settings({ sendSyncEmails: false });
  await harness.sync();
  harness.district.failAfterLearners = 5;
  await harness.sync();
  expect(
    (await harness.database.db.select().from(emailOutbox).where(eq(emailOutbox.orgId, harness.orgId))).filter((email) => email.kind.startsWith("run-")).length,
  ).toBe(0);
});

test("without RESEND_API_KEY, run emails are readable in the development outbox", async () => {
  const t = await createTestApp();
  try {
    const { orgId, email } = await createOrgWithUser(t, { name: "Outbox District" });
    await createSyncNotifier({ db: t.database.db, appUrl: () => TEST_ORIGIN }).queueNow({
      orgId,
      runId: crypto.randomUUID(),
      event: "failed",
      errorMessage: "Clever did not recognise the district ID. Check your district ID.",
    });
    const cookie = await signInAs(t, email);
    const page = await (await get(t, "/dev/outbox", cookie)).text();
    expect(page).toContain("A roster sync for Outbox District failed");
  } finally {
    await t.close();
  }
});

test("a failure says what to do by whose move it waits for, and every run email names the support address", async () => {
  harness = await harnessWithAdmins();
  harness.deps.notifier = createSyncNotifier({ db: harness.database.db, appUrl: () => TEST_ORIGIN, supportEmail: "help@vendor.test" });
  const failWith = (failure: "settings" | "unreachable" | "operator", message: string) => {
    harness!.deps.readSource = async () => {
      throw new ReadFailed(message, "test").because(failure);
    };
  };
  const lastFailure = async () => (await runEmails(harness!, "run-failed")).at(-1)!.textBody;

  failWith("settings", "Clever does not know district ID 5f0c1a2b3c4d5e6f7a8b9c0d for Rollcall: double-check your district ID on Roster Sync Settings.");
  await harness.sync();
  const wrongDistrict = await lastFailure();
  expect(wrongDistrict).toContain("double-check your district ID");
  expect(wrongDistrict).toContain(`Open Roster Sync Settings: ${TEST_ORIGIN}/settings/connection`);
  expect(wrongDistrict).toContain("Questions? Write to help@vendor.test.");

  await harness.settings({ scheduleEnabled: true, frequency: "daily", timeOfDay: "23:00" });
  failWith("unreachable", "Clever did not answer properly after several tries, so the sync stopped without changing anything. It will try again later.");
  await harness.sync();
  const outage = await lastFailure();
  expect(outage).toContain("We will try again at the next scheduled sync,");
  expect(outage).toContain("23:00");
  expect(outage).not.toContain("It will try again later");

  failWith("operator", "This Rollcall has no Clever app set up, so Clever districts cannot be read. Ask Rollcall support.");
  await harness.sync();
  expect(await lastFailure()).toContain("This needs Rollcall support, not you");

  const succeeded = await harnessWithAdmins();
  succeeded.deps.notifier = createSyncNotifier({ db: succeeded.database.db, appUrl: () => TEST_ORIGIN, supportEmail: "help@vendor.test" });
  await succeeded.sync();
  expect((await runEmails(succeeded, "run-succeeded"))[0]!.textBody).toContain("Questions? Write to help@vendor.test.");
  await succeeded.close();
});
