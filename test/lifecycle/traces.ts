/** What the database still holds about a learner or a word, for the purge and erasure tests. */
import { sql } from "drizzle-orm";
import { queryRows } from "../../src/db/client.ts";
import type { TestDatabase } from "../helpers/db.ts";

export interface LearnerRef {
  id: string;
  sourceId: string;
  familyName: string;
}

export const rowsOf = <Row>(database: TestDatabase, query: string) => queryRows<Row>(database.db, sql.raw(query));

/** Everything still held about one learner of `orgId`, by table; names are looked for as whole JSON strings. */
export async function learnerTraces(database: TestDatabase, orgId: string, learner: LearnerRef) {
  const name = `'%"${learner.familyName}"%'`;
  const org = `org_id = '${orgId}'`;
  const [row] = await rowsOf<Record<string, number>>(
    database,
    `select
       (select count(*)::int from learners where id = '${learner.id}') as learners,
       (select count(*)::int from source_links where ${org} and (entity_id = '${learner.id}' or source_id = '${learner.sourceId}')) as links,
       (select count(*)::int from enrolments where learner_id = '${learner.id}') as enrolments,
       (select count(*)::int from archive_entries where entity_id = '${learner.id}') as archive,
       (select count(*)::int from match_decisions where ${org} and (learner_id = '${learner.id}' or source_id = '${learner.sourceId}')) as decisions,
       (select count(*)::int from sync_run_items where ${org} and (entity_id = '${learner.id}' or source_id = '${learner.sourceId}'
          or label like '%${learner.familyName}' or before::text like ${name} or after::text like ${name} or explanation::text like ${name})) as run_items`,
  );
  return row!;
}

/** Rows of every table whose text contains `needle` (case-insensitive), by table; empty when there are none. */
export async function tablesContaining(database: TestDatabase, needle: string): Promise<Record<string, number>> {
  const tables = await rowsOf<{ name: string }>(
    database,
    `select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`,
  );
  const found: Record<string, number> = {};
  for (const { name } of tables) {
    const [row] = await rowsOf<{ n: number }>(database, `select count(*)::int as n from "${name}" t where t::text ilike '%${needle.replace(/'/g, "''")}%'`);
    if (row!.n) found[name] = row!.n;
  }
  return found;
}
