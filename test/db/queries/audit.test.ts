/**
 * recordAudit is the one writer of the audit log, through the app's Drizzle or a bulk
 * transaction's: either way `detail` is stored as the object it holds (on Postgres too, where a
 * JSON text parameter would be kept as one string), and read back as that object.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { bulkTransaction } from "../../../src/db/bulk.ts";
import { queryRows } from "../../../src/db/client.ts";
import { recordAudit } from "../../../src/db/queries/audit.ts";
import { auditLog } from "../../../src/db/schema/audit.ts";
import { createTestDatabase, type TestDatabase } from "../../helpers/db.ts";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.close();
});

const detail = { counts: { learners: { New: 3 } }, reasons: ["one", "two"] };

test("an entry written through Drizzle or inside a bulk transaction reads back with its detail as an object", async () => {
  await recordAudit(database.db, { orgId: null, actor: "operator", action: "test.drizzle", detail });
  const readInside = await bulkTransaction(database, async (bulk) => {
    await recordAudit(bulk.db, { orgId: null, actor: "system", action: "test.bulk", detail });
    return bulk.db.select({ action: auditLog.action, detail: auditLog.detail }).from(auditLog).orderBy(auditLog.action);
  });
  expect(readInside).toEqual([
    { action: "test.bulk", detail },
    { action: "test.drizzle", detail },
  ]);
  const stored = await queryRows<{ action: string; type: string }>(
    database.db,
    sql`select action, jsonb_typeof(detail) as type from audit_log order by action`,
  );
  expect(stored).toEqual([
    { action: "test.bulk", type: "object" },
    { action: "test.drizzle", type: "object" },
  ]);
});

test("an entry written in a bulk transaction that rolls back is not kept", async () => {
  const failed = bulkTransaction(database, async (bulk) => {
    await recordAudit(bulk.db, { orgId: null, actor: "system", action: "test.rolled_back" });
    throw new Error("the change failed");
  });
  await expect(failed).rejects.toThrow("the change failed");
  expect(await queryRows(database.db, sql`select 1 from audit_log where action = 'test.rolled_back'`)).toEqual([]);
});
