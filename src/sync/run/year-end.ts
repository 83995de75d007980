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

export async function archiveSchoolYear(database: Database, input: { orgId: string; schoolYear: number }): Promise<ArchiveResult> {
  return bulkTransaction(database, async (sql) => {
    const params = [input.orgId, input.schoolYear];
    const classes = await sql.query<{ id: string }>(
      `with closed as (
         select c.id from classes c join academic_sessions s on s.id = c.academic_session_id
         where c.org_id = $1 and c.status = 'active' and s.school_year <= $2
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
    // Learners whose every class is now archived (and who had at least one).
    const learners = await sql.query<{ id: string }>(
      `with leaving as (
         select x.id from learners x
         where x.org_id = $1 and x.status = 'active'
           and exists (select 1 from enrolments e where e.learner_id = x.id)
           and not exists (select 1 from enrolments e join classes c on c.id = e.class_id where e.learner_id = x.id and c.status = 'active')
       ), archived as (
         update learners x set status = 'archived', has_access = false, status_changed_at = now(), updated_at = now() from leaving where x.id = leaving.id returning x.*
       ), entries as (
         insert into archive_entries (org_id, entity, entity_id, school_year, summary)
         select $1, 'learner', a.id, $2, jsonb_build_object(
           'yearGroup', (select code from year_groups y where y.id = a.year_group_id),
           'classes', (select coalesce(jsonb_agg(coalesce(c.name_override, c.name) order by c.name), '[]'::jsonb) from enrolments e join classes c on c.id = e.class_id where e.learner_id = a.id))
         from archived a on conflict (entity, entity_id) do nothing
       )
       select id from archived`,
      params,
    );
    await sql.query(`delete from source_links where org_id = $1 and entity_id = any($2::uuid[])`, [
      input.orgId,
      [...classes, ...learners].map((row) => row.id),
    ]);
    await recordAudit(sql.db, {
      orgId: input.orgId,
      actor: "operator",
      action: "year.archived",
      detail: { schoolYear: input.schoolYear, classes: classes.length, learners: learners.length },
    });
    return { classes: classes.length, learners: learners.length };
  });
}
