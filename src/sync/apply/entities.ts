/**
 * The set-based writer for one entity's plan items. Per entity it issues a fixed handful of
 * statements whatever the number of rows: COPY for new rows, their links and run items; one
 * staging table (COPY) and one statement each for the run items' before-images, the updates,
 * the links and the desyncs. Before-images are taken in SQL (`to_jsonb` of the row and of its
 * link) so undo can put back exactly what was there.
 */
import type { BulkSql } from "../../db/bulk.ts";
import type { PlanItem } from "../reconcile/types.ts";
import { CreatedRowIds } from "../../lib/compact/row-ids.ts";
import { applyStep } from "./failure.ts";
import type { EntitySpec, Resolver } from "./specs.ts";

export interface ApplyContext {
  sql: BulkSql;
  orgId: string;
  runId: string;
  source: string;
  /** One timestamp for every row the run writes. */
  now: string;
  resolve: Resolver;
}

export interface CreateExtras<Fields> {
  columns: readonly string[];
  values(item: PlanItem<Fields>, id: string): unknown[];
}

const ITEM_COLUMNS = ["run_id", "org_id", "entity", "status", "action", "entity_id", "source_id", "label", "after", "explanation"] as const;

function itemAfter(item: PlanItem<unknown>): unknown {
  if (!item.changes.length && !item.flags?.length) return null;
  return { changes: item.changes, ...(item.flags?.length ? { flags: item.flags } : {}) };
}

/** Writes one entity's items; returns the ids given to created rows, by source id. */
export async function writeEntityItems<Fields>(
  ctx: ApplyContext,
  spec: EntitySpec<Fields>,
  items: readonly PlanItem<Fields>[],
  extras?: CreateExtras<Fields>,
): Promise<CreatedRowIds> {
  const created = new CreatedRowIds();
  const creates = items.filter((item) => item.action === "create");
  const reviews = items.filter((item) => item.action === "review");
  const changes = items.filter((item) => item.action !== "create" && item.action !== "review");
  for (const item of creates) created.add(item.sourceId!);

  // A COPY the database refuses names its line: the failure then names that item's record.
  const saving = (batch: readonly PlanItem<Fields>[], work: () => Promise<void>) => applyStep(spec.entity, work, (index) => batch[index]?.sourceId);
  if (creates.length) await saving(creates, () => insertCreated(ctx, spec, creates, created, extras));
  if (reviews.length) {
    // A May match changes nothing yet; the item is what the review screen shows.
    await saving(reviews, async () => {
      await ctx.sql.copyIn(
        "sync_run_items",
        ITEM_COLUMNS,
        reviews.map((item) => [
          ctx.runId,
          ctx.orgId,
          spec.entity,
          item.status,
          item.action,
          item.entityId,
          item.sourceId,
          item.label,
          itemAfter(item),
          item.explanation ?? null,
        ]),
      );
    });
  }
  if (changes.length) await saving(changes, () => applyChanges(ctx, spec, changes));
  return created;
}

async function insertCreated<Fields>(
  ctx: ApplyContext,
  spec: EntitySpec<Fields>,
  creates: readonly PlanItem<Fields>[],
  ids: CreatedRowIds,
  extras?: CreateExtras<Fields>,
): Promise<void> {
  const columns = ["id", "org_id", ...spec.columns.map(([name]) => name), ...(extras?.columns ?? []), "status", "created_at", "updated_at", "last_run_id"];
  // Generators, not arrays: a million new learners are encoded as they are sent.
  function* each<Row>(make: (item: PlanItem<Fields>, id: string) => Row) {
    for (const item of creates) yield make(item, ids.get(item.sourceId!)!);
  }
  await ctx.sql.copyIn(
    spec.table,
    columns,
    each((item, id) => [id, ctx.orgId, ...spec.values(item.fields!, ctx.resolve), ...(extras?.values(item, id) ?? []), "active", ctx.now, ctx.now, ctx.runId]),
  );
  await ctx.sql.copyIn(
    "source_links",
    ["org_id", "source", "entity", "source_id", "entity_id", "record_hash", "linked_at", "linked_by_run_id"],
    each((item, id) => [ctx.orgId, ctx.source, spec.entity, item.sourceId, id, item.fingerprint ?? "", ctx.now, ctx.runId]),
  );
  await ctx.sql.copyIn(
    "sync_run_items",
    ITEM_COLUMNS,
    each((item, id) => [ctx.runId, ctx.orgId, spec.entity, item.status, item.action, id, item.sourceId, item.label, itemAfter(item), item.explanation ?? null]),
  );
  if (creates.length >= ANALYZE_AFTER_ROWS) await refreshStatistics(ctx, [spec.table, "source_links", "sync_run_items"]);
}

/** Rows a run may add to a table before its statistics are refreshed. */
export const ANALYZE_AFTER_ROWS = 10_000;

/**
 * A large import (a first sync) leaves a table's statistics far behind its contents, and
 * autovacuum may be slow or off: without this, the next sync's joins are planned as if the
 * table were empty, and a small change to a large district then takes many minutes.
 */
export async function refreshStatistics(ctx: ApplyContext, tables: readonly string[]): Promise<void> {
  for (const table of tables) await ctx.sql.query(`analyze ${table}`);
}

async function applyChanges<Fields>(ctx: ApplyContext, spec: EntitySpec<Fields>, changes: readonly PlanItem<Fields>[]): Promise<void> {
  const { sql, orgId, runId, source, now } = ctx;
  const stage = `stage_${spec.table}`;
  const fieldColumns = spec.columns.map(([name]) => name);
  await sql.query(
    `create temp table ${stage} (id uuid, action text, status text, source_id text, fingerprint text, label text, after jsonb, explanation jsonb, ${spec.columns
      .map(([name, type]) => `${name} ${type}`)
      .join(", ")}) on commit drop`,
  );
  await sql.copyIn(
    stage,
    ["id", "action", "status", "source_id", "fingerprint", "label", "after", "explanation", ...fieldColumns],
    changes.map((item) => [
      item.entityId,
      item.action,
      item.status,
      item.sourceId,
      item.fingerprint ?? "",
      item.label,
      itemAfter(item),
      item.explanation ?? null,
      ...(item.fields ? spec.values(item.fields, ctx.resolve) : fieldColumns.map(() => null)),
    ]),
  );
  // The planner knows nothing about a fresh temp table; without statistics it can pick a
  // nested loop over millions of links. And a statement with no rows to touch is skipped.
  await sql.query(`analyze ${stage}`);
  const actions = new Set(changes.map((item) => item.action));
  const writes = actions.has("update") || actions.has("link") || actions.has("restore");
  const link = `l.org_id = $2 and l.source = $3 and l.entity = $4 and l.source_id = s.source_id`;
  // Before-images first, while the rows are still as they were.
  await sql.query(
    `insert into sync_run_items (${ITEM_COLUMNS.join(", ")}, before)
     select $1, $2, $4, s.status, s.action, s.id, s.source_id, s.label, s.after, s.explanation,
            jsonb_build_object('row', to_jsonb(t), 'link', to_jsonb(l))
     from ${stage} s join ${spec.table} t on t.id = s.id left join source_links l on ${link}`,
    [runId, orgId, source, spec.entity],
  );
  if (writes)
    await sql.query(
      `update ${spec.table} t set ${fieldColumns.map((name) => `${name} = s.${name}`).join(", ")},
       status = 'active',
       status_changed_at = case when t.status <> 'active' then $2::timestamptz else t.status_changed_at end,
       updated_at = $2::timestamptz, last_run_id = $1
     from ${stage} s where t.id = s.id and s.action in ('update', 'link', 'restore')`,
      [runId, now],
    );
  if (writes)
    await sql.query(
      `insert into source_links (org_id, source, entity, source_id, entity_id, record_hash, linked_at, linked_by_run_id)
     select $2, $3, $4, s.source_id, s.id, s.fingerprint, $5::timestamptz, $1 from ${stage} s where s.action in ('update', 'link', 'restore')
     on conflict (org_id, source, entity, source_id) do update set entity_id = excluded.entity_id, record_hash = excluded.record_hash
     where (source_links.entity_id, source_links.record_hash) is distinct from (excluded.entity_id, excluded.record_hash)`,
      [runId, orgId, source, spec.entity, now],
    );
  if (actions.has("unlink"))
    await sql.query(
      `delete from source_links l using ${stage} s
     where s.action = 'unlink' and l.org_id = $1 and l.source = $2 and l.entity = $3 and l.source_id = s.source_id`,
      [orgId, source, spec.entity],
    );
  if (actions.has("deactivate") || actions.has("remove"))
    await sql.query(
      `update ${spec.table} t set status = case when s.action = 'remove' then 'removed' else 'inactive' end,
       status_changed_at = $2::timestamptz, updated_at = $2::timestamptz, last_run_id = $1
     from ${stage} s where t.id = s.id and s.action in ('deactivate', 'remove')`,
      [runId, now],
    );
  await sql.query(`drop table ${stage}`);
}
