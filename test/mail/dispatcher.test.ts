/**
 * The outbox dispatcher against a stand-in Resend on loopback, through the real SDK: every
 * email is delivered exactly once through failures and lost answers, retries keep their
 * idempotency key, invalid requests stop, and the daily cap holds the rest for tomorrow.
 */
import { afterAll, afterEach, beforeAll, beforeEach, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { emailOutbox } from "../../src/db/schema/index.ts";
import { Dispatcher } from "../../src/mail/dispatcher.ts";
import { enqueueEmail } from "../../src/mail/outbox.ts";
import { createLogger } from "../../src/lib/log.ts";
import { createOrganization } from "../../src/orgs/organizations.ts";
import { TEST_ORIGIN } from "../helpers/app.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { type ResendStandIn, startResendStandIn } from "../helpers/resend-standin.ts";

let database: TestDatabase;
let standIn: ResendStandIn;
let orgId: string;
let clock: Date;
const logLines: string[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  orgId = (await createOrganization(database.db, { name: "Mail District", adminEmail: "admin@mail.test", licences: [] }, TEST_ORIGIN)).id;
});
afterAll(() => database.close());
beforeEach(async () => {
  standIn = startResendStandIn();
  // Just after now, as rows are queued "now" by the database's clock.
  clock = new Date(Date.now() + 1000);
  logLines.length = 0;
  await database.db.delete(emailOutbox);
});
afterEach(() => standIn.stop());

function dispatcher(options: { cap?: number } = {}) {
  return new Dispatcher({
    database,
    config: { resendApiKey: "re_test_key", resendBaseUrl: standIn.url, mailFrom: "Rollcall <sync@rollcall.test>", mailDailyCap: options.cap ?? 200 },
    logger: createLogger("debug", (line) => logLines.push(line)),
    now: () => clock,
    baseDelayMs: 1000,
  });
}

async function queue(count: number, prefix = "run-succeeded") {
  for (let index = 0; index < count; index++) {
    await enqueueEmail(database.db, {
      orgId,
      kind: "run-succeeded",
      to: `admin${index}@school.test`,
      subject: `Sync ${index}`,
      text: "text",
      html: "<p>html</p>",
      idempotencyKey: `${prefix}/${index}`,
    });
  }
}

const statuses = async () => (await database.db.select({ status: emailOutbox.status }).from(emailOutbox)).map((row) => row.status).sort();

/** Runs the dispatcher until nothing is pending, moving the clock past each back-off. */
async function drain(target: Dispatcher) {
  for (let round = 0; round < 20 && (await statuses()).includes("pending"); round++) {
    await target.dispatchDue();
    clock = new Date(clock.getTime() + 10 * 60_000);
  }
}

test("sends each email with its idempotency key, from the configured sender, and marks it sent", async () => {
  await queue(3);
  const summary = await dispatcher().dispatchDue();
  expect(summary).toEqual({ sent: 3, retrying: 0, failed: 0, deferred: 0 });
  expect(standIn.requests.map((request) => request.idempotencyKey).sort()).toEqual(["run-succeeded/0", "run-succeeded/1", "run-succeeded/2"]);
  expect(standIn.requests[0]!.body.from).toBe("Rollcall <sync@rollcall.test>");
  expect(standIn.requests[0]!.authorization).toBe("Bearer re_test_key");
  expect(await statuses()).toEqual(["sent", "sent", "sent"]);
  const [row] = await database.db.select().from(emailOutbox).where(eq(emailOutbox.idempotencyKey, "run-succeeded/0"));
  expect(row!.providerMessageId).toBeTruthy();
});

test("with the provider failing for a while, every email is delivered afterwards exactly once", async () => {
  await queue(4);
  standIn.failNext(5, 500);
  const target = dispatcher();
  const first = await target.dispatchDue();
  expect(first.retrying).toBe(4);
  expect(await statuses()).toEqual(["pending", "pending", "pending", "pending"]);
  // Nothing is due again until the back-off has passed.
  expect((await target.dispatchDue()).sent).toBe(0);
  await drain(target);
  expect(await statuses()).toEqual(["sent", "sent", "sent", "sent"]);
  expect(standIn.delivered.size).toBe(4);
  expect(standIn.requests.length).toBe(9);
  // Every retry carried the same key as the first try.
  const keys = new Set(standIn.requests.map((request) => request.idempotencyKey));
  expect(keys.size).toBe(4);
});

test("an answer lost after delivery is retried with the same key, and the email arrives once", async () => {
  await queue(1);
  standIn.loseAnswers(1);
  await drain(dispatcher());
  expect(standIn.requests.length).toBe(2);
  expect(standIn.requests[0]!.idempotencyKey).toBe(standIn.requests[1]!.idempotencyKey);
  expect(standIn.delivered.size).toBe(1);
  expect(await statuses()).toEqual(["sent"]);
});

test("a 429 waits for retry-after; an invalid request fails at once and reaches the operator log", async () => {
  await queue(1);
  standIn.failNext(1, 429);
  const target = dispatcher();
  expect((await target.dispatchDue()).retrying).toBe(1);
  const [row] = await database.db.select().from(emailOutbox);
  expect(row!.nextAttemptAt.getTime() - clock.getTime()).toBe(1000);
  expect(row!.lastError).toContain("rate_limit_exceeded");

  await database.db.delete(emailOutbox);
  await queue(1, "bad");
  standIn.failNext(1, 422, "validation_error");
  expect((await target.dispatchDue()).failed).toBe(1);
  expect(await statuses()).toEqual(["failed"]);
  const failure = logLines.find((line) => line.includes("mail.failed"));
  expect(failure).toContain("validation_error");
  // Logs name the email by id and kind, never by address.
  expect(logLines.join("\n")).not.toContain("@school.test");
});

test("the daily cap per organization holds the rest until the next day", async () => {
  await queue(3);
  const target = dispatcher({ cap: 2 });
  expect(await target.dispatchDue()).toEqual({ sent: 2, retrying: 0, failed: 0, deferred: 1 });
  const [held] = await database.db.select().from(emailOutbox).where(eq(emailOutbox.status, "pending"));
  const tomorrow = new Date(Date.UTC(clock.getUTCFullYear(), clock.getUTCMonth(), clock.getUTCDate() + 1));
  expect(held!.nextAttemptAt.toISOString()).toBe(tomorrow.toISOString());
  clock = new Date(tomorrow.getTime() + 1000);
  expect((await target.dispatchDue()).sent).toBe(1);
  expect(standIn.delivered.size).toBe(3);
});

test("two dispatchers at once send each email once", async () => {
  await queue(10);
  const results = await Promise.all([dispatcher().dispatchDue(), dispatcher().dispatchDue()]);
  expect(results[0]!.sent + results[1]!.sent).toBe(10);
  expect(standIn.requests.length).toBe(10);
  expect(new Set(standIn.requests.map((request) => request.idempotencyKey)).size).toBe(10);
  expect((await statuses()).filter((status) => status === "sent").length).toBe(10);
});
