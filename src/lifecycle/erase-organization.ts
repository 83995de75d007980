/**
 * Erasing an organization (the operator, when a customer leaves or asks): every row that
 * belongs to it goes, in one transaction, from every table with an org_id column (found in the
 * database's own catalogue, so a table added later is not forgotten), and with them what is
 * kept by address rather than by organization: failed sign-ins of its staff's and invitees'
 * accounts and emails to them not filed under the organization. Its uploaded roster files under
 * DATA_DIR go afterwards. The audit log keeps one record that names no one: the organization's
 * id, when, by whom (the operator), and how many rows each table lost.
 */
import { rmSync } from "node:fs";
import { dirname } from "node:path";
import { pairKeysOf } from "../auth/throttle.ts";
import { bulkTransaction, type BulkSql } from "../db/bulk.ts";
import type { Database } from "../db/client.ts";
import type { Logger } from "../lib/log.ts";
import { storedZipPath } from "../connections/uploads.ts";
import { EraseRefused } from "./erase-learner.ts";
import { syncUnderWay } from "./learner-data.ts";
import { recordAudit } from "../db/queries/audit.ts";

/**
 * Tables that refer to others are emptied first, so no row is deleted by cascade before it is
 * counted and no foreign key is in the way; tables this list does not know go first of all.
 */
const ORDER = [
  "sync_run_items",
  "sync_problems",
  "match_decisions",
  "archive_entries",
  "source_links",
  "enrolments",
  "class_educators",
  "email_verifications",
  "email_outbox",
  "learners",
  "educators",
  "classes",
  "academic_sessions",
  "year_groups",
  "schools",
  "sync_runs",
  "connections",
  "sync_settings",
  "licences",
  "sessions",
  "invites",
  "staff_users",
  "audit_log",
];

export type ErasedOrganization = Record<string, number>;

async function tablesWithOrgId(sql: BulkSql): Promise<string[]> {
  const rows = await sql.query<{ table_name: string }>(
    `select c.table_name from information_schema.columns c join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
     where c.table_schema = current_schema() and c.column_name = 'org_id' and t.table_type = 'BASE TABLE'`,
  );
  const rank = (table: string) => (ORDER.includes(table) ? ORDER.indexOf(table) : -1);
  return rows.map((row) => row.table_name).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

async function deleted(sql: BulkSql, statement: string, params: unknown[]): Promise<number> {
  const [row] = await sql.query<{ n: number }>(`with gone as (${statement} returning 1) select count(*)::int as n from gone`, params);
  return Number(row?.n ?? 0);
}

export async function eraseOrganization(
  deps: { database: Database; logger: Logger },
  input: { orgId: string; confirmName: string; dataDir: string },
): Promise<ErasedOrganization> {
  const counts = await bulkTransaction(deps.database, async (sql) => {
    const [org] = await sql.query<{ name: string }>(`select name from organizations where id = $1 for update`, [input.orgId]);
    if (!org) throw new EraseRefused(`There is no organization with id ${input.orgId}.`);
    if (org.name !== input.confirmName) throw new EraseRefused(`The confirmation does not match the organization's name exactly; nothing was erased.`);
    if (await syncUnderWay(sql, input.orgId)) throw new EraseRefused("A sync is running for this organization. Wait for it to finish, then erase it.");
    // Its staff's and invitees' addresses, unless someone of another organization has the same one.
    const addresses = (
      await sql.query<{ email: string }>(
        `select lower(email) as email from staff_users where org_id = $1 union select lower(email) from invites where org_id = $1
         except (select lower(email) from staff_users where org_id <> $1 union select lower(email) from invites where org_id <> $1)`,
        [input.orgId],
      )
    ).map((row) => row.email);
    const counts: ErasedOrganization = {};
    counts.sign_in_failures = await deleted(sql, `delete from sign_in_failures where key like any($1::text[])`, [addresses.map(pairKeysOf)]);
    counts.unfiled_emails = await deleted(sql, `delete from email_outbox where org_id is null and lower(to_address) = any($1::text[])`, [addresses]);
    for (const table of await tablesWithOrgId(sql)) counts[table] = await deleted(sql, `delete from ${table} where org_id = $1`, [input.orgId]);
    await sql.query(`delete from organizations where id = $1`, [input.orgId]);
    // Filed under no organization (it is gone): the id is in entity_id.
    await recordAudit(sql.db, { orgId: null, actor: "operator", action: "organization.erased", entity: "organization", entityId: input.orgId, detail: counts });
    return counts;
  });
  rmSync(dirname(storedZipPath(input.dataDir, input.orgId)), { recursive: true, force: true });
  deps.logger.info("organization.erased", { orgId: input.orgId, learners: counts.learners ?? 0, tables: Object.keys(counts).length });
  return counts;
}
