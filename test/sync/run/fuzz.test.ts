/**
 * Fuzzed OneRoster sets through the real sync (issue 16, point 15): one organization syncs
 * one mutated set after another on a real database. Every run ends succeeded, held or failed
 * (none is left fetching or applying), and after each the roster is consistent: every
 * enrolment joins a learner and a class of the organization, and no learner's name holds a
 * control character or U+FFFD.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import fc from "fast-check";
import { queryRows } from "../../../src/db/client.ts";
import { readOneRosterFiles } from "../../../src/sources/oneroster/csv-set.ts";
import { applyMutations, type FuzzCase, fuzzCase, fuzzRuns, fuzzSeed, memoryFiles, UNWANTED_IN_NAMES, within } from "../../helpers/roster-fuzz.ts";
import { createSyncHarness, type SyncHarness } from "../../helpers/sync-harness.ts";

let harness: SyncHarness;
let current: FuzzCase = { mutations: [], chunk: 4096 };
const outcomes: string[] = [];
beforeAll(async () => {
  harness = await createSyncHarness({ learners: 0 });
  harness.deps.readSource = (_connection, sink) => readOneRosterFiles(memoryFiles(applyMutations(current.mutations), current.chunk), sink);
});
afterAll(() => harness.close());

async function syncAndCheck(input: FuzzCase): Promise<void> {
  current = input;
  const outcome = await within(harness.sync(), 60_000);
  expect(["succeeded", "held", "failed"]).toContain(outcome.status);
  outcomes.push(outcome.status);
  const orgId = harness.orgId;
  expect(await harness.count("sync_runs", `org_id = '${orgId}' and status in ('fetching', 'applying')`)).toBe(0);
  const orphans = await queryRows<{ n: number }>(
    harness.database.db,
    sql`select count(*)::int as n from enrolments e
        left join learners l on l.id = e.learner_id and l.org_id = e.org_id
        left join classes c on c.id = e.class_id and c.org_id = e.org_id
        where e.org_id = ${orgId} and (l.id is null or c.id is null)`,
  );
  expect(Number(orphans[0]!.n)).toBe(0);
  const names = await queryRows<{ names: string }>(
    harness.database.db,
    sql`select concat_ws('|', given_name, family_name, middle_name, preferred_given_name, preferred_family_name) as names from learners where org_id = ${orgId}`,
  );
  expect(names.map((row) => row.names).filter((value) => UNWANTED_IN_NAMES.test(value))).toEqual([]);
}

test("the unmutated set syncs", async () => {
  await syncAndCheck({ mutations: [], chunk: 4096 });
  expect(await harness.count("learners", `org_id = '${harness.orgId}'`)).toBe(8);
});

test(
  "any mutated set either fails cleanly or leaves a consistent roster",
  async () => {
    await fc.assert(
      fc.asyncProperty(fuzzCase, (input) => syncAndCheck(input)),
      { seed: fuzzSeed, numRuns: fuzzRuns("ROLLCALL_FUZZ_SYNC_RUNS", 12), endOnFailure: true },
    );
    // The cases reach apply: some sets sync (mutated or not, most rows are still good).
    expect(outcomes.filter((status) => status === "succeeded").length).toBeGreaterThan(1);
  },
  { timeout: 900_000 },
);
