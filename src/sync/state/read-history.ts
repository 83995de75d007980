/** What chooseRead needs to know of an organization's earlier runs (src/sync/policy/read-kind.ts). */
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../../db/client.ts";
import type { Source } from "../../roster/sources.ts";
import type { ReadHistory } from "../policy/read-kind.ts";

const dateOf = (value: unknown) => (value === null || value === undefined ? null : new Date(value as string));

export async function loadReadHistory(db: Db, orgId: string, source: Source, cursor: string | null): Promise<ReadHistory> {
  const [row] = await queryRows<{ cursor_at: unknown; full_at: unknown; last_status: string | null }>(
    db,
    sql`select
          (select max(created_at) from sync_runs where org_id = ${orgId} and source = ${source} and status = 'succeeded' and cursor is not null) as cursor_at,
          (select max(created_at) from sync_runs where org_id = ${orgId} and source = ${source} and status = 'succeeded' and coalesce(read_mode, 'full') = 'full') as full_at,
          (select status from sync_runs where org_id = ${orgId} and status in ('succeeded', 'failed') and not dry_run
             order by coalesce(finished_at, created_at) desc limit 1) as last_status`,
  );
  return {
    cursor,
    cursorAt: cursor ? dateOf(row?.cursor_at) : null,
    lastFullReadAt: dateOf(row?.full_at),
    lastRunFailed: row?.last_status === "failed",
  };
}
