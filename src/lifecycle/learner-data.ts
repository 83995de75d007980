/**
 * Deletes learners together with everything that refers to them: their places in classes,
 * their links to source records, the archive's copies, match decisions, pending email
 * verifications and emails addressed to them, and the personal part of the sync history.
 * The daily purge (purge.ts) and the erasure of one child on request (erase-learner.ts) both
 * come here, inside their own transaction.
 *
 * What stays of the history: each run item keeps its run, entity, review status and action,
 * so a run still says "3 learners removed", and the run's counts are untouched; the name
 * (label), the field values (before, after), the match explanation and the ids go.
 */
import type { BulkSql } from "../db/bulk.ts";

export interface DeletedLearnerData {
  learners: number;
  enrolments: number;
  links: number;
  archiveEntries: number;
  matchDecisions: number;
  /** Run items kept, with their name, values and ids cleared. */
  runItemsCleared: number;
  /** Run items deleted: class places' before-images and unanswered May match questions. */
  runItemsDeleted: number;
  problems: number;
  emailVerifications: number;
  emails: number;
}

/** A DELETE or UPDATE ... RETURNING 1, counted. */
async function affected(sql: BulkSql, statement: string, params: unknown[]): Promise<number> {
  const [row] = await sql.query<{ n: number }>(`with changed as (${statement} returning 1) select count(*)::int as n from changed`, params);
  return Number(row?.n ?? 0);
}

export async function deleteLearnerData(sql: BulkSql, orgId: string, learnerIds: readonly string[]): Promise<DeletedLearnerData> {
  await sql.query(
    `create temp table erased_learners on commit drop as select id, lower(email) as email from learners where org_id = $1 and id = any($2::uuid[])`,
    [orgId, learnerIds],
  );
  await sql.query(`analyze erased_learners`);
  // The source records that are these children: their links, and what runs created or linked
  // them from. A May match's record is someone else until an admin says otherwise.
  await sql.query(
    `create temp table erased_sources on commit drop as
     select source, source_id from source_links where org_id = $1 and entity = 'learner' and entity_id in (select id from erased_learners)
     union
     select r.source, i.source_id from sync_run_items i join sync_runs r on r.id = i.run_id
     where r.org_id = $1 and i.entity = 'learner' and i.action <> 'review' and i.source_id is not null and i.entity_id in (select id from erased_learners)`,
    [orgId],
  );
  // Their run items, found through the run index (run items have no other).
  await sql.query(
    `create temp table erased_items on commit drop as
     select i.id, i.entity, i.action from sync_run_items i join sync_runs r on r.id = i.run_id
     where r.org_id = $1 and i.entity in ('learner', 'enrolment')
       and (i.entity_id in (select id from erased_learners) or (i.entity = 'learner' and (r.source, i.source_id) in (select source, source_id from erased_sources)))`,
    [orgId],
  );

  const counts: DeletedLearnerData = {
    learners: 0,
    enrolments: 0,
    links: 0,
    archiveEntries: 0,
    matchDecisions: 0,
    runItemsCleared: 0,
    runItemsDeleted: 0,
    problems: 0,
    emailVerifications: 0,
    emails: 0,
  };
  // A class place's before-image holds nothing but ids, of a learner undo could not bring back;
  // an unanswered May match about them has nobody left to ask about.
  counts.runItemsDeleted = await affected(
    sql,
    `delete from sync_run_items where id in (select id from erased_items where entity = 'enrolment' or action = 'review')`,
    [],
  );
  counts.runItemsCleared = await affected(
    sql,
    `update sync_run_items set label = null, before = null, after = null, explanation = null, source_id = null, entity_id = null
     where id in (select id from erased_items where entity = 'learner' and action <> 'review')`,
    [],
  );
  counts.problems = await affected(
    sql,
    `delete from sync_problems p using sync_runs r
     where r.id = p.run_id and r.org_id = $1 and p.entity = 'learner' and (r.source, p.source_id) in (select source, source_id from erased_sources)`,
    [orgId],
  );
  counts.matchDecisions = await affected(
    sql,
    `delete from match_decisions where org_id = $1 and (learner_id in (select id from erased_learners) or (source, source_id) in (select source, source_id from erased_sources))`,
    [orgId],
  );
  counts.archiveEntries = await affected(
    sql,
    `delete from archive_entries where org_id = $1 and entity = 'learner' and entity_id in (select id from erased_learners)`,
    [orgId],
  );
  counts.emailVerifications = await affected(sql, `delete from email_verifications where org_id = $1 and learner_id in (select id from erased_learners)`, [
    orgId,
  ]);
  // Not an address someone else still has (siblings may share a parent's address).
  counts.emails = await affected(
    sql,
    `delete from email_outbox where org_id = $1 and lower(to_address) in (select email from erased_learners where email is not null)
       and lower(to_address) not in (select lower(email) from learners where org_id = $1 and email is not null and id not in (select id from erased_learners))
       and lower(to_address) not in (select email from staff_users where org_id = $1)`,
    [orgId],
  );
  // A class whose members are unchanged in the source is skipped by the next sync: forget its
  // digest, so a child erased while still in the source is placed again when they come back.
  await sql.query(
    `update classes set members_digest = null where org_id = $1 and members_digest is not null
       and id in (select class_id from enrolments where org_id = $1 and learner_id in (select id from erased_learners))`,
    [orgId],
  );
  counts.enrolments = await affected(sql, `delete from enrolments where org_id = $1 and learner_id in (select id from erased_learners)`, [orgId]);
  counts.links = await affected(sql, `delete from source_links where org_id = $1 and entity = 'learner' and entity_id in (select id from erased_learners)`, [
    orgId,
  ]);
  counts.learners = await affected(sql, `delete from learners where org_id = $1 and id in (select id from erased_learners)`, [orgId]);
  await sql.query(`drop table erased_sources`);
  await sql.query(`drop table erased_items`);
  await sql.query(`drop table erased_learners`);
  return counts;
}

/** Whether a sync that may write is under way for the organization (its plan may name these learners). */
export async function syncUnderWay(sql: BulkSql, orgId: string): Promise<boolean> {
  const rows = await sql.query(`select 1 from sync_runs where org_id = $1 and status in ('fetching', 'planned', 'applying') and not dry_run limit 1`, [orgId]);
  return rows.length > 0;
}
