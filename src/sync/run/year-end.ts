/**
 * Year-end archiving (ARCHITECTURE.md, "Vocabulary": carryover). When a school year closes, its classes and the
 * learners who were only in those classes move to the archive: status "archived", an archive
 * entry with what they looked like, and their source links dropped, because the next year's
 * roster often gives the same child a new record. With auto-carryover on, reconcile offers
 * archived learners as candidates for New ones (see reconcile/learners.ts), so a returning
 * child is restored with their history instead of created again.
 */
import { bulkTransaction } from "../../db/bulk.ts";
import type { Database } from "../../db/client.ts";
import { recordAudit } from "../../db/queries/audit.ts";

export interface ArchiveResult {
  classes: number;
  learners: number;
}

/**
 * Which classes close ($1 the organization, $2 the school year):
 * - "year": those of that school year or before (a year end; classes of sessions with a year);
 * - "left roster": those no source has any more (a promotion: the MIS's new year has new
 *   classes and no academic sessions, so last year's are the ones its read left unlinked).
 */
export type Closing = "year" | "left roster";

const CLOSING_CLASS: Record<Closing, string> = {
  year: `c.org_id = $1 and c.status = 'active' and exists (
    select 1 from academic_sessions s where s.id = c.academic_session_id and s.school_year <= $2)`,
  "left roster": `c.org_id = $1 and c.status = 'active' and not exists (
    select 1 from source_links l where l.org_id = $1 and l.entity = 'class' and l.entity_id = c.id)`,
};

/** A learner who leaves with the closing classes: active, in a class, and in no class that stays open. */
const leavingLearner = (closing: Closing) => `x.org_id = $1 and x.status = 'active'
  and exists (select 1 from enrolments e where e.learner_id = x.id)
  and not exists (select 1 from enrolments e join classes c on c.id = e.class_id
                  where e.learner_id = x.id and c.status = 'active' and not (${CLOSING_CLASS[closing]}))`;

/** What archiving the year would do, without doing it: the year-end page's preview. */
export async function previewSchoolYear(database: Database, input: { orgId: string; schoolYear: number }): Promise<ArchiveResult> {
  return bulkTransaction(database, async (sql) => {
    const params = [input.orgId, input.schoolYear];
    const [classes] = await sql.query<{ n: number }>(`select count(*)::int as n from classes c where ${CLOSING_CLASS.year}`, params);
    const [learners] = await sql.query<{ n: number }>(`select count(*)::int as n from learners x where ${leavingLearner("year")}`, params);
    return { classes: classes?.n ?? 0, learners: learners?.n ?? 0 };
  });
}

/** The school years that still have active classes: the ones a year end can close. */
export async function openSchoolYears(database: Database, orgId: string): Promise<number[]> {
  return bulkTransaction(database, async (sql) => {
    const rows = await sql.query<{ year: number }>(
      `select distinct s.school_year as year from academic_sessions s join classes c on c.academic_session_id = s.id
       where c.org_id = $1 and c.status = 'active' and s.school_year is not null order by 1`,
      [orgId],
    );
    return rows.map((row) => row.year);
  });
}

/**
 * Archives the closing classes and their leavers under the school year; `userId` when an admin
 * did it (the year-end page, the MIS user sync), none when an operator did from the command line.
 */
export async function archiveSchoolYear(
  database: Database,
  input: { orgId: string; schoolYear: number; userId?: string; closing?: Closing },
): Promise<ArchiveResult> {
  const closing = input.closing ?? "year";
  return bulkTransaction(database, async (sql) => {
    const params = [input.orgId, input.schoolYear];
    // Learners first: who leaves is decided while the year's classes are still open.
    // Only the year's closing names $2: Postgres refuses a parameter a statement does not use.
    const leaving = await sql.query<{ id: string }>(
      `select x.id from learners x where ${leavingLearner(closing)}`,
      closing === "year" ? params : [input.orgId],
    );
    const classes = await sql.query<{ id: string }>(
      `with closed as (
         select c.id from classes c where ${CLOSING_CLASS[closing]}
       ), archived as (
         update classes c set status = 'archived', status_changed_at = now(), updated_at = now() from closed where c.id = closed.id returning c.*
       ), entries as (
         insert into archive_entries (org_id, entity, entity_id, school_year, summary)
         select $1, 'class', a.id, $2, jsonb_build_object('name', coalesce(a.name_override, a.name), 'kind', a.kind, 'grades', a.grade_codes) from archived a
         on conflict (entity, entity_id) do nothing
       )
       select id from archived`,
      params,
    );
    const learners = await sql.query<{ id: string }>(
      `with archived as (
         update learners x set status = 'archived', has_access = false, status_changed_at = now(), updated_at = now()
         where x.id = any($3::uuid[]) returning x.*
       ), entries as (
         insert into archive_entries (org_id, entity, entity_id, school_year, summary)
         select $1, 'learner', a.id, $2, jsonb_build_object(
           'yearGroup', (select code from year_groups y where y.id = a.year_group_id),
           'classes', (select coalesce(jsonb_agg(coalesce(c.name_override, c.name) order by c.name), '[]'::jsonb) from enrolments e join classes c on c.id = e.class_id where e.learner_id = a.id))
         from archived a on conflict (entity, entity_id) do nothing
       )
       select id from archived`,
      [...params, leaving.map((row) => row.id)],
    );
    await sql.query(`delete from source_links where org_id = $1 and entity_id = any($2::uuid[])`, [
      input.orgId,
      [...classes, ...learners].map((row) => row.id),
    ]);
    await recordAudit(sql.db, {
      orgId: input.orgId,
      actor: input.userId ? "user" : "operator",
      actorUserId: input.userId ?? null,
      action: "year.archived",
      detail: { schoolYear: input.schoolYear, closing, classes: classes.length, learners: learners.length },
    });
    return { classes: classes.length, learners: learners.length };
  });
}
