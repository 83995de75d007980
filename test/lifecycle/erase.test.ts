/**
 * Issue 17 point 12, erasure. An organization erased leaves no row in any table with an org_id
 * column, nothing kept by its people's addresses, and no file; the audit log keeps one record
 * that names no one. One learner erased on request leaves nothing about them either (class
 * places, links, archive, decisions, sync history, emails), while the rest of the history still
 * undoes, and a child still in the source comes back as New at the next sync.
 */
import { afterEach, expect, test } from "bun:test";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { createSession } from "../../src/auth/sessions.ts";
import { addressKey, pairKey, recordFailure } from "../../src/auth/throttle.ts";
import { staffUsers } from "../../src/db/schema/index.ts";
import { EraseRefused, eraseLearner, LearnerNotFound } from "../../src/lifecycle/erase-learner.ts";
import { eraseOrganization } from "../../src/lifecycle/erase-organization.ts";
import { silentLogger } from "../../src/lib/log.ts";
import { enqueueEmail } from "../../src/mail/outbox.ts";
import { archiveSchoolYear } from "../../src/sync/run/year-end.ts";
import { storedZipPath } from "../../src/connections/uploads.ts";
import { undoRun } from "../../src/sync/run/undo.ts";
import { testConfig } from "../helpers/app.ts";
import { createSyncHarness, removeLearners, rosterSnapshot, type SyncHarness } from "../helpers/sync-harness.ts";
import { learnerTraces, rowsOf, tablesContaining } from "./traces.ts";

let harness: SyncHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const rows = <Row>(h: SyncHarness, query: string) => rowsOf<Row>(h.database, query);
const deps = (h: SyncHarness) => ({ database: h.database, logger: silentLogger });
const email = (to: string, key: string, orgId: string | null) => ({
  orgId,
  kind: "test",
  to,
  subject: "Hello",
  text: "Hello",
  html: "<p>Hello</p>",
  idempotencyKey: key,
});

async function idOf(h: SyncHarness, sourceId: string): Promise<string> {
  const [row] = await rows<{ id: string }>(
    h,
    `select entity_id as id from source_links where org_id = '${h.orgId}' and entity = 'learner' and source_id = '${sourceId}'`,
  );
  return row!.id;
}

test("an erased organization leaves nothing in any table and one record of the erasure; another organization is untouched", async () => {
  harness = await createSyncHarness({ learners: 30 });
  const h = harness;
  const other = await createSyncHarness({ learners: 30, database: h.database });
  const db = h.database.db;
  const dataDir = testConfig().dataDir;
  // Markers to look for everywhere afterwards.
  h.district.learners[0]!.familyName = "Zyxwvut";
  h.district.educators[0]!.email = "quetzal.teacher@district.test";
  await h.settings({ allowRemoval: true, removalMode: "remove" });
  await h.sync();
  await other.sync();
  removeLearners(h.district, new Set(["stu-5"]));
  await h.sync();
  const learnerId = await idOf(h, "stu-0");
  await archiveSchoolYear(h.database, { orgId: h.orgId, schoolYear: 2026 });
  // Its people: an admin signed in, failed sign-ins, mail filed and unfiled, a learner's verification.
  const [admin] = await db
    .insert(staffUsers)
    .values({ orgId: h.orgId, email: "quetzal.admin@district.test", name: "Quetzal Admin", role: "org_admin" })
    .returning();
  await createSession(db, { id: admin!.id, orgId: h.orgId });
  await recordFailure(db, { pair: pairKey("quetzal.admin@district.test", "203.0.113.9"), address: addressKey("203.0.113.9") });
  // Both organizations invited admin@district.test: that address's throttle stays for the other.
  await recordFailure(db, { pair: pairKey("admin@district.test", "203.0.113.9"), address: addressKey("203.0.113.9") });
  await enqueueEmail(db, email("quetzal.admin@district.test", "unfiled-1", null));
  await enqueueEmail(db, email("quetzal.teacher@district.test", "filed-1", h.orgId));
  await rows(
    h,
    `insert into email_verifications (org_id, learner_id, email, token_hash, expires_at) values ('${h.orgId}', '${learnerId}', 'quetzal.kid@district.test', 'x', now())`,
  );
  await rows(
    h,
    `insert into match_decisions (org_id, source, source_id, learner_id, decision) values ('${h.orgId}', 'oneroster', 'stu-9', '${learnerId}', 'rejected')`,
  );
  // The organization's stored upload (its content does not matter to erasure).
  const stored = { path: storedZipPath(dataDir, h.orgId) };
  mkdirSync(dirname(stored.path), { recursive: true });
  writeFileSync(stored.path, new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]));
  expect(existsSync(stored.path)).toBe(true);

  const withOrgId = await rows<{ name: string }>(
    h,
    `select table_name as name from information_schema.columns where table_schema = current_schema() and column_name = 'org_id'`,
  );
  const held = async (orgId: string) => {
    const counts: Record<string, number> = {};
    for (const { name } of withOrgId) counts[name] = (await rows<{ n: number }>(h, `select count(*)::int as n from ${name} where org_id = '${orgId}'`))[0]!.n;
    return counts;
  };
  const before = await held(h.orgId);
  for (const table of [
    "learners",
    "enrolments",
    "source_links",
    "sync_run_items",
    "archive_entries",
    "sessions",
    "invites",
    "email_outbox",
    "email_verifications",
    "audit_log",
    "connections",
  ]) {
    expect({ table, rows: before[table]! > 0 }).toEqual({ table, rows: true });
  }
  const otherBefore = await rosterSnapshot(h.database, other.orgId);

  await expect(eraseOrganization(deps(h), { orgId: h.orgId, confirmName: "harness district", dataDir })).rejects.toBeInstanceOf(EraseRefused);
  const counts = await eraseOrganization(deps(h), { orgId: h.orgId, confirmName: "Harness District", dataDir });
  expect(counts).toMatchObject({ learners: 30, staff_users: 1, sessions: 1, sign_in_failures: 1, unfiled_emails: 1 });

  const after = await held(h.orgId);
  expect(Object.values(after).every((count) => count === 0)).toBe(true);
  expect(Object.keys(after).length).toBe(withOrgId.length);
  expect(await h.count("organizations", `id = '${h.orgId}'`)).toBe(0);
  expect(await tablesContaining(h.database, "zyxwvut")).toEqual({});
  expect(await tablesContaining(h.database, "quetzal")).toEqual({});
  expect(await h.count("sign_in_failures", `key = '${pairKey("admin@district.test", "203.0.113.9")}'`)).toBe(1);
  expect(existsSync(dirname(stored.path))).toBe(false);

  const audit = await rows<{ org_id: string | null; actor: string; entity: string; entity_id: string; detail: Record<string, number> }>(
    h,
    `select org_id, actor, entity, entity_id, detail from audit_log where action = 'organization.erased'`,
  );
  expect(audit).toEqual([{ org_id: null, actor: "operator", entity: "organization", entity_id: h.orgId, detail: counts }]);
  expect(await rosterSnapshot(h.database, other.orgId)).toEqual(otherBefore);
  expect(await h.count("audit_log", `org_id = '${other.orgId}'`)).toBeGreaterThan(0);
});

test("an erased learner leaves nothing about them; the history still undoes; a child still in the source comes back as New", async () => {
  harness = await createSyncHarness({ learners: 20 });
  const h = harness;
  const db = h.database.db;
  const child = h.district.learners[0]!;
  Object.assign(child, { familyName: "Zyxwvut", email: "quetzal.kid@district.test" });
  // Siblings sharing an address: mail to it stays while one of them still has it.
  h.district.learners[3]!.email = h.district.learners[2]!.email = "family@home.test";
  await h.sync();
  const learner = { id: await idOf(h, child.sourceId), sourceId: child.sourceId, familyName: "Zyxwvut" };
  // A later sync renames the child and another learner.
  child.familyName = "Zyxwvutson";
  h.district.learners[6]!.familyName = "Renamed";
  const rename = await h.sync();
  expect(rename.counts!.learners!.Synced).toBe(2);
  await rows(
    h,
    `insert into sync_run_items (run_id, org_id, entity, status, action, entity_id, source_id, label) values ('${rename.runId}', '${h.orgId}', 'learner', 'May match', 'review', '${learner.id}', 'stu-other', 'Someone Zyxwvut')`,
  );
  await rows(
    h,
    `insert into archive_entries (org_id, entity, entity_id, school_year, summary) values ('${h.orgId}', 'learner', '${learner.id}', 2025, '{"classes":["Homeroom"]}')`,
  );
  await rows(
    h,
    `insert into match_decisions (org_id, source, source_id, learner_id, decision) values ('${h.orgId}', 'oneroster', '${learner.sourceId}', '${await idOf(h, "stu-9")}', 'rejected')`,
  );
  await rows(
    h,
    `insert into sync_problems (run_id, org_id, severity, file, line, field, entity, source_id, message) values ('${rename.runId}', '${h.orgId}', 'warning', 'users.csv', 2, 'familyName', 'learner', '${learner.sourceId}', '"Zyxwvutson" was kept')`,
  );
  await rows(
    h,
    `insert into email_verifications (org_id, learner_id, email, token_hash, expires_at) values ('${h.orgId}', '${learner.id}', 'quetzal.kid@district.test', 'y', now())`,
  );
  await enqueueEmail(db, email("quetzal.kid@district.test", "kid-1", h.orgId));
  await enqueueEmail(db, email("stu1@district.test", "other-1", h.orgId));
  await enqueueEmail(db, email("family@home.test", "family-1", h.orgId));
  const sibling = await idOf(h, h.district.learners[2]!.sourceId);
  expect((await learnerTraces(h.database, h.orgId, learner)).run_items).toBeGreaterThanOrEqual(3);
  const learnerItems = await h.count("sync_run_items", `org_id = '${h.orgId}' and entity = 'learner'`);

  const counts = await eraseLearner(deps(h), { orgId: h.orgId, learnerId: learner.id, actor: { kind: "operator" } });
  expect(counts).toMatchObject({
    learners: 1,
    enrolments: 1,
    links: 1,
    archiveEntries: 1,
    matchDecisions: 1,
    emailVerifications: 1,
    emails: 1,
    runItemsCleared: 2,
    runItemsDeleted: 1,
    problems: 1,
  });
  expect(await learnerTraces(h.database, h.orgId, learner)).toEqual({ learners: 0, links: 0, enrolments: 0, archive: 0, decisions: 0, run_items: 0 });
  expect(await tablesContaining(h.database, "zyxwvut")).toEqual({});
  expect(await tablesContaining(h.database, "quetzal")).toEqual({});
  expect(await h.count("email_outbox", `to_address in ('stu1@district.test', 'family@home.test')`)).toBe(2);
  expect(await h.count("sync_run_items", `org_id = '${h.orgId}' and entity = 'learner'`)).toBe(learnerItems - 1);

  // Erasing the sibling now takes the shared address's mail with them.
  expect((await eraseLearner(deps(h), { orgId: h.orgId, learnerId: sibling, actor: { kind: "operator" } })).emails).toBe(0);
  const audit = await rows<{ actor: string; entity_id: string; detail: Record<string, number> }>(
    h,
    `select actor, entity_id, detail from audit_log where org_id = '${h.orgId}' and action = 'learner.erased' order by id`,
  );
  expect(audit.map((entry) => [entry.actor, entry.entity_id])).toEqual([
    ["operator", learner.id],
    ["operator", sibling],
  ]);
  expect(audit[0]!.detail).toEqual(counts as never);

  // The run that renamed both still undoes; the other learner's old name comes back.
  await undoRun(h.deps, { orgId: h.orgId, runId: rename.runId, userId: null });
  expect(await h.count("learners", `org_id = '${h.orgId}' and family_name = 'Renamed'`)).toBe(0);
  // Still in the school's system: the next sync brings the child back as New, in their class.
  const next = await h.sync();
  expect(next.counts!.learners!.New).toBe(2);
  const [back] = await rows<{ id: string; places: number }>(
    h,
    `select x.id, (select count(*)::int from enrolments e where e.learner_id = x.id) as places from learners x where x.org_id = '${h.orgId}' and x.family_name = 'Zyxwvutson'`,
  );
  expect(back!.places).toBe(1);
  expect(back!.id).not.toBe(learner.id);
});

test("a learner of another organization, or during a sync, is not erased", async () => {
  harness = await createSyncHarness({ learners: 6 });
  const h = harness;
  const other = await createSyncHarness({ learners: 6, database: h.database });
  await h.sync();
  await other.sync();
  const theirs = await idOf(other, "stu-1");
  await expect(eraseLearner(deps(h), { orgId: h.orgId, learnerId: theirs, actor: { kind: "operator" } })).rejects.toBeInstanceOf(LearnerNotFound);
  await expect(eraseLearner(deps(h), { orgId: h.orgId, learnerId: "not-an-id", actor: { kind: "operator" } })).rejects.toBeInstanceOf(LearnerNotFound);
  await rows(h, `insert into sync_runs (org_id, source, trigger, status) values ('${h.orgId}', 'oneroster', 'cli', 'applying')`);
  await expect(eraseLearner(deps(h), { orgId: h.orgId, learnerId: await idOf(h, "stu-1"), actor: { kind: "operator" } })).rejects.toThrow("A sync is running");
  expect(await h.count("learners", `org_id in ('${h.orgId}', '${other.orgId}')`)).toBe(12);
});
