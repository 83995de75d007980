/**
 * Incremental reads (issue 21): a scheduled sync between full reads reads only Clever's events
 * since the cursor, through the same plan, review and safety rules as a full read. Against the
 * demo district behind its Clever-compatible server on loopback, which logs an event for every
 * change a day brings.
 */
import { afterAll, afterEach, beforeEach, expect, test } from "bun:test";
import { eq, sql } from "drizzle-orm";
import { loadConnection, saveConnection } from "../../../src/connections/details.ts";
import { queryRows } from "../../../src/db/client.ts";
import { syncRuns, syncSettings } from "../../../src/db/schema/index.ts";
import { createDemoClever, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_DISTRICT_ID } from "../../../src/demo/index.ts";
import { silentLogger } from "../../../src/lib/log.ts";
import { createOrganization } from "../../../src/orgs/organizations.ts";
import { ensureProducts } from "../../../src/products.ts";
import { GRADE_CODES } from "../../../src/roster/snapshot.ts";
import { createSyncDeps } from "../../../src/sync/run/deps.ts";
import { type SyncDeps, syncOrganization } from "../../../src/sync/run/lifecycle.ts";
import { serve } from "../../helpers/collect.ts";
import { createTestDatabase, type TestDatabase } from "../../helpers/db.ts";

const ENCRYPTION_KEY = "0123456789abcdef".repeat(4);
let demo: ReturnType<typeof createDemoClever>;
let server: ReturnType<typeof serve>;
let database: TestDatabase;
let deps: SyncDeps;
let orgId: string;

beforeEach(async () => {
  demo = createDemoClever({ learners: 300, schoolYear: 2027 });
  server = serve(demo.app.fetch);
  database = await createTestDatabase();
  await ensureProducts(database.db);
  deps = createSyncDeps({
    database,
    config: {
      encryptionKey: ENCRYPTION_KEY,
      vendors: { clever: { clientId: DEMO_CLIENT_ID, clientSecret: DEMO_CLIENT_SECRET, apiUrl: server.url, oauthUrl: server.url } },
    },
    logger: silentLogger,
    appUrl: "http://localhost",
  });
  orgId = (await createOrganization(database.db, { name: "Maple Grove", adminEmail: "admin@maplegrove.example", licences: ["reading"] }, "http://localhost"))
    .id;
  await saveConnection(database.db, { orgId, details: { source: "clever", districtId: DEMO_DISTRICT_ID }, secret: null, encryptionKey: ENCRYPTION_KEY });
  await database.db
    .update(syncSettings)
    .set({ activeSource: "clever", allowRemoval: true, scope: { kind: "grades", grades: [...GRADE_CODES] } })
    .where(eq(syncSettings.orgId, orgId));
});
afterEach(async () => {
  await database.close();
  server.stop();
});
afterAll(() => {});

const scheduled = () => syncOrganization(deps, { orgId, trigger: "scheduled" });

async function runRow(runId: string) {
  const [run] = await database.db.select().from(syncRuns).where(eq(syncRuns.id, runId));
  return run!;
}

/** Every learner and class place, as the roster holds it now, to compare whole states. */
async function rosterState(): Promise<string[]> {
  const rows = await queryRows<{ line: string }>(
    database.db,
    sql`select concat_ws('|', l.given_name, l.family_name, l.status, l.year_group_id, string_agg(c.name, ',' order by c.name)) as line
        from learners l left join enrolments e on e.learner_id = l.id left join classes c on c.id = e.class_id
        where l.org_id = ${orgId} group by l.id order by 1`,
  );
  return rows.map((row) => row.line);
}

const rowsWritten = async () =>
  (
    await queryRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from sync_run_items i join sync_runs r on r.id = i.run_id where r.org_id = ${orgId}`,
    )
  )[0]!.n;

test("the first sync reads in full; the next scheduled one reads only the day's events and ends where a full read would", async () => {
  const first = await scheduled();
  expect(first.status).toBe("succeeded");
  expect(await runRow(first.runId)).toMatchObject({ readMode: "full", readReason: "first" });
  expect((await loadConnection(database.db, orgId, "clever", ENCRYPTION_KEY))!.cursor).toBeTruthy();

  demo.district.advanceDay();
  demo.district.advanceDay();
  const second = await scheduled();
  expect(second.status).toBe("succeeded");
  expect(await runRow(second.runId)).toMatchObject({ readMode: "delta", readReason: "changes" });
  const counts = second.counts!;
  // Two days of a 300-learner district: a few joiners, leavers and changes, not the whole roster.
  expect(counts.learners.New + counts.learners.Synced + counts.learners.Desynced).toBeGreaterThan(0);
  expect(counts.learners.Unchanged).toBeLessThan(20);
  expect(counts.enrolments.New).toBeGreaterThan(0);
  // The homerooms restated by section events kept every field, their course names included.
  expect(counts.classes.Synced).toBe(0);
  const afterEvents = await rosterState();

  // A full read of the same district now changes nothing: the events brought it all.
  const full = await syncOrganization(deps, { orgId, trigger: "sync_now" });
  expect(full.status).toBe("succeeded");
  expect(await runRow(full.runId)).toMatchObject({ readMode: "full", readReason: "asked" });
  expect(full.counts!.learners.New + full.counts!.learners.Synced + full.counts!.learners.Desynced).toBe(0);
  expect(full.counts!.enrolments.New + full.counts!.enrolments.Desynced).toBe(0);
  expect(await rosterState()).toEqual(afterEvents);
});

test("events read twice change nothing the second time", async () => {
  expect((await scheduled()).status).toBe("succeeded");
  const cursor = (await loadConnection(database.db, orgId, "clever", ENCRYPTION_KEY))!.cursor;
  demo.district.advanceDay();
  const once = await scheduled();
  expect(once.status).toBe("succeeded");
  const state = await rosterState();
  const written = await rowsWritten();

  // The same events again, as after a cursor that was not moved on.
  await database.db.execute(sql`update connections set cursor = ${cursor} where org_id = ${orgId}`);
  const twice = await scheduled();
  expect(twice.status).toBe("succeeded");
  expect(await runRow(twice.runId)).toMatchObject({ readMode: "delta" });
  const counts = twice.counts!;
  expect(counts.learners.New + counts.learners.Synced + counts.learners.Desynced).toBe(0);
  expect(counts.enrolments.New + counts.enrolments.Desynced).toBe(0);
  expect(await rosterState()).toEqual(state);
  expect(await rowsWritten()).toBe(written);
});

test("a storm of deletion events is held for approval, like a full read's", async () => {
  expect((await scheduled()).status).toBe("succeeded");
  // Forty users.deleted events: far over 10% of 300.
  const students = demo.district.page("students", undefined, 40) as { id: string }[];
  for (const student of students) (demo.district as unknown as { logEvent(type: string, object: object): void }).logEvent("users.deleted", student);
  const run = await scheduled();
  expect(run.status).toBe("held");
  expect(await runRow(run.runId)).toMatchObject({ readMode: "delta", readReason: "changes" });
  expect(run.counts!.learners.Desynced).toBe(40);
  expect((await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from learners where org_id = ${orgId} and status = 'active'`))[0]!.n).toBe(
    300,
  );
});

test("a cursor older than the 30 days Clever keeps events brings a full read", async () => {
  const first = await scheduled();
  await database.db.execute(sql`update sync_runs set created_at = now() - interval '31 days' where id = ${first.runId}`);
  demo.district.advanceDay();
  const run = await scheduled();
  expect(run.status).toBe("succeeded");
  expect(await runRow(run.runId)).toMatchObject({ readMode: "full", readReason: "cursor_old" });
});

test("a full read is due after the days the settings give", async () => {
  const first = await scheduled();
  await database.db.update(syncSettings).set({ fullReadEveryDays: 3 }).where(eq(syncSettings.orgId, orgId));
  await database.db.execute(sql`update sync_runs set created_at = now() - interval '3 days' where id = ${first.runId}`);
  const run = await scheduled();
  expect(await runRow(run.runId)).toMatchObject({ readMode: "full", readReason: "due" });
});

test("a failed events read fails the run and removes nothing; the next sync reads in full", async () => {
  expect((await scheduled()).status).toBe("succeeded");
  demo.district.advanceDay();
  demo.faults.add({ kind: "500", times: 50, path: "/v3.0/events" });
  const failed = await scheduled();
  expect(failed.status).toBe("failed");
  expect((await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from learners where org_id = ${orgId} and status = 'active'`))[0]!.n).toBe(
    300,
  );
  demo.faults.clear();
  const next = await scheduled();
  expect(next.status).toBe("succeeded");
  expect(await runRow(next.runId)).toMatchObject({ readMode: "full", readReason: "after_failure" });
});

test("a child who left and is registered again under a new record is asked about, not added twice", async () => {
  await database.db.update(syncSettings).set({ allowRemoval: false }).where(eq(syncSettings.orgId, orgId));
  expect((await scheduled()).status).toBe("succeeded");
  demo.district.advanceDay();
  const left = await scheduled();
  expect(left.status).toBe("succeeded");
  expect(left.counts!.learners.Desynced).toBeGreaterThanOrEqual(1);
  demo.district.advanceDay();
  const back = await scheduled();
  expect(await runRow(back.runId)).toMatchObject({ readMode: "delta", status: "held" });
  expect(back.counts!.learners["May match"]).toBe(1);
  expect(back.reasons!.join(" ")).toContain("needs your review");
});
