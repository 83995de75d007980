/**
 * JSON written by a sync's bulk transaction is stored as the object it holds, on Postgres as on
 * PGlite: a run's counts and its audit entry read back as objects, and rows an earlier version
 * stored as JSON strings are turned into objects by the migration.
 */
import { afterEach, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import { queryRows } from "../../src/db/client.ts";
import { createSyncHarness, type SyncHarness } from "../helpers/sync-harness.ts";

let harness: SyncHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const typesOf = async (h: SyncHarness) =>
  queryRows<{ what: string; type: string }>(
    h.database.db,
    sql`select 'counts' as what, jsonb_typeof(counts) as type from sync_runs where counts is not null
        union all select action, jsonb_typeof(detail) from audit_log where detail is not null order by 1`,
  );

test("a finished run's counts and its audit entries are stored as objects", async () => {
  harness = await createSyncHarness({ learners: 5 });
  expect((await harness.sync()).status).toBe("succeeded");
  const types = await typesOf(harness);
  expect(types.map((row) => row.what)).toEqual(expect.arrayContaining(["counts", "sync.applied"]));
  expect(types.filter((row) => row.type !== "object")).toEqual([]);
});

test("the migration turns counts and details stored as JSON strings back into objects", async () => {
  harness = await createSyncHarness({ learners: 5 });
  await harness.sync();
  const db = harness.database.db;
  await db.execute(sql`update sync_runs set counts = to_jsonb(counts::text)`);
  await db.execute(sql`update audit_log set detail = to_jsonb(detail::text) where detail is not null`);
  expect((await typesOf(harness)).every((row) => row.type === "string")).toBe(true);
  const migration = readFileSync(new URL("../../drizzle/0005_json-text-stored-as-strings.sql", import.meta.url), "utf8");
  for (const statement of migration.split("--> statement-breakpoint")) await db.execute(sql.raw(statement));
  const types = await typesOf(harness);
  expect(types.filter((row) => row.type !== "object")).toEqual([]);
  const [counts] = await queryRows<{ counts: { learners: { New: number } } }>(db, sql`select counts from sync_runs`);
  expect(counts!.counts.learners.New).toBe(5);
});
