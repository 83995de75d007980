/**
 * An organization that moves to another feed of the same district (a OneRoster file after
 * Clever, say) keeps its schools, classes, educators and learners: the new feed's records are
 * linked to them, though every id differs, and nothing is duplicated (issue 19, point 6).
 */
import { afterEach, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { saveConnection } from "../../../src/connections/details.ts";
import { queryRows } from "../../../src/db/client.ts";
import { matchDecisions } from "../../../src/db/schema/index.ts";
import { createSyncHarness, type District, type SyncHarness } from "../../helpers/sync-harness.ts";

let harness: SyncHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** The same district as another system sends it: every id different, names and people the same. */
function renumbered(district: District, prefix: string): void {
  const id = (sourceId: string) => `${prefix}${sourceId}`;
  for (const school of district.schools) school.sourceId = id(school.sourceId);
  for (const session of district.sessions) session.sourceId = id(session.sourceId);
  for (const klass of district.classes) {
    klass.sourceId = id(klass.sourceId);
    klass.schoolSourceId = id(klass.schoolSourceId);
    klass.academicSessionSourceIds = klass.academicSessionSourceIds.map(id);
  }
  for (const person of [...district.educators, ...district.learners]) {
    person.sourceId = id(person.sourceId);
    person.schoolSourceIds = person.schoolSourceIds.map(id);
  }
  for (const enrolment of district.enrolments) {
    enrolment.classSourceId = id(enrolment.classSourceId);
    enrolment.personSourceId = id(enrolment.personSourceId);
  }
}

/** How many rows of each kind the organization has. */
async function rows(h: SyncHarness) {
  const tables = {
    schools: "schools",
    sessions: "academic_sessions",
    classes: "classes",
    educators: "educators",
    learners: "learners",
    enrolments: "enrolments",
  };
  return Object.fromEntries(await Promise.all(Object.entries(tables).map(async ([what, table]) => [what, await h.count(table)] as const)));
}

test("switching to another feed of the same district links every school, session, class, educator and learner, asks about a typo, and duplicates none", async () => {
  harness = await createSyncHarness({ learners: 40 });
  const first = await harness.sync();
  expect(first.status).toBe("succeeded");
  const before = await rows(harness);
  expect(before).toEqual({ schools: 2, sessions: 1, classes: 12, educators: 12, learners: 40, enrolments: 40 });

  renumbered(harness.district, "clever-");
  // One child's given name with two letters swapped, as typed into the other system.
  const typo = harness.district.learners[7]!;
  typo.givenName = `${typo.givenName[1]}${typo.givenName[0]}${typo.givenName.slice(2)}`;
  const config = harness.deps.config;
  await saveConnection(harness.database.db, {
    orgId: harness.orgId,
    details: { source: "clever", districtId: "5f0c1a2b3c4d5e6f7a8b9c0d" },
    secret: null,
    encryptionKey: config.encryptionKey,
  });
  const switched = await harness.sync();
  expect(switched.status).toBe("succeeded");
  expect(switched.counts!.classes.Matched).toBe(12);
  expect(switched.counts!.educators.Matched).toBe(12);
  expect(switched.counts!.learners.Matched).toBe(39);
  expect(switched.counts!.learners["May match"]).toBe(1);
  expect(switched.counts!.classes.New + switched.counts!.educators.New + switched.counts!.learners.New).toBe(0);
  expect(await rows(harness)).toEqual(before);
  // The child waiting for an answer is not linked yet; everything else is.
  expect(await harness.count("source_links", "source = 'clever'")).toBe(2 + 1 + 12 + 12 + 39);

  // The admin says yes: the next sync links the child, who never lost their class place.
  const [pair] = await queryRows<{ entity_id: string }>(harness.database.db, sql`select entity_id from sync_run_items where status = 'May match'`);
  await harness.database.db
    .insert(matchDecisions)
    .values({ orgId: harness.orgId, source: "clever", sourceId: typo.sourceId, learnerId: pair!.entity_id, decision: "accepted" });
  const answered = await harness.sync();
  expect(answered.counts!.learners.Matched).toBe(1);
  expect(await harness.count("learners")).toBe(40);
  expect(await harness.count("enrolments")).toBe(40);
  expect(await harness.count("source_links", "source = 'clever' and entity = 'learner'")).toBe(40);
});

test("a leaving learner is claimed by a new record only on a confirmed identifier: a joiner who merely resembles them is a new child", async () => {
  harness = await createSyncHarness({ learners: 20 });
  await harness.settings({ holdThresholdMinimum: 100 });
  expect((await harness.sync()).status).toBe("succeeded");

  // The same child under a new record (a new MIS record keeps the school's number): re-linked, not desynced.
  const renewed = harness.district.learners.pop()!;
  harness.district.learners.push({ ...renewed, sourceId: "stu-renewed" });
  expect((await harness.sync()).counts!.learners).toMatchObject({ Matched: 1, Desynced: 0, New: 0 });

  // The same name and birthday under another id, without the school's number: another child.
  const leaver = harness.district.learners.pop()!;
  harness.district.learners.push({ ...leaver, sourceId: "stu-new", studentNumber: undefined });
  expect((await harness.sync()).counts!.learners).toMatchObject({ New: 1, Desynced: 1, Matched: 0 });
});

test("in a 600-learner organization, a child whose given name has two letters swapped in the new feed is at least May match", async () => {
  harness = await createSyncHarness({ learners: 600 });
  expect((await harness.sync()).status).toBe("succeeded");
  renumbered(harness.district, "clever-");
  // "Lucas" typed as "Lcuas": the second and third letters swapped, birthday, surname and school the same.
  const typo = harness.district.learners.find((learner) => learner.givenName.length >= 4)!;
  typo.givenName = `${typo.givenName[0]}${typo.givenName[2]}${typo.givenName[1]}${typo.givenName.slice(3)}`;
  await saveConnection(harness.database.db, {
    orgId: harness.orgId,
    details: { source: "clever", districtId: "5f0c1a2b3c4d5e6f7a8b9c0d" },
    secret: null,
    encryptionKey: harness.deps.config.encryptionKey,
  });
  const switched = await harness.sync();
  expect(switched.counts!.learners.New).toBe(0);
  expect(switched.counts!.learners.Matched + switched.counts!.learners["May match"]).toBe(600);
  const [item] = await queryRows<{ status: string }>(harness.database.db, sql`select status from sync_run_items where source_id = ${typo.sourceId}`);
  expect(["May match", "Matched"]).toContain(item!.status);
}, 120_000);
