/**
 * enqueueEmail is the one way an email enters the outbox, for the app and inside a sync's bulk
 * transaction alike: it commits with that transaction, vanishes with its rollback, and an
 * idempotency key queued twice keeps the first.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { bulkTransaction } from "../../src/db/bulk.ts";
import { emailOutbox } from "../../src/db/schema/index.ts";
import { enqueueEmail, type OutgoingEmail } from "../../src/mail/outbox.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.close();
});

const email = (key: string, subject = "Roster sync finished"): OutgoingEmail => ({
  orgId: null,
  kind: "run-succeeded",
  to: "admin@district.test",
  subject,
  text: "learners: 3 New",
  html: "<p>learners: 3 New</p>",
  idempotencyKey: key,
});

const queued = async () =>
  (await database.db.select({ key: emailOutbox.idempotencyKey, subject: emailOutbox.subject, status: emailOutbox.status }).from(emailOutbox)).sort((a, b) =>
    a.key.localeCompare(b.key),
  );

test("inside a bulk transaction an email commits with it, and a rolled-back one is never queued", async () => {
  await bulkTransaction(database, (bulk) => enqueueEmail(bulk.db, email("run/committed")));
  const failed = bulkTransaction(database, async (bulk) => {
    await enqueueEmail(bulk.db, email("run/rolled-back"));
    throw new Error("the run failed");
  });
  await expect(failed).rejects.toThrow("the run failed");
  expect(await queued()).toEqual([{ key: "run/committed", subject: "Roster sync finished", status: "pending" }]);
});

test("the same idempotency key queued again, through either path, keeps the first", async () => {
  await enqueueEmail(database.db, email("invite/1", "First"));
  await enqueueEmail(database.db, email("invite/1", "Second"));
  await bulkTransaction(database, (bulk) => enqueueEmail(bulk.db, email("invite/1", "Third")));
  expect((await queued()).filter((row) => row.key === "invite/1")).toEqual([{ key: "invite/1", subject: "First", status: "pending" }]);
});
